package rewrite

import "encoding/binary"

// IP protocol numbers of the layers with checksums.
const (
	protoICMP   = 1
	protoTCP    = 6
	protoUDP    = 17
	protoICMPv6 = 58
)

// ipv4 rewrites the IPv4 packet p: addresses, TTL, then the transport
// header and the checksums.
func (r *Rewriter) ipv4(p []byte) {
	if len(p) < 20 || p[0]>>4 != 4 {
		return
	}
	ihl := int(p[0]&0x0f) * 4
	if ihl < 20 || ihl > len(p) {
		return
	}
	hck := p[10:12]
	frag := binary.BigEndian.Uint16(p[6:]) & 0x3fff // MF and the offset
	end := min(max(int(binary.BigEndian.Uint16(p[2:])), ihl), len(p))
	var l4 []byte // the transport header, in the first fragment only
	if frag&0x1fff == 0 {
		l4 = p[ihl:end]
	}
	ck := r.l4Checksum(p[9], l4, false)
	for _, a := range [2][]byte{p[12:16], p[16:20]} {
		var old [4]byte
		copy(old[:], a)
		if r.mapAddr(r.maps4, a, 12) {
			adjustBytes(hck, old[:], a)
			adjustL4(ck, old[:], a)
		}
	}
	if r.opt.TTL != 0 && int(p[8]) != r.opt.TTL {
		old := binary.BigEndian.Uint16(p[8:])
		p[8] = byte(r.opt.TTL)
		binary.BigEndian.PutUint16(hck, adjust(binary.BigEndian.Uint16(hck), old, binary.BigEndian.Uint16(p[8:])))
	}
	r.mapPorts(p[9], l4, ck)
	// tcprewrite (4.4) computes the checksums of every IPv4 packet it
	// writes afresh, --fixcsum or not.
	hck[0], hck[1] = 0, 0
	binary.BigEndian.PutUint16(hck, fold(sum(0, p[:ihl])))
	if frag == 0 && int(binary.BigEndian.Uint16(p[2:])) <= len(p) {
		s := sum(0, p[12:20]) + uint64(p[9]) + uint64(len(l4))
		r.fixL4(p[9], l4, s, false)
	}
}

// ipv6 rewrites the IPv6 packet p.
func (r *Rewriter) ipv6(p []byte) {
	if len(p) < 40 || p[0]>>4 != 6 {
		return
	}
	end := min(40+int(binary.BigEndian.Uint16(p[4:])), len(p))
	proto, l4, whole := upper6(p[:end])
	ck := r.l4Checksum(proto, l4, true)
	for _, a := range [2][]byte{p[8:24], p[24:40]} {
		var old [16]byte
		copy(old[:], a)
		if r.mapAddr(r.maps6, a, 0) {
			adjustL4(ck, old[:], a)
		}
	}
	if r.opt.TTL != 0 {
		p[7] = byte(r.opt.TTL)
	}
	if p[6] == proto { // tcprewrite maps no ports behind extension headers
		r.mapPorts(proto, l4, ck)
	}
	if r.opt.FixChecksums && whole && 40+int(binary.BigEndian.Uint16(p[4:])) <= len(p) {
		s := sum(0, p[8:40]) + uint64(proto) + uint64(len(l4))
		r.fixL4(proto, l4, s, true)
	}
}

// upper6 walks the extension headers of IPv6 packet p to the upper layer:
// its protocol and bytes; whole is false in a fragment, or when a header
// is cut short.
func upper6(p []byte) (proto uint8, l4 []byte, whole bool) {
	proto, off := p[6], 40
	for {
		switch proto {
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if off+8 > len(p) {
				return proto, nil, false
			}
			proto, off = p[off], off+8*(int(p[off+1])+1)
		case 44: // fragment
			if off+8 > len(p) {
				return proto, nil, false
			}
			first := binary.BigEndian.Uint16(p[off+2:])&0xfff8 == 0
			proto, off = p[off], off+8
			if !first || off > len(p) {
				return proto, nil, false
			}
			return proto, p[off:], false
		default:
			if off > len(p) {
				return proto, nil, false
			}
			return proto, p[off:], true
		}
	}
}

