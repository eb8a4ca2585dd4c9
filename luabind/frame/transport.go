package frame

// Transport codecs: UDP and TCP (ICMP is in icmp.go).

func encodeUDP(b *Builder, i int) {
	b.u16(b.num(i, udpSport))
	b.u16(b.num(i, udpDport))
	b.u16(b.num(i, udpLen))
	b.u16(b.num(i, udpChksum))
}

func finishUDP(b *Builder, i int) {
	if !b.given(i, udpLen) {
		b.put16(i, 4, uint16(b.size(i)))
	}
	b.transportChecksum(i, udpChksum, 6, protoUDP)
}

// decodeUDP ends the payload where the UDP length says. A length under 8
// cuts that many bytes short of the end, as Scapy's s[:len-8] does.
func decodeUDP(l *Layer, d []byte) (decoded, error) {
	if len(d) < 8 {
		return decoded{}, truncated(len(d), 8)
	}
	n := int(u16(d[4:]))
	l.put(udpSport, u16(d))
	l.put(udpDport, u16(d[2:]))
	l.put(udpLen, uint64(n))
	l.put(udpChksum, u16(d[6:]))
	rest := len(d) - 8
	end := 8 + min(n-8, rest)
	if n < 8 {
		end = 8 + max(0, rest-(8-n))
	}
	return decoded{hdr: 8, end: end}, nil
}

func encodeTCP(b *Builder, i int) {
	opts, dataofs := headerWords(b.layers[i], tcpDataofs, tcpOptions)
	flags := b.num(i, tcpFlags)
	b.u16(b.num(i, tcpSport))
	b.u16(b.num(i, tcpDport))
	b.u32(b.num(i, tcpSeq))
	b.u32(b.num(i, tcpAck))
	// 4 bits of data offset, 3 reserved, then 9 flag bits (NS first).
	b.u8(dataofs&0xf<<4 | b.num(i, tcpReserved)<<1 | flags>>8)
	b.u8(flags & 0xff)
	b.u16(b.num(i, tcpWindow))
	b.u16(b.num(i, tcpChksum))
	b.u16(b.num(i, tcpUrgptr))
	b.padded(opts)
}

func finishTCP(b *Builder, i int) {
	b.transportChecksum(i, tcpChksum, 16, protoTCP)
}

func decodeTCP(l *Layer, d []byte) (decoded, error) {
	if len(d) < 20 {
		return decoded{}, truncated(len(d), 20)
	}
	l.put(tcpSport, u16(d))
	l.put(tcpDport, u16(d[2:]))
	l.put(tcpSeq, u32(d[4:]))
	l.put(tcpAck, u32(d[8:]))
	l.put(tcpDataofs, uint64(d[12]>>4))
	l.put(tcpReserved, uint64(d[12]>>1&7))
	l.put(tcpFlags, uint64(d[12]&1)<<8|uint64(d[13]))
	l.put(tcpWindow, u16(d[14:]))
	l.put(tcpChksum, u16(d[16:]))
	l.put(tcpUrgptr, u16(d[18:]))
	opts, hdr, err := options(d, uint64(d[12]>>4))
	l.data = opts
	return decoded{hdr: hdr, end: -1}, err
}

// transportChecksum fills the checksum field f, at offset off of layer i,
// with the checksum over the pseudo-header and the layer with its payload,
// unless the field was given. Without an IP layer under it the field stays
// 0, as in Scapy; a UDP checksum of 0 is sent as 0xffff (RFC 768).
func (b *Builder) transportChecksum(i, f, off int, proto uint8) {
	if b.given(i, f) {
		return
	}
	s, ok := b.pseudoSum(i, proto)
	if !ok {
		return
	}
	ck := fold(sum(s, b.from(i)))
	if ck == 0 && proto == protoUDP {
		ck = 0xffff
	}
	b.put16(i, off, ck)
}
