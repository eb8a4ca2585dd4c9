package frame

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacket decodes the link vectors' cooked, LLC and SNAP headers to the
// same values as parse: a second oracle beside Scapy.
func TestLinkVectorsGopacket(t *testing.T) {
	firsts := map[string]gopacket.LayerType{
		"sll": layers.LayerTypeLinuxSLL, "sll2": layers.LayerTypeLinuxSLL2,
		"dot3": layers.LayerTypeEthernet, "llc": layers.LayerTypeLLC, "snap": layers.LayerTypeSNAP,
	}
	checked := map[string]int{}
	for _, v := range readVectors(t, linkVectors) {
		name := fmt.Sprint(v.Layers[0]["layer"])
		first, ok := firsts[name]
		if !ok {
			continue
		}
		data, _ := hex.DecodeString(v.Hex)
		p := new(Packet)
		builtin.Parse(p, data, builtin.Proto(name))
		g := gopacket.NewPacket(data, first, gopacket.Default)
		for _, c := range gopacketChecks(g) {
			l := p.Layer(c.layer)
			if l == nil {
				continue
			}
			i, _ := l.Proto.Field(c.field)
			if got := l.Uint(i); got != c.want {
				t.Errorf("%s: %s.%s = %d, gopacket reads %d", v.Name, c.layer, c.field, got, c.want)
			}
			checked[c.layer]++
		}
	}
	for _, name := range []string{"sll", "sll2", "llc", "snap"} {
		if checked[name] < 25 {
			t.Errorf("%d fields of %s checked against gopacket, want 25 or more", checked[name], name)
		}
	}
}

// A gopacketCheck is a field's value as gopacket decoded it: a uint64, or
// for compareGopacket a gopacketMask, netip.Addr, []byte, gopacketPrefix,
// gopacketOptions or []netip.Addr.
type gopacketCheck struct {
	layer, field string
	want         any
}

// gopacketChecks are the fields of the layers gopacket decoded in g.
func gopacketChecks(g gopacket.Packet) []gopacketCheck {
	var cs []gopacketCheck
	add := func(layer, field string, v uint64) { cs = append(cs, gopacketCheck{layer, field, v}) }
	if l, ok := g.Layer(layers.LayerTypeLinuxSLL).(*layers.LinuxSLL); ok {
		add("sll", "pkttype", uint64(l.PacketType))
		add("sll", "lladdrtype", uint64(l.AddrType))
		add("sll", "lladdrlen", uint64(l.AddrLen))
		add("sll", "proto", uint64(l.EthernetType))
	}
	if l, ok := g.Layer(layers.LayerTypeLinuxSLL2).(*layers.LinuxSLL2); ok {
		add("sll2", "proto", uint64(l.ProtocolType))
		add("sll2", "ifindex", uint64(l.InterfaceIndex))
		add("sll2", "lladdrtype", uint64(l.ARPHardwareType))
		add("sll2", "pkttype", uint64(l.PacketType))
		add("sll2", "lladdrlen", uint64(l.AddrLength))
	}
	if l, ok := g.Layer(layers.LayerTypeLLC).(*layers.LLC); ok {
		// gopacket splits each SAP's low bit off (IG, CR).
		add("llc", "dsap", uint64(l.DSAP)|b2u(l.IG))
		add("llc", "ssap", uint64(l.SSAP)|b2u(l.CR))
		if len(l.Contents) == 3 { // Scapy, like netlua, reads one control byte
			add("llc", "ctrl", uint64(l.Control))
		}
	}
	if l, ok := g.Layer(layers.LayerTypeSNAP).(*layers.SNAP); ok {
		oui := append([]byte{0}, l.OrganizationalCode...)
		add("snap", "OUI", uint64(binary.BigEndian.Uint32(oui)))
		add("snap", "code", uint64(l.Type))
	}
	return cs
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
