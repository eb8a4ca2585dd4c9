package frame

// ICMPv4 and ICMPv6 headers by type.
//
// Design: icmp4 and icmp6 are one layer each, with the fields of every
// type, as Scapy's ICMP is one class with conditional fields. The type
// field says which fields are on the wire: an echo has id and seq, a
// redirect gw, an error its unused bytes, and a parsed layer holds (and
// shows) only its type's fields. So f.icmp4{type=5, gw="198.18.0.1"}
// builds a redirect, p.icmp4.gw reads it, and id/seq work for echo as
// they always did. An error's quoted packet is not a field: it decodes as
// further layers (ipv4 or ipv6, then its first L4 header), as Scapy's
// IPerror/UDPerror/TCPerror/ICMPerror do; built, those layers compute the
// lengths and checksums not given, as Scapy's error classes (which inherit
// IP's and UDP's post_build) do. The bodies of neighbour discovery
// messages, which have many fields of their own, are layers of their own
// above icmp6 (nd.go), bound on its type as Scapy's ICMPv6ND_* classes
// are chosen by it.

// Field indexes of icmp4 and icmp6 beyond type, code, chksum, id and seq.
const (
	icmpTsOri, icmpTsRx, icmpTsTx, icmpGw, icmpPtr, icmpReserved = 5, 6, 7, 8, 9, 10
	icmpLength, icmpAddrMask, icmpNextHopMTU, icmpUnused         = 11, 12, 13, 14

	icmp6Length, icmp6Unused, icmp6MTU, icmp6Ptr = 5, 6, 7, 8
)

func icmp4Fields() []Field {
	return []Field{
		{Name: "type", Bits: 8}, {Name: "code", Bits: 8},
		{Name: "chksum", Bits: 16, Auto: true, Hex: true},
		{Name: "id", Bits: 16}, {Name: "seq", Bits: 16},
		{Name: "ts_ori", Bits: 32}, {Name: "ts_rx", Bits: 32}, {Name: "ts_tx", Bits: 32},
		{Name: "gw", Kind: IPv4Addr}, {Name: "ptr", Bits: 8},
		{Name: "reserved", Bits: 8}, {Name: "length", Bits: 8},
		{Name: "addr_mask", Kind: IPv4Addr}, {Name: "nexthopmtu", Bits: 16},
		{Name: "unused", Bits: 32},
	}
}

func icmp6Fields() []Field {
	return []Field{
		{Name: "type", Bits: 8}, {Name: "code", Bits: 8},
		{Name: "chksum", Bits: 16, Auto: true, Hex: true, Aliases: []string{"cksum"}},
		{Name: "id", Bits: 16}, {Name: "seq", Bits: 16},
		{Name: "length", Bits: 8}, {Name: "unused", Bits: 24, Hex: true},
		{Name: "mtu", Bits: 32}, {Name: "ptr", Bits: 32},
	}
}

// The docs of icmp4 and icmp6 say which fields each type has.
const (
	icmp4Doc = "ICMP header: type, code, chksum, then by type: 0/8/15/16 id, seq; " +
		"37/38 id, seq, unused; 13/14 id, seq, ts_ori, ts_rx, ts_tx; 17/18 id, seq, addr_mask; 5 gw; " +
		"3 reserved, length, nexthopmtu; 11 reserved, length, unused (16 bits); " +
		"12 ptr, length, unused (16 bits); others unused (32 bits); fields of other types read nil. " +
		"Errors 3, 4, 5, 11, 12 are followed by the quoted ipv4 and its L4 header"
	icmp6Doc = "ICMPv6 header: type, code, chksum, then by type: 128/129 id, seq; " +
		"1/3 length, unused (24 bits); 2 mtu (1280); 4 ptr (6); 133-137 nothing (the nd_* layer follows, " +
		"and makes the ipv6 below it hlim 255, dst ff02::1 or ff02::2 for nd_rs, unless given). " +
		"Errors 1-4 are followed by the quoted ipv6 and its L4 header"
)

// A bodyField is a field after type, code and checksum, and its width on
// the wire in bytes.
type bodyField struct{ f, n int }

// The bodies of ICMPv4 messages, as Scapy 2.5's conditional fields lay
// them out.
var (
	icmp4Echo      = []bodyField{{icmpID, 2}, {icmpSeq, 2}}
	icmp4Timestamp = []bodyField{{icmpID, 2}, {icmpSeq, 2}, {icmpTsOri, 4}, {icmpTsRx, 4}, {icmpTsTx, 4}}
	icmp4Mask      = []bodyField{{icmpID, 2}, {icmpSeq, 2}, {icmpAddrMask, 4}}
	icmp4Redirect  = []bodyField{{icmpGw, 4}}
	icmp4Unreach   = []bodyField{{icmpReserved, 1}, {icmpLength, 1}, {icmpNextHopMTU, 2}}
	icmp4Exceeded  = []bodyField{{icmpReserved, 1}, {icmpLength, 1}, {icmpUnused, 2}}
	icmp4Param     = []bodyField{{icmpPtr, 1}, {icmpLength, 1}, {icmpUnused, 2}}
	icmp4Domain    = []bodyField{{icmpID, 2}, {icmpSeq, 2}, {icmpUnused, 4}}
	icmp4Other     = []bodyField{{icmpUnused, 4}}
)

// icmp4Body is the body of ICMPv4 type t.
func icmp4Body(t uint64) []bodyField {
	switch t {
	case 0, 8, 15, 16:
		return icmp4Echo
	case 37, 38:
		return icmp4Domain
	case 13, 14:
		return icmp4Timestamp
	case 17, 18:
		return icmp4Mask
	case 5:
		return icmp4Redirect
	case 3:
		return icmp4Unreach
	case 11:
		return icmp4Exceeded
	case 12:
		return icmp4Param
	}
	return icmp4Other
}

