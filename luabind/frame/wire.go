package frame

// WireBits is the width of field i of l on the wire, in bits: 0 for a
// field l's type does not have (an ICMP echo's gw), the width the type
// gives it (ICMP's unused), 32 or 128 for ARP's addresses as they hold an
// IPv4 or IPv6 one, the length of a byte string. The widths of a parsed
// layer's fields, in order, add up to its header.
func (l *Layer) WireBits(i int) int {
	if !l.present(i) {
		return 0
	}
	if n := icmpBodyBytes(l, i); n > 0 {
		return 8 * n
	}
	f := &l.Proto.Fields[i]
	switch f.Kind {
	case MAC:
		return 48
	case IPv4Addr:
		return 32
	case IPv6Addr:
		return 128
	case IPAddr:
		if l.isMapped4(f) {
			return 32
		}
		return 128
	case Bytes, List:
		return 8 * len(l.data)
	}
	return f.Bits
}
