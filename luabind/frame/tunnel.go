package frame

// Tunnels and labels: GRE, VXLAN, GENEVE and MPLS, with Scapy 2.5's field
// names, defaults and bindings (scapy.layers.l2.GRE, scapy.layers.vxlan,
// scapy.contrib.geneve, scapy.contrib.mpls).

var (
	// GRE's optional fields are on the wire only when its flags say so,
	// as Scapy's ConditionalFields are: chksum and offset with
	// chksum_present or routing_present, key with key_present,
	// sequence_number with seqnum_present.
	GRE = builtinProto("gre", "GRE header (RFC 2784, 2890); chksum, offset, key, sequence_number on the wire per their flags; chksum computed with chksum_present", []Field{
		{Name: "chksum_present", Bits: 1}, {Name: "routing_present", Bits: 1},
		{Name: "key_present", Bits: 1}, {Name: "seqnum_present", Bits: 1},
		{Name: "strict_route_source", Bits: 1}, {Name: "recursion_control", Bits: 3},
		{Name: "flags", Bits: 5}, {Name: "version", Bits: 3},
		{Name: "proto", Bits: 16, Hex: true},
		{Name: "chksum", Bits: 16, Auto: true, Hex: true}, {Name: "offset", Bits: 16, Hex: true},
		{Name: "key", Bits: 32, Hex: true}, {Name: "sequence_number", Bits: 32, Hex: true},
	})

	// VXLAN's reserved1 is the 24 bits after the flags: Scapy's reserved1,
	// or its reserved0 and NextProtocol (flag 0x04), or gpflags and gpid
	// (flag 0x80).
	VXLAN = builtinProto("vxlan", "VXLAN header (RFC 7348); flags 0x08, or 0x0c with reserved1 the NextProtocol of the layer above; UDP 4789", []Field{
		{Name: "flags", Bits: 8, Hex: true}, {Name: "reserved1", Bits: 24, Hex: true},
		{Name: "vni", Bits: 24, Hex: true}, {Name: "reserved2", Bits: 8, Hex: true},
	}, "flags", 0x08)

	GENEVE = builtinProto("geneve", "GENEVE header (RFC 8926); options as bytes, optionlen computed; UDP 6081", []Field{
		{Name: "version", Bits: 2}, {Name: "optionlen", Bits: 6, Auto: true},
		{Name: "oam", Bits: 1}, {Name: "critical", Bits: 1}, {Name: "reserved", Bits: 6},
		{Name: "proto", Bits: 16, Hex: true}, {Name: "vni", Bits: 24, Hex: true},
		{Name: "reserved2", Bits: 8, Hex: true}, {Name: "options", Kind: Bytes},
	})

	// ERSPAN is type II, which Scapy's ERSPAN is; an Ethernet frame
	// follows it.
	ERSPAN = builtinProto("erspan", "ERSPAN type II header, in GRE (proto 0x88be); an Ethernet frame follows", []Field{
		{Name: "ver", Bits: 4}, {Name: "vlan", Bits: 12}, {Name: "cos", Bits: 3}, {Name: "en", Bits: 2},
		{Name: "t", Bits: 1}, {Name: "session_id", Bits: 10}, {Name: "reserved", Bits: 12}, {Name: "index", Bits: 20},
	})

	// Dot1AD is the 802.1ad service tag, Scapy's Dot1AD: a layer to build
	// (Ethernet type 0x88a8); parse reads the tag as vlan.
	Dot1AD = builtinProto("dot1ad", "802.1ad service tag (EtherType 0x88a8); parsed as vlan", []Field{
		{Name: "pcp", Bits: 3, Aliases: []string{"prio"}}, {Name: "dei", Bits: 1, Aliases: []string{"id"}},
		{Name: "vid", Bits: 12, Aliases: []string{"vlan"}},
		{Name: "type", Bits: 16, Hex: true},
	}, "vid", 1)

	MPLS = builtinProto("mpls", "MPLS label stack entry (label 3, s 1 unless given); stacked until s=1, then IPv4 or IPv6 by the version nibble", []Field{
		{Name: "label", Bits: 20}, {Name: "cos", Bits: 3}, {Name: "s", Bits: 1}, {Name: "ttl", Bits: 8},
	}, "label", 3, "s", 1)
)

