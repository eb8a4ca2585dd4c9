package frame

import (
	"encoding/hex"
	"slices"
	"strings"
	"testing"
)

// icmpVectors are testdata/gen_icmp.py's: ICMP messages of every type
// netlua lays out, built and read back by Scapy 2.5.
const icmpVectors = "testdata/scapy_icmp.json"

func TestICMPVectorsBuild(t *testing.T) {
	for _, v := range readVectors(t, icmpVectors) {
		t.Run(v.Name, func(t *testing.T) {
			layers, err := vectorLayers(v.Layers)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(Build(layers...)); got != v.Hex {
				t.Errorf("build:\n got %s\nwant %s", got, v.Hex)
			}
		})
	}
}

// TestICMPVectorsParse checks every field Scapy read, that netlua decodes
// as many layers as Scapy (a quote cut short no deeper), and that an ICMP
// layer holds the fields of its type and no others.
func TestICMPVectorsParse(t *testing.T) {
	for _, v := range readVectors(t, icmpVectors) {
		t.Run(v.Name, func(t *testing.T) {
			data, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatal(err)
			}
			p := Parse(data)
			// A quote cut short is no error: ICMP errors quote only the
			// start of a packet. Headers cut short on purpose are.
			if p.Err != nil && !strings.Contains(v.Name, "bad on purpose") {
				t.Errorf("parse error: %v", p.Err)
			}
			layers := 0
			for name, want := range v.Fields {
				checkVectorField(t, p, name, want)
				if list, ok := want.([]any); ok {
					layers += len(list)
				} else if name != "payload_hex" && name != "padding_hex" {
					layers++
				}
			}
			if len(p.Layers) != layers {
				t.Errorf("parse: %d layers, want %d: %v", len(p.Layers), layers, p.Layers)
			}
			for i := range p.Layers {
				checkPresentFields(t, &p.Layers[i], v.Fields)
			}
		})
	}
}

// checkPresentFields compares the fields an ICMP layer holds after parse
// with those Scapy shows for its type (the first such layer only: a
// quoted ICMP is checked by its values).
func checkPresentFields(t *testing.T, l *Layer, fields map[string]any) {
	t.Helper()
	want, ok := fields[l.Proto.Name].(map[string]any)
	if !ok || l.Proto.present == nil {
		return
	}
	var got, wantNames []string
	for i := range l.Proto.Fields {
		if l.Given(i) {
			got = append(got, l.Proto.Fields[i].Name)
		}
	}
	for name := range want {
		wantNames = append(wantNames, name)
	}
	slices.Sort(got)
	slices.Sort(wantNames)
	if !slices.Equal(got, wantNames) {
		t.Errorf("%s type %d fields: got %v, want %v", l.Proto.Name, l.Uint(icmpType), got, wantNames)
	}
}

// FuzzICMP fuzzes the parser from the ICMP vectors: the check of FuzzParse
// on frames that reach every ICMP type, quote and ND layer.
func FuzzICMP(f *testing.F) {
	for _, v := range readVectors(f, icmpVectors) {
		data, err := hex.DecodeString(v.Hex)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	r := fuzzRegistry(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, r, data) })
}

// TestICMPTruncated cuts every ICMP vector at every length: parse must
// end cleanly and build back what it decoded.
func TestICMPTruncated(t *testing.T) {
	r := fuzzRegistry(t)
	for _, v := range readVectors(t, icmpVectors) {
		data, _ := hex.DecodeString(v.Hex)
		for n := range len(data) + 1 {
			checkParse(t, r, data[:n])
		}
	}
}
