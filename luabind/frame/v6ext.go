package frame

import (
	"errors"
	"fmt"
	"net/netip"
)

// IPv6 extension headers, AH and ESP, with Scapy 2.5's names, defaults
// and bindings (scapy.layers.inet6.IPv6ExtHdr*, scapy.layers.ipsec). The
// hop-by-hop and destination options are kept as their bytes on the wire;
// a build pads them to a multiple of 8 bytes with Pad1 or PadN at the end,
// as Scapy's autopad does for options that need no alignment of their own.

var (
	IPv6HBH  = builtinProto("ipv6_hbh", "IPv6 hop-by-hop options header (next header 0); options as bytes, padded with Pad1/PadN; len computed", v6OptFields(), "nh", 59)
	IPv6Dest = builtinProto("ipv6_dest", "IPv6 destination options header (next header 60); options as bytes, padded with Pad1/PadN; len computed", v6OptFields(), "nh", 59)

	// IPv6RH is the routing header of type 0 and the like: segleft
	// defaults to the number of addresses, as Scapy's.
	IPv6RH = builtinProto("ipv6_rh", "IPv6 routing header (next header 43); len and segleft computed from addresses; a TCP/UDP/ICMPv6 checksum covers the last address when segleft is not 0; "+srhDoc, []Field{
		{Name: "nh", Bits: 8}, {Name: "len", Bits: 8, Auto: true},
		{Name: "type", Bits: 8}, {Name: "segleft", Bits: 8, Auto: true},
		{Name: "reserved", Bits: 32, Hex: true},
		// type 4, segment routing (srh.go): these instead of reserved
		{Name: "lastentry", Bits: 8, Auto: true}, {Name: "unused1", Bits: 1}, {Name: "protected", Bits: 1},
		{Name: "oam", Bits: 1}, {Name: "alert", Bits: 1}, {Name: "hmac", Bits: 1}, {Name: "unused2", Bits: 3},
		{Name: "tag", Bits: 16},
		{Name: "addresses", Kind: List, List: addressList{}},
	}, "nh", 59)

	IPv6Frag = builtinProto("ipv6_frag", "IPv6 fragment header (next header 44); a fragment other than the first is left undecoded", []Field{
		{Name: "nh", Bits: 8}, {Name: "res1", Bits: 8},
		{Name: "offset", Bits: 13}, {Name: "res2", Bits: 2}, {Name: "m", Bits: 1},
		{Name: "id", Bits: 32},
	}, "nh", 59)

	// AH's padding, Scapy's last field, is always empty on parse (its
	// length is known only from the security association), so icv holds
	// all (payloadlen-1)*4 bytes.
	AH = builtinProto("ah", "IPsec authentication header (IP protocol 51); icv as bytes, (payloadlen-1)*4 of them", []Field{
		{Name: "nh", Bits: 8}, {Name: "payloadlen", Bits: 8},
		{Name: "reserved", Bits: 16}, {Name: "spi", Bits: 32, Hex: true},
		{Name: "seq", Bits: 32}, {Name: "icv", Kind: Bytes},
	}, "spi", 1)

	ESP = builtinProto("esp", "IPsec encapsulating security payload (IP protocol 50); the rest as data bytes", []Field{
		{Name: "spi", Bits: 32, Hex: true}, {Name: "seq", Bits: 32}, {Name: "data", Kind: Bytes},
	}, "spi", 1)
)

// v6OptFields are the fields of the hop-by-hop and destination options
// headers.
func v6OptFields() []Field {
	return []Field{{Name: "nh", Bits: 8}, {Name: "len", Bits: 8, Auto: true}, {Name: "options", Kind: Bytes}}
}

