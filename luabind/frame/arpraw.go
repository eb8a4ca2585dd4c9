package frame

import "fmt"

// ARP packets whose addresses are not 6-byte hardware and 4- or 16-byte
// protocol ones (hwlen and plen say their sizes) keep their four
// addresses as bytes, as Scapy does: the layer's data holds them in wire
// order, and its address fields read and write them as byte strings.

// arpRawSizes reports whether an ARP packet with these sizes has its
// addresses as bytes.
func arpRawSizes(hwlen, plen int) bool { return hwlen != 6 || (plen != 4 && plen != 16) }

// rawAddr returns address field i of an ARP layer that holds its
// addresses as bytes, and where they start in its data.
func (l *Layer) rawAddr(i int) ([]byte, int, bool) {
	// By name: ARP's own defaults are set through here, before ARP is.
	if l.data == nil || l.Proto.Name != "arp" || i < arpHwsrc {
		return nil, 0, false
	}
	hw, p := int(l.Uint(arpHwlen)), int(l.Uint(arpPlen))
	off, size := 0, hw
	switch i {
	case arpPsrc:
		off, size = hw, p
	case arpHwdst:
		off = hw + p
	case arpPdst:
		off, size = 2*hw+p, p
	}
	// hwlen and plen changed after parse may not fit the data.
	start, end := min(off, len(l.data)), min(off+size, len(l.data))
	return l.data[start:end], start, true
}

// setRawAddr sets address field i of an ARP layer that holds its
// addresses as bytes, from s of the same size; it reports false for
// other layers.
func (l *Layer) setRawAddr(i int, s string) (bool, error) {
	old, off, ok := l.rawAddr(i)
	if !ok {
		return false, nil
	}
	if len(s) != len(old) {
		return true, fmt.Errorf("field '%s' expects a string of %d bytes (with hwlen %d and plen %d, addresses are bytes), got %d bytes",
			l.Proto.Fields[i].Name, len(old), l.Uint(arpHwlen), l.Uint(arpPlen), len(s))
	}
	// A copy, so the parsed frame's bytes stay as they were; never nil,
	// which would end the bytes form when all four are empty.
	data := append(make([]byte, 0, len(l.data)), l.data...)
	copy(data[off:], s)
	l.data = data
	l.given |= 1 << i
	return true, nil
}

// encodeARPRaw writes an ARP layer that holds its addresses as bytes.
func encodeARPRaw(b *Builder, i int) {
	l := b.layers[i]
	b.u16(b.num(i, arpHwtype))
	b.u16(b.num(i, arpPtype))
	b.u8(l.Uint(arpHwlen))
	b.u8(l.Uint(arpPlen))
	b.u16(b.num(i, arpOp))
	b.buf = append(b.buf, l.data...)
}
