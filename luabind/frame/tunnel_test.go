package frame

import (
	"encoding/hex"
	"slices"
	"testing"
)

// tunnelVectors are the GRE, VXLAN, GENEVE and MPLS frames Scapy built
// (testdata/gen_tunnel.py).
const tunnelVectors = "testdata/scapy_tunnel.json"

// TestTunnelVectors builds each of Scapy's tunnel frames from its layers,
// byte for byte, and parses its bytes back to the fields Scapy read, with
// at least 25 frames parsed into each tunnel layer.
func TestTunnelVectors(t *testing.T) {
	counts := map[string]int{}
	for _, v := range readVectors(t, tunnelVectors) {
		for name := range v.Fields {
			counts[name]++
		}
		for _, l := range v.Layers {
			if l["layer"] == "dot1ad" { // built as dot1ad, parsed as vlan
				counts["dot1ad"]++
				break
			}
		}
		t.Run(v.Name, func(t *testing.T) { checkVector(t, v) })
	}
	for _, name := range []string{"gre", "vxlan", "geneve", "mpls", "dot1ad", "erspan"} {
		if counts[name] < 25 {
			t.Errorf("%d vectors decode %s, want at least 25", counts[name], name)
		}
	}
}

// TestTunnelBuildDefaults checks the bindings Scapy sets when building:
// UDP()/VXLAN() gets both ports 4789, and a field given stays as given.
func TestTunnelBuildDefaults(t *testing.T) {
	udp := NewLayer(UDP)
	got := Build(udp, NewLayer(VXLAN))
	if sport, dport := u16(got), u16(got[2:]); sport != portVXLAN || dport != portVXLAN {
		t.Errorf("udp/vxlan ports %d, %d, want 4789, 4789", sport, dport)
	}
	udp = NewLayer(UDP)
	if err := udp.Set("sport", 1234); err != nil {
		t.Fatal(err)
	}
	got = Build(udp, NewLayer(VXLAN))
	if sport, dport := u16(got), u16(got[2:]); sport != 1234 || dport != portVXLAN {
		t.Errorf("udp{sport=1234}/vxlan ports %d, %d, want 1234, 4789", sport, dport)
	}
}

func FuzzGRE(f *testing.F)    { fuzzTunnel(f, GRE) }
func FuzzVXLAN(f *testing.F)  { fuzzTunnel(f, VXLAN) }
func FuzzGENEVE(f *testing.F) { fuzzTunnel(f, GENEVE) }
func FuzzMPLS(f *testing.F)   { fuzzTunnel(f, MPLS) }
func FuzzERSPAN(f *testing.F) { fuzzTunnel(f, ERSPAN) }

// fuzzTunnel fuzzes parse (see checkParse) with seeds that start at a
// header of tunnel: the tunnel vectors that carry one, cut before it.
func fuzzTunnel(f *testing.F, tunnel *Proto) { fuzzFrom(f, tunnelVectors, tunnel) }

// fuzzFrom fuzzes parse (see checkParse) with seeds that start at a
// header of one of protos: the vectors of file that carry one, cut before
// it.
func fuzzFrom(f *testing.F, file string, protos ...*Proto) {
	for _, v := range readVectors(f, file) {
		data, err := hex.DecodeString(v.Hex)
		if err != nil {
			f.Fatal(err)
		}
		p := Parse(data)
		off := 0
		for i := range p.Layers {
			if slices.Contains(protos, p.Layers[i].Proto) {
				f.Add(data[off:])
				break
			}
			off += len(Build(&p.Layers[i]))
		}
	}
	r := NewRegistry()
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, r, data) })
}

// TestMPLSOverVLAN checks the binding Scapy lacks but tcpdump decodes: an
// 802.1Q tag carrying MPLS gets type 0x8847 in its own type field, and
// parses back to the label stack.
func TestMPLSOverVLAN(t *testing.T) {
	vlan, mpls := NewLayer(VLAN), NewLayer(MPLS)
	if err := vlan.Set("vid", 100); err != nil {
		t.Fatal(err)
	}
	if err := mpls.Set("label", 16000); err != nil {
		t.Fatal(err)
	}
	data := Build(NewLayer(Ether), vlan, mpls, NewLayer(IPv4))
	if tci, typ := u16(data[14:]), u16(data[16:]); tci != 100 || typ != 0x8847 {
		t.Fatalf("vlan tci %#x type %#x, want 0x64 0x8847", tci, typ)
	}
	p := Parse(data)
	if got := layerNames(p); got != "ether vlan mpls ipv4" {
		t.Errorf("parsed %s (error %v), want ether vlan mpls ipv4", got, p.Err)
	}
	if l := p.Layer("mpls"); l == nil || l.Uint(mplsLabel) != 16000 {
		t.Errorf("mpls layer %v, want label 16000", l)
	}
}
