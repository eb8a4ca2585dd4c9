package frame

import "fmt"

// Network-layer codecs: IPv4 and IPv6.

func encodeIPv4(b *Builder, i int) {
	opts, ihl := headerWords(b.layers[i], ipIHL, ipOptions)
	// Scapy keeps the low 4 bits of an ihl that options push past 15.
	b.u8(b.num(i, ipVersion)<<4 | ihl&0xf)
	b.u8(b.num(i, ipTOS))
	b.u16(b.num(i, ipLen))
	b.u16(b.num(i, ipID))
	b.u16(b.num(i, ipFlags)<<13 | b.num(i, ipFrag))
	b.u8(b.num(i, ipTTL))
	b.u8(b.num(i, ipProto))
	b.u16(b.num(i, ipChksum))
	b.addr(i, ipSrc)
	b.u32(b.num(i, ipDst)) // a binding may give it: igmpv3's 224.0.0.22
	b.padded(opts)
}

func finishIPv4(b *Builder, i int) {
	if !b.given(i, ipLen) {
		b.put16(i, 2, uint16(b.size(i)))
	}
	if !b.given(i, ipChksum) {
		hdr := 20 + paddedLen(b.layers[i].Bytes(ipOptions))
		b.put16(i, 10, checksum(b.from(i)[:hdr]))
	}
}

// decodeIPv4 reads the header and, as Scapy does, ends the payload where
// the total length says; a fragment other than the first is left undecoded.
func decodeIPv4(l *Layer, d []byte) (decoded, error) {
	if len(d) < 20 {
		return decoded{}, truncated(len(d), 20)
	}
	ihl, total, frag := uint64(d[0]&0xf), u16(d[2:]), u16(d[6:])
	l.put(ipVersion, uint64(d[0]>>4))
	l.put(ipIHL, ihl)
	l.put(ipTOS, uint64(d[1]))
	l.put(ipLen, total)
	l.put(ipID, u16(d[4:]))
	l.put(ipFlags, frag>>13)
	l.put(ipFrag, frag&0x1fff)
	l.put(ipTTL, uint64(d[8]))
	l.put(ipProto, uint64(d[9]))
	l.put(ipChksum, u16(d[10:]))
	l.putAddr(ipSrc, d[12:16])
	l.putAddr(ipDst, d[16:20])
	opts, hdr, err := options(d, ihl)
	l.data = opts
	end := -1
	if total >= 4*ihl {
		end = min(hdr+int(total-4*ihl), len(d))
	}
	return decoded{hdr: hdr, end: end, stop: frag&0x1fff != 0}, err
}

// options returns the options after a 20-byte fixed header that says it
// is words 32-bit words long, and the header's length as read. Options cut
// short are returned as far as they go, with an error; a length under the
// fixed header's is an error too (tcpdump's "bad-hlen").
func options(d []byte, words uint64) ([]byte, int, error) {
	n := int(words) * 4
	switch {
	case n < 20: // what follows is not known to be the next layer
		return nil, 20, fmt.Errorf("bad header length: %d bytes, less than the fixed header's 20", n)
	case n == 20:
		return nil, 20, nil
	case n > len(d):
		return d[20:], len(d), fmt.Errorf("options cut short: header length %d, have %d bytes", n, len(d))
	}
	return d[20:n], n, nil
}

func encodeIPv6(b *Builder, i int) {
	b.u32(b.num(i, v6Version)<<28 | b.num(i, v6TC)<<20 | b.num(i, v6FL))
	b.u16(b.num(i, v6Plen))
	b.u8(b.num(i, v6NH))
	b.ipv6HopLimit(i)
	b.addr(i, v6Src)
	b.ipv6Dst(i)
}

func finishIPv6(b *Builder, i int) {
	if !b.given(i, v6Plen) {
		b.put16(i, 4, uint16(b.size(i)-40))
	}
}

func decodeIPv6(l *Layer, d []byte) (decoded, error) {
	if len(d) < 40 {
		return decoded{}, truncated(len(d), 40)
	}
	vtf := u32(d)
	l.put(v6Version, vtf>>28)
	l.put(v6TC, vtf>>20&0xff)
	l.put(v6FL, vtf&0xfffff)
	l.put(v6Plen, u16(d[4:]))
	l.put(v6NH, uint64(d[6]))
	l.put(v6Hlim, uint64(d[7]))
	l.putAddr(v6Src, d[8:24])
	l.putAddr(v6Dst, d[24:40])
	n := int(u16(d[4:]))
	if j, ok := jumboLen(d); ok { // a jumbogram (jumbo.go)
		n = j
	} else if n == 0 {
		n = hbhOnlyLen(d)
	}
	return decoded{hdr: 40, end: min(40+n, len(d))}, nil
}