// Field indexes of the tunnel protocols, in the order of their Fields.
const (
	greCPresent, greRPresent, greKPresent, greSPresent, greStrict, greRecursion = 0, 1, 2, 3, 4, 5
	greFlags, greVersion, greProto, greChksum, greOffset, greKey, greSeq        = 6, 7, 8, 9, 10, 11, 12

	vxlanFlags, vxlanReserved1, vxlanVNI, vxlanReserved2 = 0, 1, 2, 3

	geneveVersion, geneveOptionlen, geneveOAM, geneveCritical, geneveReserved = 0, 1, 2, 3, 4
	geneveProto, geneveVNI, geneveReserved2, geneveOptions                    = 5, 6, 7, 8

	mplsLabel, mplsCos, mplsS, mplsTTL = 0, 1, 2, 3

	erspanVer, erspanVLAN, erspanCos, erspanEn, erspanT, erspanSession, erspanReserved, erspanIndex = 0, 1, 2, 3, 4, 5, 6, 7
)

// Protocol numbers and ports of the tunnels, as IANA and IEEE assign them.
const (
	etherTEB, etherMPLS, etherMPLSMulticast = 0x6558, 0x8847, 0x8848
	etherERSPAN                             = 0x88be
	protoGRE, protoMPLS                     = 47, 137
	portVXLAN, portGENEVE, portMPLS         = 4789, 6081, 6635
)

// vxlanPorts are the other UDP ports Scapy decodes VXLAN on: VXLAN-GPE,
// NSH, Linux's and Cisco ACI's.
var vxlanPorts = []uint64{4790, 6633, 8472, 48879}

// tunnelBinds adds the tunnels' bindings, Scapy's, to the built-in
// protocols. It runs from init, before the bindings get their Lower.
func tunnelBinds() {
	for _, lower := range []*Proto{Ether, VLAN} {
		etherType, _ := lower.Field("type")
		lower.binds = append(lower.binds,
			Binding{Field: etherType, Value: etherMPLS, Upper: MPLS},
			Binding{Field: etherType, Value: etherMPLSMulticast, Upper: MPLS, parseOnly: true},
			// After the parse-only binding of 0x88a8 to VLAN: built only.
			Binding{Field: etherType, Value: etherQinQ, Upper: Dot1AD})
	}
	Dot1AD.binds = append([]Binding(nil), VLAN.binds...)
	IPv4.binds = append(IPv4.binds, Binding{Field: ipProto, Value: protoGRE, Upper: GRE},
		Binding{Field: ipProto, Value: protoMPLS, Upper: MPLS})
	IPv6.binds = append(IPv6.binds, Binding{Field: v6NH, Value: protoGRE, Upper: GRE},
		Binding{Field: v6NH, Value: protoMPLS, Upper: MPLS})
	// Scapy builds UDP()/VXLAN() with both ports 4789, and decodes VXLAN
	// on any of its ports, destination first.
	UDP.binds = append(UDP.binds, Binding{Field: udpDport, Value: portVXLAN, Upper: VXLAN,
		also: &Binding{Field: udpSport, Value: portVXLAN}})
	for _, f := range []int{udpDport, udpSport} {
		for _, port := range append([]uint64{portVXLAN}, vxlanPorts...) {
			UDP.binds = append(UDP.binds, Binding{Field: f, Value: port, Upper: VXLAN, parseOnly: true})
		}
	}
	UDP.binds = append(UDP.binds, Binding{Field: udpDport, Value: portGENEVE, Upper: GENEVE},
		Binding{Field: udpDport, Value: portMPLS, Upper: MPLS})
	// Scapy builds GRE()/ERSPAN() with seqnum_present 1, and decodes
	// ERSPAN (as type II) whatever seqnum_present says.
	GRE.binds = append(tunnelPayloadBinds(greProto), Binding{Field: greProto, Value: etherERSPAN, Upper: ERSPAN,
		also: &Binding{Field: greSPresent, Value: 1}})
	GENEVE.binds = tunnelPayloadBinds(geneveProto)[:3]
	// Scapy builds VXLAN()/IP() with the NextProtocol flag (0x04), and
	// VXLAN()/Ether() too (encodeVXLAN writes the NextProtocol byte);
	// decodeVXLAN picks the protocol above itself.
	VXLAN.binds = []Binding{
		{Field: vxlanFlags, Value: 0x0c, Upper: Ether},
		{Field: vxlanFlags, Value: 0x0c, Upper: IPv4},
		{Field: vxlanFlags, Value: 0x0c, Upper: IPv6},
	}
	// Building MPLS()/IP() sets label 0 (IPv4 explicit null), as Scapy
	// does; parsing goes by s and the version nibble instead (decodeMPLS).
	MPLS.binds = []Binding{
		{Field: mplsS, Value: 0, Upper: MPLS},
		{Field: mplsLabel, Value: 0, Upper: IPv4},
		{Field: mplsLabel, Value: 2, Upper: IPv6},
	}
}

