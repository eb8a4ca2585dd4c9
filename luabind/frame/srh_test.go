package frame

import (
	"encoding/hex"
	"testing"
)

// srhVectors are segment routing headers Scapy built (gen_mcast.py srh).
const srhVectors = "testdata/scapy_srh.json"

func TestSRHVectors(t *testing.T) {
	checkListVectors(t, srhVectors, "ipv6_rh")
}

// addSeeds adds the frames of the vectors in file to f's corpus, and the
// frames from their second layer on, but for frames over 4 KiB.
func addSeeds(f *testing.F, file string) {
	for _, v := range readVectors(f, file) {
		data, err := hex.DecodeString(v.Hex)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 4096 { // a whole jumbogram: too slow a seed
			continue
		}
		f.Add(data)
		if p := Parse(data); len(p.Layers) > 1 {
			f.Add(data[len(Build(&p.Layers[0])):])
		}
	}
}
