package frame

import (
	"encoding/binary"
	"fmt"
)

// Link-layer codecs: Ethernet, 802.1Q and ARP.

func encodeEther(b *Builder, i int) {
	b.mac(i, ethDst)
	b.mac(i, ethSrc)
	b.u16(b.num(i, ethType))
}

func decodeEther(l *Layer, d []byte) (decoded, error) {
	if len(d) < 14 {
		return decoded{}, truncated(len(d), 14)
	}
	if u16(d[12:]) <= maxDot3Len { // Scapy's Ether gives way to Dot3 here
		*l = Dot3.defaults
		return decodeDot3(l, d)
	}
	l.putAddr(ethDst, d[0:6])
	l.putAddr(ethSrc, d[6:12])
	l.put(ethType, u16(d[12:]))
	return decoded{hdr: 14, end: lengthEnd(14, u16(d[12:]), len(d))}, nil
}

// lengthEnd is where the payload ends after a hdr-byte header whose type
// field is typ: a type of 1500 or less is an 802.3 length, as Scapy reads
// it (Dot3); past the length is padding.
func lengthEnd(hdr int, typ uint64, n int) int {
	if typ > 1500 {
		return -1
	}
	return min(hdr+int(typ), n)
}

func encodeVLAN(b *Builder, i int) {
	b.u16(b.num(i, vlanPCP)<<13 | b.num(i, vlanDEI)<<12 | b.num(i, vlanVID))
	b.u16(b.num(i, vlanType))
}

func decodeVLAN(l *Layer, d []byte) (decoded, error) {
	if len(d) < 4 {
		return decoded{}, truncated(len(d), 4)
	}
	tci := u16(d)
	l.put(vlanPCP, tci>>13)
	l.put(vlanDEI, tci>>12&1)
	l.put(vlanVID, tci&0xfff)
	l.put(vlanType, u16(d[2:]))
	return decoded{hdr: 4, end: lengthEnd(4, u16(d[2:]), len(d)), next: vlanNext(u16(d[2:]))}, nil
}

func encodeARP(b *Builder, i int) {
	l := b.layers[i]
	if l.data != nil { // addresses as bytes (arpraw.go)
		encodeARPRaw(b, i)
		return
	}
	hwlen, plen := uint64(6), uint64(16)
	if l.isMapped4(&l.Proto.Fields[arpPsrc]) {
		plen = 4
	}
	if b.given(i, arpHwlen) {
		hwlen = l.Uint(arpHwlen)
	}
	if b.given(i, arpPlen) {
		plen = l.Uint(arpPlen)
	}
	b.u16(b.num(i, arpHwtype))
	b.u16(b.num(i, arpPtype))
	b.u8(hwlen)
	b.u8(plen)
	b.u16(b.num(i, arpOp))
	b.mac(i, arpHwsrc)
	b.arpAddr(i, arpPsrc, plen)
	b.mac(i, arpHwdst)
	b.arpAddr(i, arpPdst, plen)
}

// arpAddr writes a protocol address in plen bytes when that is 4 or 16
// (an IPv4-mapped address too, as parse read it), else by its family.
func (b *Builder) arpAddr(i, f int, plen uint64) {
	l := b.layers[i]
	fd := &l.Proto.Fields[f]
	switch {
	case plen == 4 || (plen != 16 && l.isMapped4(fd)):
		b.u32(l.num[fd.slot+1]) // the low 32 bits of ::ffff:a.b.c.d
	default:
		b.addr16(l, fd)
	}
}

// decodeARP reads Ethernet and IP addresses (hwlen 6, plen 4 or 16) as
// such, others as bytes. What follows an ARP packet is padding, as Scapy
// has it.
func decodeARP(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	hwlen, plen := int(d[4]), int(d[5])
	n := 8 + 2*hwlen + 2*plen
	if len(d) < n {
		return decoded{}, truncated(len(d), n)
	}
	l.put(arpHwtype, u16(d))
	l.put(arpPtype, u16(d[2:]))
	l.put(arpHwlen, uint64(hwlen))
	l.put(arpPlen, uint64(plen))
	l.put(arpOp, u16(d[6:]))
	if arpRaw(int(u16(d)), int(u16(d[2:])), hwlen, plen) {
		l.data = d[8:n:n] // the addresses as bytes (arpraw.go)
	}
	off := 8
	for _, f := range [4]int{arpHwsrc, arpPsrc, arpHwdst, arpPdst} {
		size := plen
		if f == arpHwsrc || f == arpHwdst {
			size = hwlen
		}
		if !l.arpFieldRaw(f) {
			l.putAddr(f, d[off:off+size])
		}
		off += size
	}
	return decoded{hdr: n, end: n}, nil
}

func u16(d []byte) uint64 { return uint64(binary.BigEndian.Uint16(d)) }
func u32(d []byte) uint64 { return uint64(binary.BigEndian.Uint32(d)) }

// truncated is the error of a header cut short.
func truncated(have, need int) error {
	return fmt.Errorf("truncated header: %d of %d bytes", have, need)
}