// tunnelPayloadBinds are the protocols GRE and GENEVE carry, by the EtherType
// in field f: IPv4, IPv6 and Ethernet (transparent Ethernet bridging)
// first, then ARP, 802.1Q and MPLS.
func tunnelPayloadBinds(f int) []Binding {
	return []Binding{
		{Field: f, Value: etherIPv4, Upper: IPv4},
		{Field: f, Value: etherIPv6, Upper: IPv6},
		{Field: f, Value: etherTEB, Upper: Ether},
		{Field: f, Value: etherARP, Upper: ARP},
		{Field: f, Value: etherVLAN, Upper: VLAN},
		{Field: f, Value: etherMPLS, Upper: MPLS},
	}
}

// setTunnelCodecs gives the tunnel protocols their codecs (see setCodecs).
func setTunnelCodecs() {
	GRE.encode, GRE.finish, GRE.decode = encodeGRE, finishGRE, decodeGRE
	Dot1AD.encode, Dot1AD.decode = encodeVLAN, decodeVLAN
	ERSPAN.encode, ERSPAN.decode = encodeERSPAN, decodeERSPAN
	VXLAN.encode, VXLAN.decode = encodeVXLAN, decodeVXLAN
	GENEVE.encode, GENEVE.finish, GENEVE.decode = encodeGENEVE, finishGENEVE, decodeGENEVE
	MPLS.encode, MPLS.decode = encodeMPLS, decodeMPLS
}

func encodeGRE(b *Builder, i int) {
	b.u8(b.num(i, greCPresent)<<7 | b.num(i, greRPresent)<<6 | b.num(i, greKPresent)<<5 |
		b.num(i, greSPresent)<<4 | b.num(i, greStrict)<<3 | b.num(i, greRecursion))
	b.u8(b.num(i, greFlags)<<3 | b.num(i, greVersion))
	b.u16(b.num(i, greProto))
	if b.num(i, greCPresent) == 1 || b.num(i, greRPresent) == 1 {
		b.u16(b.num(i, greChksum))
		b.u16(b.num(i, greOffset))
	}
	if b.num(i, greKPresent) == 1 {
		b.u32(b.num(i, greKey))
	}
	if b.num(i, greSPresent) == 1 {
		b.u32(b.num(i, greSeq))
	}
}

// finishGRE computes the checksum over the header and payload when
// chksum_present says there is one and it was not given.
func finishGRE(b *Builder, i int) {
	if b.num(i, greCPresent) == 1 && !b.given(i, greChksum) {
		b.put16(i, 4, checksum(b.from(i)))
	}
}

