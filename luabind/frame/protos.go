package frame

import "fmt"

// The built-in protocols, with Scapy's field names, order and defaults.
// Addresses Scapy finds from the routing table default to what Scapy uses
// for the loopback or, where there is no such answer, to zeros.
var (
	Ether = builtinProto("ether", "Ethernet II header", []Field{
		{Name: "dst", Kind: MAC}, {Name: "src", Kind: MAC},
		{Name: "type", Bits: 16, Hex: true},
	}, "dst", "ff:ff:ff:ff:ff:ff", "type", 0x9000)

	VLAN = builtinProto("vlan", "802.1Q VLAN tag", []Field{
		{Name: "pcp", Bits: 3, Aliases: []string{"prio"}}, {Name: "dei", Bits: 1, Aliases: []string{"id"}},
		{Name: "vid", Bits: 12, Aliases: []string{"vlan"}},
		{Name: "type", Bits: 16, Hex: true},
	}, "vid", 1)

	ARP = builtinProto("arp", "ARP request or reply", []Field{
		{Name: "hwtype", Bits: 16, Hex: true}, {Name: "ptype", Bits: 16, Hex: true},
		{Name: "hwlen", Bits: 8, Auto: true}, {Name: "plen", Bits: 8, Auto: true},
		{Name: "op", Bits: 16},
		{Name: "hwsrc", Kind: MAC}, {Name: "psrc", Kind: IPAddr},
		{Name: "hwdst", Kind: MAC}, {Name: "pdst", Kind: IPAddr},
	}, "hwtype", 1, "ptype", 0x0800, "hwlen", 6, "plen", 4, "op", 1,
		"psrc", "0.0.0.0", "pdst", "0.0.0.0")

	IPv4 = builtinProto("ipv4", "IPv4 header", []Field{
		{Name: "version", Bits: 4}, {Name: "ihl", Bits: 4, Auto: true},
		{Name: "tos", Bits: 8, Hex: true}, {Name: "len", Bits: 16, Auto: true},
		{Name: "id", Bits: 16}, {Name: "flags", Kind: IPFlags, Bits: 3},
		{Name: "frag", Bits: 13}, {Name: "ttl", Bits: 8}, {Name: "proto", Bits: 8},
		{Name: "chksum", Bits: 16, Auto: true, Hex: true},
		{Name: "src", Kind: IPv4Addr}, {Name: "dst", Kind: IPv4Addr},
		{Name: "options", Kind: List, List: ipOptionList},
	}, "version", 4, "id", 1, "ttl", 64, "src", "127.0.0.1", "dst", "127.0.0.1")

	IPv6 = builtinProto("ipv6", "IPv6 header", []Field{
		{Name: "version", Bits: 4}, {Name: "tc", Bits: 8}, {Name: "fl", Bits: 20},
		{Name: "plen", Bits: 16, Auto: true}, {Name: "nh", Bits: 8},
		{Name: "hlim", Bits: 8},
		{Name: "src", Kind: IPv6Addr}, {Name: "dst", Kind: IPv6Addr},
	}, "version", 6, "nh", 59, "hlim", 64, "src", "::1", "dst", "::1")

	ICMPv4 = builtinProto("icmp4", icmp4Doc, icmp4Fields(), "type", 8, "gw", "0.0.0.0", "addr_mask", "0.0.0.0")
	ICMPv6 = builtinProto("icmp6", icmp6Doc, icmp6Fields(), "type", 128, "mtu", 1280, "ptr", 6)

	UDP = builtinProto("udp", "UDP header", []Field{
		{Name: "sport", Bits: 16}, {Name: "dport", Bits: 16},
		{Name: "len", Bits: 16, Auto: true}, {Name: "chksum", Bits: 16, Auto: true, Hex: true},
	}, "sport", 53, "dport", 53)

	TCP = builtinProto("tcp", "TCP header", []Field{
		{Name: "sport", Bits: 16}, {Name: "dport", Bits: 16},
		{Name: "seq", Bits: 32}, {Name: "ack", Bits: 32},
		{Name: "dataofs", Bits: 4, Auto: true}, {Name: "reserved", Bits: 3},
		{Name: "flags", Kind: TCPFlags, Bits: 9}, {Name: "window", Bits: 16},
		{Name: "chksum", Bits: 16, Auto: true, Hex: true}, {Name: "urgptr", Bits: 16},
		{Name: "options", Kind: List, List: tcpOptionList},
	}, "sport", 20, "dport", 80, "flags", "S", "window", 8192)

	// rawProto is payload bytes: a string in a build list.
	rawProto = builtinProto("raw", "payload bytes", []Field{{Name: "load", Kind: Bytes}})

	// paddingProto is a trailer, as Scapy's Padding: at the end of a build
	// list its bytes follow the frame but count in no length or checksum;
	// elsewhere they are payload.
	paddingProto = builtinProto("padding", "trailer bytes", []Field{{Name: "load", Kind: Bytes}})
)