// Field indexes of the extension headers.
const (
	v6optNH, v6optLen, v6optOptions = 0, 1, 2

	rhNH, rhLen, rhType, rhSegleft, rhReserved, rhAddresses = 0, 1, 2, 3, 4, 13

	fragNH, fragRes1, fragOffset, fragRes2, fragM, fragID = 0, 1, 2, 3, 4, 5

	ahNH, ahPayloadlen, ahReserved, ahSPI, ahSeq, ahICV = 0, 1, 2, 3, 4, 5
)

// Protocol numbers of the extension headers and IPsec.
const (
	protoHBH, protoRH, protoFrag, protoESP, protoAH, protoDest = 0, 43, 44, 50, 51, 60
	portNATT                                                   = 4500 // ESP in UDP
)

// v6extBinds binds the extension headers on IPv6 and on each other, and
// AH and ESP on IPv4 and IPv6. It runs from init.
func v6extBinds() {
	exts := []Binding{
		{Value: protoHBH, Upper: IPv6HBH}, {Value: protoDest, Upper: IPv6Dest},
		{Value: protoRH, Upper: IPv6RH}, {Value: protoFrag, Upper: IPv6Frag},
		{Value: protoAH, Upper: AH}, {Value: protoESP, Upper: ESP},
	}
	with := func(f int, bs []Binding) []Binding {
		out := make([]Binding, len(bs))
		for i, b := range bs {
			b.Field = f
			out[i] = b
		}
		return out
	}
	IPv6.binds = append(IPv6.binds, with(v6NH, exts)...)
	IPv4.binds = append(IPv4.binds, with(ipProto, exts[4:])...)
	for _, p := range []*Proto{IPv6HBH, IPv6Dest, IPv6RH, IPv6Frag} {
		p.binds = append(ipBinds(0, ICMPv6, protoICMPv6), with(0, exts)...)
		// Scapy decodes GRE after any extension header, and builds nh 47.
		p.binds = append(p.binds, Binding{Value: protoGRE, Upper: GRE})
	}
	// Scapy decodes ESP on UDP port 4500 (NAT traversal, RFC 3948), the
	// destination port first, and builds UDP()/ESP() with sport 4500.
	UDP.binds = append(UDP.binds, Binding{Field: udpDport, Value: portNATT, Upper: ESP, parseOnly: true},
		Binding{Field: udpSport, Value: portNATT, Upper: ESP})
	// Scapy binds AH's payload to IPv4 (on next header 0) and IPv6 only,
	// and builds AH()/TCP() with nh 0: so does netlua.
	AH.binds = []Binding{{Field: ahNH, Value: 0, Upper: IPv4}, {Field: ahNH, Value: protoIPv6, Upper: IPv6}}
	IPv6HBH.encode, IPv6HBH.decode = encodeV6Opts, decodeV6Opts
	IPv6Dest.encode, IPv6Dest.decode = encodeV6Opts, decodeV6Opts
	IPv6RH.encode, IPv6RH.decode, IPv6RH.present = encodeRH, decodeRH, rhPresent
	IPv6Frag.encode, IPv6Frag.decode = encodeFrag, decodeFrag
	AH.encode, AH.decode = encodeAH, decodeAH
	ESP.encode, ESP.decode = encodeESP, decodeESP
}

// v6OptPad is the Pad1 or PadN option that pads n bytes of options to
// the 8-byte multiple the header needs, as Scapy's autopad writes it.
func v6OptPad(n int) []byte {
	switch d := (8 - (n+2)%8) % 8; d {
	case 0:
		return nil
	case 1:
		return []byte{0}
	default:
		return append([]byte{1, byte(d - 2)}, make([]byte, d-2)...)
	}
}

func encodeV6Opts(b *Builder, i int) {
	opts := b.layers[i].Bytes(v6optOptions)
	pad := v6OptPad(len(opts))
	b.u8(b.num(i, v6optNH))
	if b.given(i, v6optLen) {
		b.u8(b.num(i, v6optLen))
	} else {
		b.u8(uint64((len(opts)+len(pad)+2)/8 - 1))
	}
	b.buf = append(b.buf, opts...)
	b.buf = append(b.buf, pad...)
}

