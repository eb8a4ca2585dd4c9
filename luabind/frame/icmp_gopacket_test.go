package frame

import (
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// gopacket decodes the ICMP and neighbour discovery vectors' ICMPv4,
// ICMPv6 and ND headers, their ND options, and the packets ICMP errors
// quote, to the same values as parse.
func TestICMPVectorsGopacket(t *testing.T) {
	checkers := gopacketBaseCheckers()
	checkers[layers.LayerTypeICMPv4] = checkICMPv4
	checkers[layers.LayerTypeICMPv6] = checkICMPv6
	checkers[layers.LayerTypeICMPv6RouterSolicitation] = checkNDRS
	checkers[layers.LayerTypeICMPv6RouterAdvertisement] = checkNDRA
	checkers[layers.LayerTypeICMPv6NeighborSolicitation] = checkNDNS
	checkers[layers.LayerTypeICMPv6NeighborAdvertisement] = checkNDNA
	checkers[layers.LayerTypeICMPv6Redirect] = checkNDRedirect
	quotes := map[gopacket.LayerType]int{}
	adjust := func(gls []gopacket.Layer) []gopacket.Layer { return withQuotes(gls, quotes) }
	checked := checkGopacketFile(t, icmpVectors, checkers, adjust)
	for name, n := range checkGopacketFile(t, ndOptsVectors, checkers, adjust) {
		checked[name] += n
	}
	wantAtLeast(t, checked, map[string]int{"icmp4": 25, "icmp6": 25, "nd_rs": 25, "nd_ra": 25,
		"nd_ns": 25, "nd_na": 25, "nd_redirect": 25, "nd_rs.options": 25, "nd_ra.options": 25,
		"nd_ns.options": 25, "nd_na.options": 25, "nd_redirect.options": 25})
	// The quotes gopacket decoded were all compared, field by field.
	for _, lt := range []gopacket.LayerType{layers.LayerTypeIPv4, layers.LayerTypeIPv6, layers.LayerTypeUDP, layers.LayerTypeTCP} {
		if quotes[lt] < 20 {
			t.Errorf("%d quoted %s layers decoded by gopacket, want 20 or more", quotes[lt], lt)
		}
	}
	t.Logf("quoted layers decoded by gopacket: %v", quotes)
}

// withQuotes adds what gopacket decodes, when asked, of the packet an ICMP
// error quotes: gopacket leaves it as payload. It counts the quoted layers
// by type.
func withQuotes(gls []gopacket.Layer, quotes map[gopacket.LayerType]int) []gopacket.Layer {
	for i, gl := range gls {
		var quote []byte
		first := layers.LayerTypeIPv4
		switch l := gl.(type) {
		case *layers.ICMPv4:
			if t := l.TypeCode.Type(); t == 3 || t == 4 || t == 5 || t == 11 || t == 12 {
				quote = l.Payload
			}
		case *layers.ICMPv6:
			// gopacket's ICMPv6 layer ends after the checksum: the quote
			// follows the error's 4 bytes of unused, MTU or pointer.
			if t := l.TypeCode.Type(); t >= 1 && t <= 4 && len(l.Payload) >= 4 {
				quote, first = l.Payload[4:], layers.LayerTypeIPv6
			}
		}
		if quote == nil {
			continue
		}
		qs := decodedLayers(gopacket.NewPacket(quote, first, gopacket.Default).Layers())
		for _, q := range qs {
			quotes[q.LayerType()]++
		}
		return append(gls[:i+1:i+1], qs...)
	}
	return gls
}

// icmp4Word is the second 32-bit word of ICMPv4 by type, which gopacket
// reads as Id and Seq for every type: a field's name, shift and width, as
// RFC 792 lays it out, with RFC 1191's next-hop MTU and RFC 4884's length.
var icmp4Word = map[uint8][]struct {
	field        string
	shift, width uint
}{
	3:  {{"reserved", 24, 8}, {"length", 16, 8}, {"nexthopmtu", 0, 16}},
	5:  {{"gw", 0, 32}},
	11: {{"reserved", 24, 8}, {"length", 16, 8}, {"unused", 0, 16}},
	12: {{"ptr", 24, 8}, {"length", 16, 8}, {"unused", 0, 16}},
}

// icmp4IDSeq are the types whose second word is an identifier and a
// sequence number (RFC 792, 950, 1788).
var icmp4IDSeq = map[uint8]bool{0: true, 8: true, 13: true, 14: true, 15: true, 16: true, 17: true, 18: true, 37: true, 38: true}

func checkICMPv4(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.ICMPv4)
	typ := l.TypeCode.Type()
	cs := []gopacketCheck{{"icmp4", "type", uint64(typ)}, {"icmp4", "code", uint64(l.TypeCode.Code())},
		{"icmp4", "chksum", uint64(l.Checksum)}}
	word := uint64(l.Id)<<16 | uint64(l.Seq)
	switch fields, ok := icmp4Word[typ]; {
	case icmp4IDSeq[typ]:
		cs = append(cs, gopacketCheck{"icmp4", "id", uint64(l.Id)}, gopacketCheck{"icmp4", "seq", uint64(l.Seq)})
	case ok:
		for _, f := range fields {
			cs = append(cs, gopacketCheck{"icmp4", f.field, word >> f.shift & (1<<f.width - 1)})
		}
	default:
		cs = append(cs, gopacketCheck{"icmp4", "unused", word})
	}
	return cs
}