// Builtins are the built-in protocols, in the order the docs list them.
var Builtins = []*Proto{Ether, VLAN, ARP, IPv4, IPv6, ICMPv4, ICMPv6, UDP, TCP,
	NDRS, NDRA, NDNS, NDNA, NDRedirect, SLL, SLL2, Loopback, Dot3, LLC, SNAP, STP,
	GRE, VXLAN, GENEVE, MPLS, Dot1AD, ERSPAN,
	IPv6HBH, IPv6Dest, IPv6RH, IPv6Frag, AH, ESP, BOOTP, DHCP,
	DHCP6, NTP, NTPControl, NTPPrivate, SCTP, VRRP, PIM,
	IGMP, IGMPv3, IGMPv3MQ, IGMPv3MR, IGMPv3MRA, MLDQuery, MLDReport, MLDDone, MLDv2Query, MLDv2Report, LLDP,
	DNS, LLMNR}

// Field indexes of the built-in protocols, in the order of their Fields.
const (
	ethDst, ethSrc, ethType = 0, 1, 2

	vlanPCP, vlanDEI, vlanVID, vlanType = 0, 1, 2, 3

	arpHwtype, arpPtype, arpHwlen, arpPlen, arpOp = 0, 1, 2, 3, 4
	arpHwsrc, arpPsrc, arpHwdst, arpPdst          = 5, 6, 7, 8

	ipVersion, ipIHL, ipTOS, ipLen, ipID, ipFlags, ipFrag = 0, 1, 2, 3, 4, 5, 6
	ipTTL, ipProto, ipChksum, ipSrc, ipDst, ipOptions     = 7, 8, 9, 10, 11, 12

	v6Version, v6TC, v6FL, v6Plen, v6NH, v6Hlim, v6Src, v6Dst = 0, 1, 2, 3, 4, 5, 6, 7

	icmpType, icmpCode, icmpChksum, icmpID, icmpSeq = 0, 1, 2, 3, 4

	udpSport, udpDport, udpLen, udpChksum = 0, 1, 2, 3

	tcpSport, tcpDport, tcpSeq, tcpAck, tcpDataofs, tcpReserved = 0, 1, 2, 3, 4, 5
	tcpFlags, tcpWindow, tcpChksum, tcpUrgptr, tcpOptions       = 6, 7, 8, 9, 10

	rawLoad = 0
)

// Protocol numbers that bind layers, as IANA and IEEE assign them.
const (
	etherIPv4, etherARP, etherVLAN, etherIPv6 = 0x0800, 0x0806, 0x8100, 0x86dd
	etherQinQ, etherQinQOld                   = 0x88a8, 0x9100

	protoICMP, protoIPv4, protoTCP, protoUDP, protoIPv6, protoICMPv6 = 1, 4, 6, 17, 41, 58
)

func init() {
	for _, lower := range []*Proto{Ether, VLAN} {
		f, _ := lower.Field("type")
		lower.binds = []Binding{
			{Field: f, Value: etherIPv4, Upper: IPv4},
			{Field: f, Value: etherIPv6, Upper: IPv6},
			{Field: f, Value: etherARP, Upper: ARP},
			{Field: f, Value: etherVLAN, Upper: VLAN},
			{Field: f, Value: etherQinQ, Upper: VLAN, parseOnly: true},
			{Field: f, Value: etherQinQOld, Upper: VLAN, parseOnly: true},
		}
	}
	IPv4.binds = ipBinds(ipProto, ICMPv4, protoICMP)
	IPv6.binds = ipBinds(v6NH, ICMPv6, protoICMPv6)
	ICMPv4.binds = icmpBinds(IPv4, []uint64{3, 4, 5, 11, 12})
	ICMPv6.binds = icmpBinds(IPv6, []uint64{1, 2, 3, 4}, ndBinds()...)
	ICMPv4.present, ICMPv6.present = icmp4Present, icmp6Present
	linkBinds()
	tunnelBinds()
	v6extBinds()
	bootpBinds()
	dhcp6Binds()
	ntpBinds()
	sctpBinds()
	vrrpBinds()
	pimBinds()
	igmpBinds()
	setMLDCodecs()
	lldpBinds()
	dnsBinds()
	for _, p := range Builtins {
		for i := range p.binds {
			p.binds[i].Lower = p
		}
	}
	setCodecs()
	setTunnelCodecs()
}

