package frame

import (
	"encoding/hex"
	"testing"
)

// v6extVectors are the IPv6 extension header, AH and ESP frames Scapy
// built (testdata/gen_v6ext.py).
const v6extVectors = "testdata/scapy_v6ext.json"

// TestV6ExtVectors builds each of Scapy's frames from its layers, byte for
// byte, and parses its bytes back to the fields Scapy read, with at least
// 25 frames parsed into each new layer.
func TestV6ExtVectors(t *testing.T) {
	counts := map[string]int{}
	for _, v := range readVectors(t, v6extVectors) {
		for name := range v.Fields {
			counts[name]++
		}
		t.Run(v.Name, func(t *testing.T) { checkVector(t, v) })
	}
	for _, name := range []string{"ipv6_hbh", "ipv6_dest", "ipv6_rh", "ipv6_frag", "ah", "esp"} {
		if counts[name] < 25 {
			t.Errorf("%d vectors decode %s, want at least 25", counts[name], name)
		}
	}
}

// checkVector builds the layers of v, byte for byte, and parses its
// bytes back to the fields Scapy read.
func checkVector(t *testing.T, v vector) {
	t.Helper()
	layers, err := vectorLayers(v.Layers)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(Build(layers...)); got != v.Hex {
		t.Errorf("build:\n got %s\nwant %s", got, v.Hex)
	}
	data, _ := hex.DecodeString(v.Hex)
	p := new(Packet)
	builtin.Parse(p, data, layers[0].Proto)
	for name, field := range v.Fields {
		checkVectorField(t, p, name, field)
	}
}

// FuzzV6Ext fuzzes parse with seeds that start at an extension header, AH
// or ESP.
func FuzzV6Ext(f *testing.F) {
	addSeeds(f, srhVectors)   // segment routing headers (srh_test.go)
	addSeeds(f, jumboVectors) // jumbograms and BIG TCP (jumbo_test.go)
	fuzzFrom(f, v6extVectors, IPv6HBH, IPv6Dest, IPv6RH, IPv6Frag, AH, ESP)
}
