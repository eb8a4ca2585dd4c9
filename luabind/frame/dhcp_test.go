package frame

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// Vectors of BOOTP and DHCP: made by testdata/gen_dhcp.py with Scapy, in
// the format of the options vectors (opts_test.go): a dhcp layer's
// "options" is a list of items, and its fields Scapy's reading of them.
const dhcpVectorFile = "testdata/scapy_dhcp.json"

// TestDHCPVectors builds each vector's layers and compares with Scapy's
// bytes; then parses Scapy's bytes and compares every field, the DHCP
// options item by item with Scapy's reading.
func TestDHCPVectors(t *testing.T) {
	counts := map[string]int{}
	for _, v := range readVectors(t, dhcpVectorFile) {
		t.Run(v.Name, func(t *testing.T) {
			layers, err := vectorLayers(v.Layers)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(Build(layers...)); got != v.Hex {
				t.Errorf("build:\n got %s\nwant %s", got, v.Hex)
			}
			data, _ := hex.DecodeString(v.Hex)
			p := Parse(data)
			// A UDP length cut short on purpose cuts BOOTP short: Scapy
			// reads what there is, netlua too, and says so.
			bootp, _ := v.Fields["bootp"].(map[string]any)
			if cut := bootp != nil && len(fmt.Sprint(bootp["file_hex"])) < 2*128; cut != (p.Err != nil) {
				t.Errorf("parse error: %v", p.Err)
			}
			for name, want := range v.Fields {
				fields, ok := want.(map[string]any)
				if !ok || (name != "dhcp" && name != "bootp") {
					checkVectorField(t, p, name, want)
					continue
				}
				l := p.Layer(name)
				if l == nil {
					t.Fatalf("no %s layer (error %v)", name, p.Err)
				}
				counts[name]++
				for key, value := range fields {
					if name == "dhcp" && key == "options" {
						checkItems(t, l, value)
						continue
					}
					if i, ok := BOOTP.Field(strings.TrimSuffix(key, "_hex")); ok && name == "bootp" && BOOTP.Fields[i].Kind == Bytes {
						// As on the wire: cut short where the frame is.
						if got := hex.EncodeToString(l.Bytes(i)); got != value {
							t.Errorf("bootp.%s: got %s, want %v", key, got, value)
						}
						continue
					}
					checkLayerField(t, l, key, value)
				}
			}
			if _, ok := v.Fields["bootp"]; !ok && p.Layer("bootp") != nil {
				t.Errorf("a bootp layer where Scapy has none")
			}
		})
	}
	// The issue asks for at least 25 vectors of each.
	if counts["bootp"] < 25 || counts["dhcp"] < 25 {
		t.Errorf("layers compared: %v, want 25 or more of each", counts)
	}
}

// FuzzDHCPParse is FuzzParse seeded with the BOOTP and DHCP frames.
func FuzzDHCPParse(f *testing.F) { fuzzVectors(f, dhcpVectorFile) }
