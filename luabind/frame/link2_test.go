package frame

import (
	"encoding/hex"
	"fmt"
	"testing"
)

// linkVectors is made by testdata/gen_link.py: frames of the link layers
// Scapy built, and what Scapy read back from them.
const linkVectors = "testdata/scapy_link.json"

func TestLinkVectorsBuild(t *testing.T) {
	for _, v := range readVectors(t, linkVectors) {
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

// TestLinkVectorsParse parses each vector from its first layer and, for
// 802.3 frames, from Ethernet too, as Scapy's Ether gives way to Dot3.
func TestLinkVectorsParse(t *testing.T) {
	for _, v := range readVectors(t, linkVectors) {
		first := builtin.Proto(fmt.Sprint(v.Layers[0]["layer"]))
		firsts := []*Proto{first}
		if first == Dot3 {
			firsts = append(firsts, Ether)
		}
		for _, first := range firsts {
			t.Run(v.Name+" from "+first.Name, func(t *testing.T) {
				data, err := hex.DecodeString(v.Hex)
				if err != nil {
					t.Fatal(err)
				}
				p := new(Packet)
				builtin.Parse(p, data, first)
				for name, want := range v.Fields {
					if name == "error" {
						if p.Err == nil {
							t.Error("no error, but Scapy read a layer cut short")
						}
						continue
					}
					checkVectorField(t, p, name, want)
				}
			})
		}
	}
}

func FuzzLinkParse(f *testing.F) {
	for _, v := range readVectors(f, linkVectors) {
		data, err := hex.DecodeString(v.Hex)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	r := fuzzRegistry(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, r, data) })
}
