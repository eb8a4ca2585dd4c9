package frame

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacket decodes the IPv6 extension header vectors' hop-by-hop,
// destination, routing and fragment headers, AH and ESP, to the same
// values as parse.
func TestV6ExtVectorsGopacket(t *testing.T) {
	checkers := gopacketBaseCheckers()
	checkers[layers.LayerTypeIPv6HopByHop] = checkHopByHop
	checkers[layers.LayerTypeIPv6Destination] = checkDestination
	checkers[layers.LayerTypeIPv6Routing] = checkRouting
	checkers[layers.LayerTypeIPv6Fragment] = checkFragment
	checkers[layers.LayerTypeIPSecAH] = checkAH
	checkers[layers.LayerTypeIPSecESP] = checkESP
	checked := checkGopacketFile(t, v6extVectors, checkers, gopacketCut(ahStop))
	wantAtLeast(t, checked, map[string]int{"ipv6_hbh": 25, "ipv6_dest": 25, "ipv6_rh": 25, "ipv6_frag": 25,
		"ah": 25, "esp": 25})
}

// ahStop reports an AH header after which gopacket reads otherwise than
// Scapy: Scapy 2.5 binds AH's payload to IPv4 on next header 0
// (socket.IPPROTO_IP, which is 0, where IP in IP is 4) and to IPv6 on 41,
// and leaves any other as Raw; parse follows it (v6ext.go). gopacket reads
// next header 0 as a hop-by-hop header, as IANA numbers it, and 6, 17, 50
// as TCP, UDP, ESP.
func ahStop(gl gopacket.Layer) bool {
	l, ok := gl.(*layers.IPSecAH)
	return ok && l.NextHeader != layers.IPProtocolIPv6
}

func checkHopByHop(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.IPv6HopByHop)
	var opts []*layers.IPv6DestinationOption
	for _, o := range l.Options {
		opts = append(opts, (*layers.IPv6DestinationOption)(o))
	}
	return tlvOptions("ipv6_hbh", l.Contents, opts, []gopacketCheck{{"ipv6_hbh", "nh", uint64(l.NextHeader)},
		{"ipv6_hbh", "len", uint64(l.HeaderLength)}})
}

func checkDestination(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.IPv6Destination)
	return tlvOptions("ipv6_dest", l.Contents, l.Options, []gopacketCheck{{"ipv6_dest", "nh", uint64(l.NextHeader)},
		{"ipv6_dest", "len", uint64(l.HeaderLength)}})
}

// tlvOptions adds to cs the check of a hop-by-hop or destination header's
// options, which parse keeps as bytes, made back from gopacket's type,
// length and data (Pad1 is one byte, RFC 8200 4.2). It leaves them out
// when they do not fill the header: gopacket drops an option that runs
// past the header's end, where Scapy and parse keep the header's bytes.
func tlvOptions(layer string, hdr []byte, opts []*layers.IPv6DestinationOption, cs []gopacketCheck) []gopacketCheck {
	b := []byte{}
	for _, o := range opts {
		if o.OptionType == 0 {
			b = append(b, 0)
			continue
		}
		b = append(append(b, o.OptionType, o.OptionLength), o.OptionData...)
	}
	if len(b) != len(hdr)-2 {
		return cs
	}
	return append(cs, gopacketCheck{layer, "options", b})
}

// checkRouting compares type 0's addresses as addresses, and the data of
// the other types as the bytes parse keeps when they are not whole
// addresses.
func checkRouting(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.IPv6Routing)
	cs := []gopacketCheck{{"ipv6_rh", "nh", uint64(l.NextHeader)}, {"ipv6_rh", "len", uint64(l.HeaderLength)},
		{"ipv6_rh", "type", uint64(l.RoutingType)}, {"ipv6_rh", "segleft", uint64(l.SegmentsLeft)},
		{"ipv6_rh", "reserved", uint64(binary.BigEndian.Uint32(l.Reserved))}}
	if l.RoutingType != 0 {
		return append(cs, gopacketCheck{"ipv6_rh", "addresses", l.Data})
	}
	addrs := []netip.Addr{}
	for _, ip := range l.SourceRoutingIPs {
		addrs = append(addrs, ipAddr(ip))
	}
	return append(cs, gopacketCheck{"ipv6_rh", "addresses", addrs})
}

func checkFragment(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.IPv6Fragment)
	return []gopacketCheck{{"ipv6_frag", "nh", uint64(l.NextHeader)}, {"ipv6_frag", "res1", uint64(l.Reserved1)},
		{"ipv6_frag", "offset", uint64(l.FragmentOffset)}, {"ipv6_frag", "res2", uint64(l.Reserved2)},
		{"ipv6_frag", "m", b2u(l.MoreFragments)}, {"ipv6_frag", "id", uint64(l.Identification)}}
}

func checkAH(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.IPSecAH)
	return []gopacketCheck{{"ah", "nh", uint64(l.NextHeader)}, {"ah", "payloadlen", uint64(l.HeaderLength)},
		{"ah", "reserved", uint64(l.Reserved)}, {"ah", "spi", uint64(l.SPI)}, {"ah", "seq", uint64(l.Seq)},
		{"ah", "icv", l.AuthenticationData}}
}

func checkESP(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.IPSecESP)
	return []gopacketCheck{{"esp", "spi", uint64(l.SPI)}, {"esp", "seq", uint64(l.Seq)}, {"esp", "data", l.Encrypted}}
}
