package frame

import "encoding/binary"

// Hashret is a 64-bit hash of what Scapy 2.5's hashret() returns for p:
// the bytes a request and its answer share (ports XORed, addresses XORed,
// ICMP id and seq, BOOTP xid, ...), so that a sender can bucket the
// requests and look up only those a reply may answer, as Scapy's sr does.
// Two packets whose Scapy hashret() is equal have equal Hashret; Scapy's
// defaults apply as in Answers. It does not allocate.
func Hashret(p *Packet) uint64 {
	h := hasher(fnvOffset)
	hashAt(&h, p, 0)
	return uint64(h)
}

// hasher is FNV-1a over the bytes of Scapy's hashret.
type hasher uint64

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func (h *hasher) u8(v uint64) { *h = (*h ^ hasher(byte(v))) * fnvPrime }

func (h *hasher) u16(v uint64) { h.u8(v >> 8); h.u8(v) }

func (h *hasher) u32(v uint64) { h.u16(v >> 16); h.u16(v) }

func (h *hasher) u64(v uint64) { h.u32(v >> 32); h.u32(v) }

// hashAt adds the hashret of p's layers from i on.
func hashAt(h *hasher, p *Packet, i int) {
	for i < len(p.Layers) {
		l := &p.Layers[i]
		switch l.Proto {
		case Ether:
			h.u16(l.Uint(ethType))
		case ARP:
			h.u16(l.Uint(arpHwtype))
			h.u16(l.Uint(arpPtype))
			h.u16((l.Uint(arpOp) + 1) / 2)
		case IPv4:
			if next := ipv4Hash(h, p, i); next >= 0 {
				i = next
				continue
			}
			return
		case IPv6:
			i = ipv6Hash(h, p, i)
			continue
		case ICMPv4:
			if icmpIDSeq(l.Uint(icmpType)) {
				h.u16(l.Uint(icmpID))
				h.u16(l.Uint(icmpSeq))
			}
		case ICMPv6:
			icmp6Hash(h, p, i)
			return
		case TCP:
			h.u16(l.Uint(tcpSport) ^ l.Uint(tcpDport))
		case BOOTP:
			h.u32(l.Uint(bootpXid))
			return
		}
		i++
	}
	if n := len(p.Layers); n > 0 && len(p.Payload) > 0 && (p.Layers[n-1].Proto == IPv6 || isV6Ext(p.Layers[n-1].Proto)) {
		last := &p.Layers[n-1]
		quotedRawHash(h, p.Payload, last.Uint(nhIndex(last.Proto))) // an upper header cut short
	}
}

// nhIndex is the index of the next header field of an IPv6 header or
// extension header.
func nhIndex(p *Proto) int {
	if p == IPv6 {
		return v6NH
	}
	return 0
}

// icmpIDSeq reports whether ICMP type t has an id and seq Scapy hashes.
func icmpIDSeq(t uint64) bool {
	switch t {
	case 0, 8, 13, 14, 15, 16, 17, 18, 37, 38:
		return true
	}
	return false
}

// ipv4Hash adds IP.hashret's own part for the IPv4 layer i and returns
// the layer to go on from, or -1 when the rest is a quote netlua could not
// decode (hashed here).
func ipv4Hash(h *hasher, p *Packet, i int) int {
	l := &p.Layers[i]
	if l.Uint(ipProto) == 1 && i+1 < len(p.Layers) && p.Layers[i+1].Proto == ICMPv4 &&
		icmpError(p.Layers[i+1].Uint(icmpType)) {
		return i + 2 // an error hashes as the packet it quotes
	}
	if l.Addr(ipDst) != mdns {
		h.u32(l.Uint(ipSrc) ^ l.Uint(ipDst)) // an IPv4 address field holds its 32 bits
	}
	h.u8(l.Uint(ipProto))
	if i+1 == len(p.Layers) && len(p.Payload) > 0 && i > 0 && p.Layers[i-1].Proto == ICMPv4 && l.Uint(ipFrag) == 0 {
		quotedRawHash(h, p.Payload, l.Uint(ipProto))
		return -1
	}
	return i + 1
}

