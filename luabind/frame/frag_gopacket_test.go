package frame

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacket decodes the fragments Scapy's fragment and fragment6 made, and
// the packets defragment and defragment6 made back, to the same values as
// parse: IPv4's flags and offset, IPv6's fragment header.
func TestFragVectorsGopacket(t *testing.T) {
	vs := loadFragVectors(t)
	checkers := gopacketBaseCheckers()
	checkers[layers.LayerTypeIPv6Fragment] = checkFragment
	checked := map[string]int{}
	check := func(name string, ether bool, hs []string) {
		for _, data := range unhexAll(t, hs) {
			first, gfirst := IPv4, layers.LayerTypeIPv4
			switch {
			case ether:
				first, gfirst = Ether, layers.LayerTypeEthernet
			case len(data) > 0 && data[0]>>4 == 6:
				first, gfirst = IPv6, layers.LayerTypeIPv6
			}
			p := new(Packet)
			builtin.Parse(p, data, first)
			gls := decodedLayers(gopacket.NewPacket(data, gfirst, gopacket.Default).Layers())
			checkGopacket(t, name, p, gls, checkers, checked)
		}
	}
	for _, v := range vs.Fragment {
		check(v.Name, v.Ether, v.Frags)
	}
	for _, v := range vs.Defragment {
		check(v.Name, v.Ether, append(v.In, v.Out...))
	}
	for _, v := range vs.Fragment6 {
		check(v.Name, v.Ether, v.Frags)
	}
	for _, v := range vs.Defragment6 {
		check(v.Name, v.Ether, v.In)
		if v.Out != nil {
			check(v.Name, v.Ether, []string{*v.Out})
		}
	}
	wantAtLeast(t, checked, map[string]int{"ipv4": 25, "ipv6": 25, "ipv6_frag": 25})
}