// checkICMPv6 compares type, code and checksum, which gopacket's ICMPv6
// layer has, and an echo's id and seq, which gopacket decodes in a layer
// of its own.
func checkICMPv6(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.ICMPv6)
	cs := []gopacketCheck{{"icmp6", "type", uint64(l.TypeCode.Type())}, {"icmp6", "code", uint64(l.TypeCode.Code())},
		{"icmp6", "chksum", uint64(l.Checksum)}}
	if t := l.TypeCode.Type(); t == 128 || t == 129 {
		var echo layers.ICMPv6Echo
		if echo.DecodeFromBytes(l.Payload, gopacket.NilDecodeFeedback) == nil {
			cs = append(cs, gopacketCheck{"icmp6", "id", uint64(echo.Identifier)},
				gopacketCheck{"icmp6", "seq", uint64(echo.SeqNumber)})
		}
	}
	return cs
}

func checkNDRS(gl gopacket.Layer) []gopacketCheck {
	return ndOptions("nd_rs", gl.(*layers.ICMPv6RouterSolicitation).Options, nil)
}

// checkNDRA splits gopacket's flags byte as RFC 4861, 4191 (prf) and 5175
// (H, P) lay it out.
func checkNDRA(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.ICMPv6RouterAdvertisement)
	f := uint64(l.Flags)
	return ndOptions("nd_ra", l.Options, []gopacketCheck{{"nd_ra", "chlim", uint64(l.HopLimit)},
		{"nd_ra", "M", f >> 7}, {"nd_ra", "O", f >> 6 & 1}, {"nd_ra", "H", f >> 5 & 1},
		{"nd_ra", "prf", f >> 3 & 3}, {"nd_ra", "P", f >> 2 & 1}, {"nd_ra", "res", f & 3},
		{"nd_ra", "routerlifetime", uint64(l.RouterLifetime)}, {"nd_ra", "reachabletime", uint64(l.ReachableTime)},
		{"nd_ra", "retranstimer", uint64(l.RetransTimer)}})
}

func checkNDNS(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.ICMPv6NeighborSolicitation)
	return ndOptions("nd_ns", l.Options, []gopacketCheck{{"nd_ns", "tgt", ipAddr(l.TargetAddress)}})
}

// checkNDNA compares R, S, O and the reserved bits of gopacket's flags
// byte; gopacket keeps none of the other 24 reserved bits.
func checkNDNA(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.ICMPv6NeighborAdvertisement)
	f := uint64(l.Flags)
	return ndOptions("nd_na", l.Options, []gopacketCheck{{"nd_na", "R", f >> 7}, {"nd_na", "S", f >> 6 & 1},
		{"nd_na", "O", f >> 5 & 1}, {"nd_na", "res", gopacketMask{0x1f << 24, (f & 0x1f) << 24}},
		{"nd_na", "tgt", ipAddr(l.TargetAddress)}})
}

func checkNDRedirect(gl gopacket.Layer) []gopacketCheck {
	l := gl.(*layers.ICMPv6Redirect)
	return ndOptions("nd_redirect", l.Options, []gopacketCheck{{"nd_redirect", "tgt", ipAddr(l.TargetAddress)},
		{"nd_redirect", "dst", ipAddr(l.DestinationAddress)}})
}

// ndFixed are the ND option types Scapy 2.5 reads by fixed fields, and
// their size in 8-byte units: source and target link-layer address, prefix
// information, MTU (RFC 4861 4.6).
var ndFixed = map[layers.ICMPv6Opt]int{1: 1, 2: 1, 3: 4, 5: 1}

// ndOptions adds to cs the check of an ND layer's options, gopacket's with
// their length in 8-byte units as on the wire. It leaves them out when
// one of a fixed type has another length: gopacket skips the 8 * length
// bytes it says, as RFC 4861 4.6 and Wireshark do, where Scapy (and parse,
// which follows it: ndopts.go) reads the option's fixed fields and the
// next option right after them.
func ndOptions(layer string, nd layers.ICMPv6Options, cs []gopacketCheck) []gopacketCheck {
	var opts gopacketOptions
	for _, o := range nd {
		units := (len(o.Data) + 2) / 8
		if n, ok := ndFixed[o.Type]; ok && n != units {
			return cs
		}
		opts.tlvs = append(opts.tlvs, gopacketTLV{kind: uint64(o.Type), length: uint64(units), data: o.Data,
			named: !strings.HasPrefix(o.Type.String(), "Unknown")})
	}
	return append(cs, gopacketCheck{layer, "options", opts})
}