// ipv6Hash adds IPv6.hashret's own part for the IPv6 layer i and returns
// the layer to go on from.
func ipv6Hash(h *hasher, p *Packet, i int) int {
	l, up := &p.Layers[i], layerAt(p, i+1)
	nh := l.Uint(v6NH)
	if nh == 58 && up != nil && up.Proto == ICMPv6 && scapyICMPv6(up.Uint(icmpType)) {
		switch t := up.Uint(icmpType); {
		case t < 128:
			return i + 2 // an error hashes as the packet it quotes
		case t >= 133 && t <= 136 || t == 144 || t == 145:
			h.u8(nh)
			return i + 1
		}
	}
	f := &l.Proto.Fields[v6Dst]
	sd := [2]uint64{l.num[f.slot], l.num[f.slot+1]}
	f = &l.Proto.Fields[v6Src]
	ss := [2]uint64{l.num[f.slot], l.num[f.slot+1]}
	if up != nil {
		switch {
		case nh == 43 && up.Proto == IPv6RH && up.Uint(rhType) == rhTypeSRH:
			if a := up.Bytes(rhAddresses); len(a) >= 16 {
				sd = addr128(a)
			}
		case nh == 43 && up.Proto == IPv6RH:
			nh = up.Uint(rhNH)
			a := up.Bytes(rhAddresses)
			sd = [2]uint64{0, 1} // ::1 when there is none
			if len(a) >= 16 {
				sd = addr128(a[len(a)-16:])
			}
			for ; len(a) >= 16; a = a[16:] {
				x := addr128(a)
				sd[0], sd[1] = sd[0]^x[0], sd[1]^x[1]
			}
		case nh == 44 && up.Proto == IPv6Frag, nh == 0 && up.Proto == IPv6HBH:
			nh = up.Uint(0) // their next header is their first field
		}
	}
	if sd[0]>>56 != 0xff { // not multicast
		h.u64(sd[0] ^ ss[0])
		h.u64(sd[1] ^ ss[1])
	}
	h.u8(nh)
	return i + 1
}

// addr128 is the IPv6 address in the first 16 bytes of a as two halves.
func addr128(a []byte) [2]uint64 {
	return [2]uint64{binary.BigEndian.Uint64(a), binary.BigEndian.Uint64(a[8:])}
}

// icmp6Hash adds the hashret of the ICMPv6 layer i: the id and seq of an
// echo, the target of a neighbour solicitation or advertisement; Scapy's
// other ICMPv6 classes hash as their payload, which for those netlua
// decodes (ND and MLD options) is nothing.
func icmp6Hash(h *hasher, p *Packet, i int) {
	l := &p.Layers[i]
	switch t := l.Uint(icmpType); {
	case t == 128 || t == 129:
		h.u16(l.Uint(icmpID))
		h.u16(l.Uint(icmpSeq))
	case t == 135 || t == 136:
		if nd := layerAt(p, i+1); nd != nil && (nd.Proto == NDNS || nd.Proto == NDNA) {
			f := &nd.Proto.Fields[mustTgt(nd.Proto)]
			h.u64(nd.num[f.slot])
			h.u64(nd.num[f.slot+1])
		}
	case t >= 1 && t <= 4:
		hashAt(h, p, i+1) // not under IPv6: the quote's own hash
	}
}

// mustTgt is the index of the target field of NDNS or NDNA.
func mustTgt(p *Proto) int {
	if p == NDNS {
		return ndnsTgt
	}
	return ndnaTgt
}

// quotedRawHash adds the hashret of an L4 header an ICMP error quotes that
// netlua could not decode, as Scapy decodes its whole fields (see
// quotedRawAnswers): TCPerror's ports, ICMPerror's id and seq.
func quotedRawHash(h *hasher, b []byte, proto uint64) {
	switch {
	case proto == 6 && len(b) >= 4 && atBoundary(len(b), 2, 4, 8, 12, 14, 16, 18):
		h.u16(uint64(binary.BigEndian.Uint16(b) ^ binary.BigEndian.Uint16(b[2:])))
	case proto == 1 && len(b) >= 8 && icmpIDSeq(uint64(b[0])):
		h.u16(uint64(binary.BigEndian.Uint16(b[4:])))
		h.u16(uint64(binary.BigEndian.Uint16(b[6:])))
	}
}
