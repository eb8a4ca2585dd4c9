package frame

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The vectors of IGMP, MLD, LLDP and segment routing, built by Scapy 2.5
// (testdata/gen_mcast.py).
const (
	igmpVectors = "testdata/scapy_igmp.json"
	mldVectors  = "testdata/scapy_mld.json"
	lldpVectors = "testdata/scapy_lldp.json"
)

// checkListVectors builds each vector of file from its layers, byte for
// byte, parses Scapy's bytes and compares every field with Scapy's
// reading, list fields item by item; it fails unless each of layers is
// decoded from at least 25 vectors.
func checkListVectors(t *testing.T, file string, layers ...string) {
	checkVectorsBuild(t, file)
	counts := map[string]int{}
	for _, v := range readVectors(t, file) {
		t.Run(v.Name, func(t *testing.T) {
			data, _ := hex.DecodeString(v.Hex)
			p := new(Packet)
			builtin.Parse(p, data, builtin.Proto(fmt.Sprint(v.Layers[0]["layer"])))
			checkVectorLists2(t, p, v.Fields)
			for name := range v.Fields {
				counts[name]++
			}
		})
	}
	for _, name := range layers {
		if counts[name] < 25 {
			t.Errorf("%d vectors decode %s, want at least 25", counts[name], name)
		}
	}
}

// checkVectorLists2 compares every field of a parsed vector with Scapy's:
// a list field by its items, and by its bytes under <name>_hex.
func checkVectorLists2(t *testing.T, p *Packet, fields map[string]any) {
	t.Helper()
	for name, want := range fields {
		layer, ok := want.(map[string]any)
		if !ok {
			checkVectorField(t, p, name, want)
			continue
		}
		l := p.Layer(name)
		if l == nil {
			t.Fatalf("no %s layer (layers %s, error %v)", name, layerNames(p), p.Err)
		}
		for key, value := range layer {
			i, ok := l.Proto.Field(key)
			if list, isList := value.([]any); ok && isList && l.Proto.Fields[i].Kind == List {
				items, err := jsonItems(list)
				if err != nil {
					t.Fatal(err)
				}
				checkReadOn(t, p, l, i, items)
				continue
			}
			if raw, ok := layer[strings.TrimSuffix(key, "_hex")].([]any); ok && len(raw) > 0 && key != strings.TrimSuffix(key, "_hex") {
				// Scapy's Raw may hold what netlua reads as padding.
				if last, _ := raw[len(raw)-1].(map[string]any); last["1"] == "Raw" {
					checkVectorField(t, &Packet{Payload: append(l.Bytes(i)[:len(l.Bytes(i)):len(l.Bytes(i))], p.Padding...)}, "payload_hex", value)
					continue
				}
			}
			checkLayerField(t, l, key, value)
		}
	}
}

func TestIGMPVectors(t *testing.T) {
	checkListVectors(t, igmpVectors, "igmp", "igmpv3", "igmpv3mq", "igmpv3mr", "igmpv3mra")
}

// FuzzIGMP fuzzes parse from the IGMP layers, seeded with the IGMP vectors,
// and the group record codec on the same bytes.
func FuzzIGMP(f *testing.F) {
	fuzzFrom(f, igmpVectors, IGMP, IGMPv3, IGMPv3MQ, IGMPv3MR)
}

func TestMLDVectors(t *testing.T) {
	checkListVectors(t, mldVectors, "mld_query", "mld_report", "mld_done", "mldv2_query", "mldv2_report")
}

// FuzzMLD fuzzes parse from the MLD layers, seeded with the MLD vectors.
func FuzzMLD(f *testing.F) {
	fuzzFrom(f, mldVectors, MLDQuery, MLDReport, MLDDone, MLDv2Query, MLDv2Report)
}

func TestLLDPVectors(t *testing.T) {
	checkListVectors(t, lldpVectors, "lldp")
}

// FuzzLLDP fuzzes parse from the lldp layer, seeded with the LLDP vectors,
// and the TLV codec on the same bytes (checkListCodec).
func FuzzLLDP(f *testing.F) {
	for _, v := range readVectors(f, lldpVectors) {
		data, _ := hex.DecodeString(v.Hex)
		f.Add(data)
		if l, ok := v.Fields["lldp"].(map[string]any); ok {
			tlvs, _ := hex.DecodeString(l["tlvs_hex"].(string))
			f.Add(tlvs)
		}
	}
	r := NewRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, r, data)
		checkListCodec(t, lldpTLVList{}, data)
	})
}

// checkReadOn compares the items of list field i of l with Scapy's. Where
// Scapy gave up with {"Raw", bytes} (an LLDP TLV type it has no class
// for), netlua may read on: its items from there, written back, and the
// padding after them must be those bytes.
func checkReadOn(t *testing.T, p *Packet, l *Layer, i int, items []Item) {
	t.Helper()
	got, k := l.Items(i), len(items)
	if k > 0 && items[k-1].Value(0) == "Raw" && (len(got) < k || got[k-1].Value(0) != "Raw") {
		k--
	}
	name := l.Proto.Name + "." + l.Proto.Fields[i].Name
	if len(got) < k || !reflect.DeepEqual(normItems(got[:k]), normItems(items[:k])) || k == len(items) && len(got) != k {
		t.Fatalf("%s:\n got %s\nwant %s (Scapy)", name, itemsText(got), itemsText(items))
	}
	if k == len(items) {
		return
	}
	rest, err := l.Proto.Fields[i].List.Encode(nil, got[k:])
	raw := items[k].Value(1).(string)
	if rest = append(rest, p.Padding...); err != nil || !bytes.Equal(rest, []byte(raw)) {
		t.Errorf("%s: got %s, whose items after %d and padding are %x (%v), want Scapy's Raw %x",
			name, itemsText(got), k, rest, err, raw)
	}
}

// lldpPadded reports whether got is data with the zeros an lldp layer
// adds, as Scapy's does, to a frame shorter than 60 bytes from its
// Ethernet header on: the one way a parsed frame does not build back to
// its bytes.
func lldpPadded(p *Packet, data, got []byte) bool {
	return p.Layer("lldp") != nil && len(got) > len(data) && bytes.HasPrefix(got, data) &&
		bytes.Count(got[len(data):], []byte{0}) == len(got)-len(data)
}
