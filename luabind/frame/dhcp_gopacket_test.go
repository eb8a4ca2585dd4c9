package frame

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacket decodes the DHCP vectors' BOOTP header and DHCP options to the
// same values as parse: gopacket's DHCPv4 is parse's bootp and dhcp.
func TestDHCPVectorsGopacket(t *testing.T) {
	checkers := gopacketBaseCheckers()
	checkers[layers.LayerTypeDHCPv4] = checkDHCPv4
	checked := checkGopacketFile(t, dhcpVectorFile, checkers, nil)
	wantAtLeast(t, checked, map[string]int{"bootp": 25, "dhcp": 25, "dhcp.options": 25})
}

// checkDHCPv4 compares the fixed header, chaddr as far as hlen says (all
// gopacket keeps), and the options, with the End gopacket reads but does
// not keep. A magic cookie with nothing after it is a DHCPv4 with no
// options to gopacket, and to Scapy and parse a bootp layer whose options
// field is the cookie: there is no dhcp layer to compare.
func checkDHCPv4(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.DHCPv4)
	cs := []gopacketCheck{{"bootp", "op", uint64(l.Operation)}, {"bootp", "htype", uint64(l.HardwareType)},
		{"bootp", "hlen", uint64(l.HardwareLen)}, {"bootp", "hops", uint64(l.RelayHops)},
		{"bootp", "xid", uint64(l.Xid)}, {"bootp", "secs", uint64(l.Secs)}, {"bootp", "flags", uint64(l.Flags)},
		{"bootp", "ciaddr", ipAddr(l.ClientIP)}, {"bootp", "yiaddr", ipAddr(l.YourClientIP)},
		{"bootp", "siaddr", ipAddr(l.NextServerIP)}, {"bootp", "giaddr", ipAddr(l.RelayAgentIP)},
		{"bootp", "chaddr", gopacketPrefix(l.ClientHWAddr)},
		{"bootp", "sname", l.ServerName}, {"bootp", "file", l.File}}
	if len(l.Contents) == 240 {
		return cs
	}
	var opts gopacketOptions
	end := 240
	for _, o := range l.Options {
		if o.Type == layers.DHCPOptPad {
			opts.tlvs = append(opts.tlvs, gopacketTLV{kind: 0, length: 1})
			end++
			continue
		}
		opts.tlvs = append(opts.tlvs, gopacketTLV{kind: uint64(o.Type), length: uint64(o.Length), data: o.Data,
			named: o.Type.String() != "Unknown"})
		end += 2 + int(o.Length)
	}
	if end < len(l.Contents) && l.Contents[end] == byte(layers.DHCPOptEnd) {
		opts.tlvs = append(opts.tlvs, gopacketTLV{kind: uint64(layers.DHCPOptEnd), length: 1})
		opts.stopped = true
	}
	return append(cs, gopacketCheck{"dhcp", "options", opts})
}
