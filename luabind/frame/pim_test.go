package frame

import (
	"encoding/hex"
	"testing"
)

// Vectors of PIMv2: made by testdata/gen_pim.py with Scapy's contrib pim.
const pimVectorFile = "testdata/scapy_pim.json"

// TestPIMVectorsBuild builds each vector's layers and compares with
// Scapy's bytes: the checksum over the message too.
func TestPIMVectorsBuild(t *testing.T) { checkVectorsBuild(t, pimVectorFile) }

// TestPIMVectorsParse parses Scapy's bytes and compares every field and
// the message after the header.
func TestPIMVectorsParse(t *testing.T) {
	n := 0
	for _, v := range readVectors(t, pimVectorFile) {
		t.Run(v.Name, func(t *testing.T) {
			data, _ := hex.DecodeString(v.Hex)
			p := Parse(data)
			for name, want := range v.Fields {
				checkVectorField(t, p, name, want)
			}
			if _, ok := v.Fields["pim"]; ok {
				n++
			} else if p.Layer("pim") != nil {
				t.Errorf("a pim layer where Scapy has none")
			}
		})
	}
	if n < 25 {
		t.Errorf("%d pim layers compared, want 25 or more", n)
	}
}

// FuzzPIMParse is FuzzParse seeded with the PIM frames.
func FuzzPIMParse(f *testing.F) { fuzzVectors(f, pimVectorFile) }