// greLen is the length of a GRE header whose first byte is b0.
func greLen(b0 byte) int {
	n := 4
	if b0&0xc0 != 0 {
		n += 4
	}
	return n + 4*int(b0>>5&1) + 4*int(b0>>4&1)
}

// decodeGRE reads the header and the optional fields its flags announce;
// cut short, it is no GRE layer at all, as in Scapy.
func decodeGRE(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 || len(d) < greLen(d[0]) {
		need := 4
		if len(d) > 0 {
			need = greLen(d[0])
		}
		return decoded{}, truncated(len(d), need)
	}
	for f, bit := range [...]int{greCPresent: 7, greRPresent: 6, greKPresent: 5, greSPresent: 4, greStrict: 3} {
		l.put(f, uint64(d[0]>>bit&1))
	}
	l.put(greRecursion, uint64(d[0]&7))
	l.put(greFlags, uint64(d[1]>>3))
	l.put(greVersion, uint64(d[1]&7))
	l.put(greProto, u16(d[2:]))
	n := 4
	if d[0]&0xc0 != 0 {
		l.put(greChksum, u16(d[n:]))
		l.put(greOffset, u16(d[n+2:]))
		n += 4
	}
	for _, opt := range [...]struct{ f, bit int }{{greKey, 5}, {greSeq, 4}} {
		if d[0]>>opt.bit&1 == 0 {
			continue
		}
		l.put(opt.f, u32(d[n:]))
		n += 4
	}
	res := decoded{hdr: n, end: -1}
	if d[0]&0x40 != 0 {
		// Scapy binds GRE's routing entries (GRErouting) ahead of IP and
		// IPv6, but after Ethernet, ARP and 802.1Q; netlua does not decode
		// routing entries, so it stops where Scapy would read them.
		switch u16(d[2:]) {
		case etherTEB, etherARP, etherVLAN:
		default:
			res.stop = true
		}
	}
	return res, nil
}

// vxlanNextProtocol is the NextProtocol byte Scapy writes for the layer
// above VXLAN.
var vxlanNextProtocol = map[string]uint64{"ipv4": 1, "ipv6": 2, "ether": 3}

// encodeVXLAN writes reserved1 as given; not given, it is zero, or, when
// the flags have NextProtocol (0x04), the NextProtocol byte of the layer
// above, as Scapy's binding sets it.
func encodeVXLAN(b *Builder, i int) {
	flags, reserved := b.num(i, vxlanFlags), b.num(i, vxlanReserved1)
	if over := b.over[i]; over != nil && flags&0x04 != 0 && !b.given(i, vxlanReserved1) {
		reserved = vxlanNextProtocol[over.Upper.Name]
	}
	b.u32(flags<<24 | reserved)
	b.u32(b.num(i, vxlanVNI)<<8 | b.num(i, vxlanReserved2))
}

// decodeVXLAN reads the header; what follows is Ethernet, or, with the
// NextProtocol flag (0x04), what the NextProtocol byte says: 1 IPv4,
// 2 IPv6, 0 or 3 Ethernet, anything else left undecoded, as in Scapy.
func decodeVXLAN(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	l.put(vxlanFlags, uint64(d[0]))
	l.put(vxlanReserved1, u32(d)&0xffffff)
	l.put(vxlanVNI, u32(d[4:])>>8)
	l.put(vxlanReserved2, uint64(d[7]))
	res := decoded{hdr: 8, end: -1, next: Ether}
	if d[0]&0x04 != 0 {
		switch d[3] {
		case 1:
			res.next = IPv4
		case 2:
			res.next = IPv6
		case 0, 3:
		default:
			res.next, res.stop = nil, true
		}
	}
	return res, nil
}