// decodeV6Opts reads (len+1)*8 bytes of header, or what there is.
func decodeV6Opts(l *Layer, d []byte) (decoded, error) {
	if len(d) < 2 {
		return decoded{}, truncated(len(d), 2)
	}
	l.put(v6optNH, uint64(d[0]))
	l.put(v6optLen, uint64(d[1]))
	n := 8 * (int(d[1]) + 1)
	if n > len(d) {
		l.data = d[2:]
		return decoded{hdr: len(d), end: -1}, fmt.Errorf("options cut short: header length %d, have %d bytes", n, len(d))
	}
	l.data = d[2:n]
	return decoded{hdr: n, end: -1}, nil
}

func encodeRH(b *Builder, i int) {
	if b.num(i, rhType) == rhTypeSRH {
		encodeSRH(b, i)
		return
	}
	addrs := b.layers[i].Bytes(rhAddresses)
	b.u8(b.num(i, rhNH))
	if b.given(i, rhLen) {
		b.u8(b.num(i, rhLen))
	} else {
		b.u8(uint64(2 * (len(addrs) / 16)))
	}
	b.u8(b.num(i, rhType))
	if b.given(i, rhSegleft) {
		b.u8(b.num(i, rhSegleft))
	} else {
		b.u8(uint64(len(addrs) / 16))
	}
	b.u32(b.num(i, rhReserved))
	b.buf = append(b.buf, addrs...)
}

// decodeRH reads 8*len bytes of addresses. A header whose addresses are
// not whole, or cut short, is left undecoded, as Scapy leaves it Raw.
func decodeRH(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	if d[2] == rhTypeSRH {
		return decodeSRH(l, d)
	}
	n := 8 + 8*int(d[1])
	switch {
	case d[1]%2 != 0:
		return decoded{}, fmt.Errorf("routing header length %d is odd: the addresses are not whole", d[1])
	case n > len(d):
		return decoded{}, fmt.Errorf("addresses cut short: header length %d, have %d bytes", n, len(d))
	}
	l.put(rhNH, uint64(d[0]))
	l.put(rhLen, uint64(d[1]))
	l.put(rhType, uint64(d[2]))
	l.put(rhSegleft, uint64(d[3]))
	l.put(rhReserved, u32(d[4:]))
	l.data = d[8:n]
	return decoded{hdr: n, end: -1}, nil
}

// rhFinalDst returns the address a routing header between layers ip and
// upper makes the destination of the upper layer's checksum, as Scapy's
// in6_chksum: the last address of the nearest routing header whose
// segleft is not 0 (auto counts as not 0).
func (b *Builder) rhFinalDst(ip, upper int) (netip.Addr, bool) {
	for j := upper - 1; j > ip; j-- {
		l := b.layers[j]
		if l.Proto != IPv6RH || (l.Given(rhSegleft) && l.Uint(rhSegleft) == 0) {
			continue
		}
		if a := l.Bytes(rhAddresses); len(a) >= 16 && l.Uint(rhType) == rhTypeSRH {
			return srhFirst(a), true // Scapy's in6_chksum takes the first
		} else if len(a) >= 16 {
			return netip.AddrFrom16([16]byte(a[len(a)/16*16-16 : len(a)/16*16])), true
		}
	}
	return netip.Addr{}, false
}

// isV6Ext reports whether p is an IPv6 extension header that Scapy's
// checksums look through.
func isV6Ext(p *Proto) bool {
	return p == IPv6HBH || p == IPv6Dest || p == IPv6RH || p == IPv6Frag
}

func encodeFrag(b *Builder, i int) {
	b.u8(b.num(i, fragNH))
	b.u8(b.num(i, fragRes1))
	b.u16(b.num(i, fragOffset)<<3 | b.num(i, fragRes2)<<1 | b.num(i, fragM))
	b.u32(b.num(i, fragID))
}

