package frame

import "fmt"

// ARP packets whose addresses are not all Ethernet and IP ones keep
// their four addresses as bytes: the layer's data holds them in wire
// order. Which of them its fields read and write as byte strings is
// Scapy 2.5's choice, address by address (its MultipleTypeFields):
// hwsrc and hwdst are MACs when hwtype is 1 and hwlen 6, psrc and pdst
// IPv4 addresses when ptype is 0x0800 and plen 4, IPv6 ones when ptype is
// 0x86dd and plen 16; else bytes. So an ARP packet with 14-byte hardware
// addresses still has IPv4 psrc and pdst.

const (
	arpEthernet = 1
	arpMACLen   = 6
)

// arpHWIsMAC and arpPIsIP are Scapy's conditions for typed addresses.
func arpHWIsMAC(hwtype, hwlen int) bool { return hwtype == arpEthernet && hwlen == arpMACLen }

func arpPIsIP(ptype, plen int) bool {
	return ptype == etherIPv4 && plen == 4 || ptype == etherIPv6 && plen == 16
}

// arpRaw reports whether an ARP packet holds its addresses as bytes: one
// of them at least is no MAC or IP address.
func arpRaw(hwtype, ptype, hwlen, plen int) bool {
	return !arpHWIsMAC(hwtype, hwlen) || !arpPIsIP(ptype, plen)
}

// arpFieldRaw reports whether address field i of an ARP layer is bytes.
func (l *Layer) arpFieldRaw(i int) bool {
	if i == arpHwsrc || i == arpHwdst {
		return !arpHWIsMAC(int(l.Uint(arpHwtype)), int(l.Uint(arpHwlen)))
	}
	return !arpPIsIP(int(l.Uint(arpPtype)), int(l.Uint(arpPlen)))
}

// rawAddr returns address field i of an ARP layer that holds its
// addresses as bytes, and where they start in its data.
func (l *Layer) rawAddr(i int) ([]byte, int, bool) {
	// By name: ARP's own defaults are set through here, before ARP is.
	if l.data == nil || l.Proto.Name != "arp" || i < arpHwsrc || !l.arpFieldRaw(i) {
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

// encodeARPRaw writes an ARP layer that holds its addresses as bytes:
// those Scapy reads as bytes from its data, the others as MACs and IP
// addresses.
func encodeARPRaw(b *Builder, i int) {
	l := b.layers[i]
	b.u16(b.num(i, arpHwtype))
	b.u16(b.num(i, arpPtype))
	b.u8(l.Uint(arpHwlen))
	b.u8(l.Uint(arpPlen))
	b.u16(b.num(i, arpOp))
	for _, f := range [4]int{arpHwsrc, arpPsrc, arpHwdst, arpPdst} {
		switch raw, _, ok := l.rawAddr(f); {
		case ok:
			b.buf = append(b.buf, raw...)
		case f == arpHwsrc || f == arpHwdst:
			b.mac(i, f)
		default:
			b.arpAddr(i, f, l.Uint(arpPlen))
		}
	}
}