func encodeGENEVE(b *Builder, i int) {
	b.u8(b.num(i, geneveVersion)<<6 | b.num(i, geneveOptionlen))
	b.u8(b.num(i, geneveOAM)<<7 | b.num(i, geneveCritical)<<6 | b.num(i, geneveReserved))
	b.u16(b.num(i, geneveProto))
	b.u32(b.num(i, geneveVNI)<<8 | b.num(i, geneveReserved2))
	b.buf = append(b.buf, b.layers[i].Bytes(geneveOptions)...)
}

// finishGENEVE fills optionlen, the options' length in 4-byte words, when
// it was not given. Scapy masks it with 0x2f (not 0x3f), so 16 words or
// more lose bit 4: the same is done here, to build the same bytes.
func finishGENEVE(b *Builder, i int) {
	if !b.given(i, geneveOptionlen) {
		words := len(b.layers[i].Bytes(geneveOptions)) / 4
		at := b.starts[i]
		b.buf[at] = b.buf[at]&0xc0 | byte(words&0x2f)
	}
}

// decodeGENEVE reads optionlen words of options, or what there is of them.
func decodeGENEVE(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	l.put(geneveVersion, uint64(d[0]>>6))
	l.put(geneveOptionlen, uint64(d[0]&0x3f))
	l.put(geneveOAM, uint64(d[1]>>7))
	l.put(geneveCritical, uint64(d[1]>>6&1))
	l.put(geneveReserved, uint64(d[1]&0x3f))
	l.put(geneveProto, u16(d[2:]))
	l.put(geneveVNI, u32(d[4:])>>8)
	l.put(geneveReserved2, uint64(d[7]))
	n := min(len(d), 8+4*int(d[0]&0x3f))
	l.data = d[8:n]
	return decoded{hdr: n, end: -1}, nil
}

func encodeMPLS(b *Builder, i int) {
	b.u32(b.num(i, mplsLabel)<<12 | b.num(i, mplsCos)<<9 | b.num(i, mplsS)<<8 | b.num(i, mplsTTL))
}

// decodeMPLS reads one label stack entry and picks what follows as
// Scapy's MPLS.guess_payload_class does: another entry until s is 1, then
// IPv4 or IPv6 by the version nibble, Ethernet when the first two bytes
// are not zero (zeros are a pseudowire control word, left undecoded).
func decodeMPLS(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 {
		return decoded{}, truncated(len(d), 4)
	}
	v := u32(d)
	l.put(mplsLabel, v>>12)
	l.put(mplsCos, v>>9&7)
	l.put(mplsS, v>>8&1)
	l.put(mplsTTL, v&0xff)
	res := decoded{hdr: 4, end: -1, stop: true}
	rest := d[4:]
	switch {
	case len(rest) == 0:
	case v>>8&1 == 0:
		res.next = MPLS
	case rest[0]>>4 == 4:
		res.next = IPv4
	case rest[0]>>4 == 6:
		res.next = IPv6
	case rest[0]>>4 == 5 || len(rest) < 2 || rest[0] == 0 && rest[1] == 0:
	default:
		res.next = Ether
	}
	if res.next != nil {
		res.stop = false
	}
	return res, nil
}

func encodeERSPAN(b *Builder, i int) {
	b.u32(b.num(i, erspanVer)<<28 | b.num(i, erspanVLAN)<<16 | b.num(i, erspanCos)<<13 |
		b.num(i, erspanEn)<<11 | b.num(i, erspanT)<<10 | b.num(i, erspanSession))
	b.u32(b.num(i, erspanReserved)<<20 | b.num(i, erspanIndex))
}

func decodeERSPAN(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	w0, w1 := u32(d), u32(d[4:])
	l.put(erspanVer, w0>>28)
	l.put(erspanVLAN, w0>>16&0xfff)
	l.put(erspanCos, w0>>13&7)
	l.put(erspanEn, w0>>11&3)
	l.put(erspanT, w0>>10&1)
	l.put(erspanSession, w0&0x3ff)
	l.put(erspanReserved, w1>>20)
	l.put(erspanIndex, w1&0xfffff)
	return decoded{hdr: 8, end: -1, next: Ether}, nil
}