// The bodies of ICMPv6 messages, as Scapy's ICMPv6 classes lay them out.
var (
	icmp6Echo    = []bodyField{{icmpID, 2}, {icmpSeq, 2}}
	icmp6Error   = []bodyField{{icmp6Length, 1}, {icmp6Unused, 3}}
	icmp6TooBig  = []bodyField{{icmp6MTU, 4}}
	icmp6Param   = []bodyField{{icmp6Ptr, 4}}
	icmp6Unknown = []bodyField{}
)

// icmp6Body is the body of ICMPv6 type t. Types it does not know (and
// neighbour discovery, whose body is the nd_* layer) have none: the rest
// is the payload, as in Scapy's ICMPv6Unknown.
func icmp6Body(t uint64) []bodyField {
	switch t {
	case 128, 129:
		return icmp6Echo
	case 1, 3:
		return icmp6Error
	case 2:
		return icmp6TooBig
	case 4:
		return icmp6Param
	}
	return icmp6Unknown
}

// icmp4Quotes and icmp6Quotes report whether a type is an error that
// quotes the packet that caused it.
func icmp4Quotes(t uint64) bool { return t == 3 || t == 4 || t == 5 || t == 11 || t == 12 }
func icmp6Quotes(t uint64) bool { return t >= 1 && t <= 4 }

func encodeICMPv4(b *Builder, i int) { encodeICMP(b, i, icmp4Body(b.num(i, icmpType))) }
func encodeICMPv6(b *Builder, i int) { encodeICMP(b, i, icmp6Body(b.num(i, icmpType))) }

// encodeICMP writes type, code, checksum and the fields of the body.
func encodeICMP(b *Builder, i int, body []bodyField) {
	b.u8(b.num(i, icmpType))
	b.u8(b.num(i, icmpCode))
	b.u16(b.num(i, icmpChksum))
	for _, bf := range body {
		v := b.num(i, bf.f)
		for k := bf.n - 1; k >= 0; k-- {
			b.u8(v >> (8 * k))
		}
	}
}

func finishICMPv4(b *Builder, i int) {
	if !b.given(i, icmpChksum) {
		b.put16(i, 2, checksum(b.from(i)))
	}
}

func finishICMPv6(b *Builder, i int) {
	b.transportChecksum(i, icmpChksum, 2, protoICMPv6)
}

func decodeICMPv4(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 {
		return decoded{}, truncated(len(d), 4)
	}
	return decodeICMP(l, d, icmp4Body(uint64(d[0])), icmp4Quotes(uint64(d[0])))
}

func decodeICMPv6(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 {
		return decoded{}, truncated(len(d), 4)
	}
	return decodeICMP(l, d, icmp6Body(uint64(d[0])), icmp6Quotes(uint64(d[0])))
}

// decodeICMP reads type, code, checksum and the body's fields; an error's
// quote is decoded by the layers bound on its type.
func decodeICMP(l *Layer, d []byte, body []bodyField, quote bool) (decoded, error) {
	need := 4
	for _, bf := range body {
		need += bf.n
	}
	if len(d) < need {
		return decoded{}, truncated(len(d), need)
	}
	l.put(icmpType, uint64(d[0]))
	l.put(icmpCode, uint64(d[1]))
	l.put(icmpChksum, u16(d[2:]))
	off := 4
	for _, bf := range body {
		var v uint64
		for _, c := range d[off : off+bf.n] {
			v = v<<8 | uint64(c)
		}
		l.put(bf.f, v)
		off += bf.n
	}
	return decoded{hdr: need, end: -1, quote: quote}, nil
}

// icmp4Present and icmp6Present report whether field i is on the wire
// for the layer's type: type, code and checksum always are.
func icmp4Present(l *Layer, i int) bool { return inBody(icmp4Body(l.Uint(icmpType)), i) }
func icmp6Present(l *Layer, i int) bool { return inBody(icmp6Body(l.Uint(icmpType)), i) }

func inBody(body []bodyField, i int) bool {
	if i <= icmpChksum {
		return true
	}
	for _, bf := range body {
		if bf.f == i {
			return true
		}
	}
	return false
}

// icmpBinds are the layers above an ICMP layer: the quoted IP packet of
// each error type (parse only: Scapy's ICMP()/IPerror() keeps type 8),
// and the given extra bindings.
func icmpBinds(quoted *Proto, errors []uint64, extra ...Binding) []Binding {
	var bs []Binding
	for _, t := range errors {
		bs = append(bs, Binding{Field: icmpType, Value: t, Upper: quoted, parseOnly: true})
	}
	return append(bs, extra...)
}

// present reports whether field i of l is on the wire for l's values (an
// ICMP type has only some of the fields); a protocol without such a rule
// has all its fields.
func (l *Layer) present(i int) bool { return l.Proto.present == nil || l.Proto.present(l, i) }

// icmpBodyBytes is the width in bytes of field i of an ICMP layer's body
// for its type, or 0 for a field outside the body or another protocol.
func icmpBodyBytes(l *Layer, i int) int {
	var body []bodyField
	switch l.Proto {
	case ICMPv4:
		body = icmp4Body(l.Uint(icmpType))
	case ICMPv6:
		body = icmp6Body(l.Uint(icmpType))
	}
	for _, bf := range body {
		if bf.f == i {
			return bf.n
		}
	}
	return 0
}
