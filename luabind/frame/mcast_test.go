package frame

import (
	"encoding/hex"
	"reflect"
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
	counts := map[string]int{}
	for _, v := range readVectors(t, file) {
		t.Run(v.Name, func(t *testing.T) {
			ls, err := vectorLayers(v.Layers)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(Build(ls...)); got != v.Hex {
				t.Errorf("build:\n got %s\nwant %s", got, v.Hex)
			}
			data, _ := hex.DecodeString(v.Hex)
			p := new(Packet)
			builtin.Parse(p, data, ls[0].Proto)
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
				if got := l.Items(i); !reflect.DeepEqual(normItems(got), normItems(items)) {
					t.Errorf("%s.%s:\n got %s\nwant %s (Scapy)", name, key, itemsText(got), itemsText(items))
				}
				continue
			}
			checkLayerField(t, l, key, value)
		}
	}
}

func TestIGMPVectors(t *testing.T) {
	checkListVectors(t, igmpVectors, "igmp", "igmpv3")
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