// ipBinds are the protocols above IPv4 or IPv6, by the protocol number
// in field f; each has its own ICMP.
func ipBinds(f int, icmp *Proto, icmpNumber uint64) []Binding {
	return []Binding{
		{Field: f, Value: protoTCP, Upper: TCP},
		{Field: f, Value: protoUDP, Upper: UDP},
		{Field: f, Value: icmpNumber, Upper: icmp},
		{Field: f, Value: protoIPv4, Upper: IPv4},
		{Field: f, Value: protoIPv6, Upper: IPv6},
	}
}

// builtinProto makes a built-in protocol with defaults given as name,
// value pairs. A mistake in the tables is a bug, so it panics at init.
func builtinProto(name, doc string, fields []Field, defaults ...any) *Proto {
	p := &Proto{Name: name, Doc: doc, Fields: fields}
	for i := range fields {
		if fields[i].Kind == Uint && fields[i].Bits == 0 {
			panic(fmt.Sprintf("frame: %s.%s has no width", name, fields[i].Name))
		}
	}
	if err := p.layout(); err != nil {
		panic(fmt.Sprintf("frame: %s: %v", name, err))
	}
	if err := setDefaults(p, defaults); err != nil {
		panic(fmt.Sprintf("frame: %s: %v", name, err))
	}
	return p
}

// setDefaults sets p's default values from name, value pairs.
func setDefaults(p *Proto, defaults []any) error {
	for i := 0; i+1 < len(defaults); i += 2 {
		if err := p.defaults.Set(defaults[i].(string), defaults[i+1]); err != nil {
			return err
		}
	}
	p.defaults.given = 0
	return nil
}

// setCodecs gives the built-in protocols their encoders and decoders. It
// runs from init: the codecs refer to the protocols, and Go would see a
// cycle in their initializers.
func setCodecs() {
	codecs := []struct {
		p      *Proto
		encode func(*Builder, int)
		finish func(*Builder, int)
		decode func(*Layer, []byte) (decoded, error)
	}{
		{Ether, encodeEther, nil, decodeEther},
		{VLAN, encodeVLAN, nil, decodeVLAN},
		{ARP, encodeARP, nil, decodeARP},
		{IPv4, encodeIPv4, finishIPv4, decodeIPv4},
		{IPv6, encodeIPv6, finishIPv6, decodeIPv6},
		{ICMPv4, encodeICMPv4, finishICMPv4, decodeICMPv4},
		{ICMPv6, encodeICMPv6, finishICMPv6, decodeICMPv6},
		{UDP, encodeUDP, finishUDP, decodeUDP},
		{TCP, encodeTCP, finishTCP, decodeTCP},
		{SLL, encodeSLL, nil, decodeSLL},
		{SLL2, encodeSLL2, nil, decodeSLL2},
		{Loopback, encodeLoopback, nil, decodeLoopback},
		{Dot3, encodeDot3, finishDot3, decodeDot3},
		{LLC, encodeLLC, nil, decodeLLC},
		{SNAP, encodeSNAP, nil, decodeSNAP},
		{STP, encodeSTP, nil, decodeSTP},
		{rawProto, encodeRaw, nil, nil},
		{paddingProto, encodeRaw, nil, nil},
	}
	for _, c := range codecs {
		c.p.encode, c.p.finish, c.p.decode = c.encode, c.finish, c.decode
	}
	setNDCodecs()
}

func encodeRaw(b *Builder, i int) { b.buf = append(b.buf, b.layers[i].data...) }