// l4Checksum is where the checksum of the transport header l4 of protocol
// proto lies, nil if none or none in use (a UDP checksum of 0 over IPv4).
// ICMP's covers no pseudo-header, so addresses do not change it.
func (r *Rewriter) l4Checksum(proto uint8, l4 []byte, v6 bool) []byte {
	switch {
	case proto == protoTCP && len(l4) >= 18:
		return l4[16:18]
	case proto == protoUDP && len(l4) >= 8 && (v6 || l4[6]|l4[7] != 0):
		return l4[6:8]
	case proto == protoICMPv6 && len(l4) >= 4:
		return l4[2:4]
	}
	return nil
}

// adjustL4 updates the transport checksum ck, if any, for an address of
// the pseudo-header that changed from old to new.
func adjustL4(ck, old, new []byte) {
	if ck != nil {
		adjustBytes(ck, old, new)
	}
}

// mapAddr maps address a (IPv4 at offset 12 of the 16-byte form when v4
// is 12, IPv6 when 0) by the first mapping that holds it, and reports
// whether one did.
func (r *Rewriter) mapAddr(maps []mapping, a []byte, v4 int) bool {
	for i := range maps {
		m := &maps[i]
		if !inPrefix(a, m.from[v4:], m.fromBits) {
			continue
		}
		setPrefix(a, m.to[v4:], m.toBits)
		return true
	}
	return false
}

// inPrefix reports whether the first bits of a are those of net.
func inPrefix(a, net []byte, bits int) bool {
	for i := 0; bits > 0; i, bits = i+1, bits-8 {
		mask := byte(0xff)
		if bits < 8 {
			mask = 0xff << (8 - bits)
		}
		if a[i]&mask != net[i]&mask {
			return false
		}
	}
	return true
}

// setPrefix makes the first bits of a those of net.
func setPrefix(a, net []byte, bits int) {
	for i := 0; bits > 0; i, bits = i+1, bits-8 {
		mask := byte(0xff)
		if bits < 8 {
			mask = 0xff << (8 - bits)
		}
		a[i] = a[i]&^mask | net[i]&mask
	}
}

// mapPorts maps the source and destination ports of a TCP or UDP header,
// updating its checksum ck (nil: none).
func (r *Rewriter) mapPorts(proto uint8, l4 []byte, ck []byte) {
	if len(r.ports) == 0 || (proto != protoTCP && proto != protoUDP) || len(l4) < 4 {
		return
	}
	for off := 0; off <= 2; off += 2 {
		old := binary.BigEndian.Uint16(l4[off:])
		for _, m := range r.ports {
			if m.From != old {
				continue
			}
			binary.BigEndian.PutUint16(l4[off:], m.To)
			if ck != nil {
				binary.BigEndian.PutUint16(ck, adjust(binary.BigEndian.Uint16(ck), old, m.To))
			}
			break
		}
	}
}

// fixL4 computes the checksum of the transport layer l4 afresh; s is the
// sum of its pseudo-header (unused by ICMP). A UDP checksum of 0 over
// IPv4 (v6 false) means none, and stays so, as tcprewrite keeps it.
func (r *Rewriter) fixL4(proto uint8, l4 []byte, s uint64, v6 bool) {
	var at int
	switch {
	case proto == protoTCP && len(l4) >= 20:
		at = 16
	case proto == protoUDP && len(l4) >= 8 && (v6 || l4[6]|l4[7] != 0):
		at = 6
	case proto == protoICMP && len(l4) >= 4:
		at, s = 2, 0
	case proto == protoICMPv6 && len(l4) >= 4:
		at = 2
	default:
		return
	}
	l4[at], l4[at+1] = 0, 0
	c := fold(sum(s, l4))
	if c == 0 && proto == protoUDP {
		c = 0xffff // 0 is "no checksum" (RFC 768)
	}
	binary.BigEndian.PutUint16(l4[at:], c)
}