// decodeFrag reads the header; a fragment other than the first is left
// undecoded, as Scapy leaves it Raw.
func decodeFrag(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	off := u16(d[2:])
	l.put(fragNH, uint64(d[0]))
	l.put(fragRes1, uint64(d[1]))
	l.put(fragOffset, off>>3)
	l.put(fragRes2, off>>1&3)
	l.put(fragM, off&1)
	l.put(fragID, u32(d[4:]))
	return decoded{hdr: 8, end: -1, stop: off>>3 != 0}, nil
}

func encodeAH(b *Builder, i int) {
	b.u8(b.num(i, ahNH))
	b.u8(b.num(i, ahPayloadlen))
	b.u16(b.num(i, ahReserved))
	b.u32(b.num(i, ahSPI))
	b.u32(b.num(i, ahSeq))
	b.buf = append(b.buf, b.layers[i].Bytes(ahICV)...)
}

// decodeAH reads (payloadlen-1)*4 bytes of ICV; with payloadlen 0 Scapy's
// length is -4, which Python reads as all but the last 4 bytes.
func decodeAH(l *Layer, d []byte) (decoded, error) {
	if len(d) < 12 {
		return decoded{}, truncated(len(d), 12)
	}
	l.put(ahNH, uint64(d[0]))
	l.put(ahPayloadlen, uint64(d[1]))
	l.put(ahReserved, u16(d[2:]))
	l.put(ahSPI, u32(d[4:]))
	l.put(ahSeq, u32(d[8:]))
	rest := d[12:]
	n := (int(d[1]) - 1) * 4
	if n < 0 {
		n = max(len(rest)+n, 0)
	}
	n = min(n, len(rest))
	l.data = rest[:n]
	return decoded{hdr: 12 + n, end: -1}, nil
}

func encodeESP(b *Builder, i int) {
	b.u32(b.num(i, 0))
	b.u32(b.num(i, 1))
	b.buf = append(b.buf, b.layers[i].Bytes(2)...)
}

// decodeESP reads spi and seq; the rest, encrypted, is data.
func decodeESP(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	l.put(0, u32(d))
	l.put(1, u32(d[4:]))
	l.data = d[8:]
	return decoded{hdr: len(d), end: -1}, nil
}

// addressList is the codec of a routing header's addresses: a list of
// IPv6 addresses {"2001:2::1", ...}; bytes that are no whole address
// decode as one item of raw bytes.
type addressList struct{}

// Encode appends each address's 16 bytes.
func (addressList) Encode(dst []byte, items []Item) ([]byte, error) {
	for n, it := range items {
		if it.Value(0) == "Raw" { // a segment routing header's TLVs
			raw, err := encodeRawIPOption(dst, &it)
			if err != nil {
				return nil, itemErr(n, err)
			}
			dst = raw
			continue
		}
		s, ok := it.Value(0).(string)
		if !ok || len(it.Values) != 1 {
			return nil, itemErr(n, errors.New("an IPv6 address expected"))
		}
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is6() {
			return nil, itemErr(n, fmt.Errorf("not an IPv6 address: %q", s))
		}
		b := a.As16()
		dst = append(dst, b[:]...)
	}
	return dst, nil
}

// Decode reads 16 bytes per address.
func (addressList) Decode(data []byte) []Item {
	var items []Item
	for ; len(data) >= 16; data = data[16:] {
		items = append(items, Item{Values: []any{netip.AddrFrom16([16]byte(data[:16])).String()}})
	}
	if len(data) > 0 {
		items = append(items, Item{Values: []any{string(data)}})
	}
	return items
}

// Form shows the items' form.
func (addressList) Form() string {
	return `a list of IPv6 addresses like {"2001:2::1", "2001:2::2"} (parse returns {{"2001:2::1"}, {"2001:2::2"}})`
}
