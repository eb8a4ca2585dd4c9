package frame

import "net/netip"

// Field indices the matcher reads that protos.go does not name.
var ndnsTgt, ndnaTgt = mustField(NDNS, "tgt"), mustField(NDNA, "tgt")

// mustField is the index of p's field name; a missing one is a bug here.
func mustField(p *Proto, name string) int {
	i, ok := p.Field(name)
	if !ok {
		panic("frame: no field " + p.Name + "." + name)
	}
	return i
}

// TCP flag bits as the flags field holds them.
const (
	tcpFIN = 1 << iota
	tcpSYN
	tcpRST
	tcpPSH
	tcpACK
)

// arpAnswers is Scapy's ARP.answers: the next op, from the address asked.
// The comparison is loose, over the shorter address, to catch leaks.
func arpAnswers(self, other *Layer) bool {
	if self.Uint(arpOp) != other.Uint(arpOp)+1 {
		return false
	}
	var a, b [16]byte
	sa, oa := addrBytes(self, arpPsrc, &a), addrBytes(other, arpPdst, &b)
	n := min(len(sa), len(oa))
	return string(sa[:n]) == string(oa[:n])
}

// addrBytes is address field i as the wire holds it, in buf's memory.
func addrBytes(l *Layer, i int, buf *[16]byte) []byte {
	if raw, _, ok := l.rawAddr(i); ok {
		return raw
	}
	a := l.Addr(i)
	if a.Is4() {
		b4 := a.As4()
		copy(buf[:], b4[:])
		return buf[:4]
	}
	*buf = a.As16()
	return buf[:]
}

// icmpErrorTypes are the ICMP types that quote the packet they answer.
func icmpError(t uint64) bool { return t == 3 || t == 4 || t == 5 || t == 11 || t == 12 }

// mdns is the mDNS group, whose answers Scapy matches on payload alone.
var mdns = netip.AddrFrom4([4]byte{224, 0, 0, 251})

// ipv4Answers is Scapy's IP.answers for a reply's own IPv4 header.
func ipv4Answers(r *Packet, ri int, q *Packet, qi int) bool {
	self, other := &r.Layers[ri], layerAt(q, qi)
	if other == nil || other.Proto != IPv4 {
		return false
	}
	if other.Addr(ipDst) == mdns && self.Addr(ipDst) == mdns {
		return answersAt(r, ri+1, q, qi+1, false)
	}
	if self.Addr(ipDst) != other.Addr(ipSrc) {
		return false
	}
	if self.Uint(ipProto) == 1 && ri+1 < len(r.Layers) && r.Layers[ri+1].Proto == ICMPv4 &&
		icmpError(r.Layers[ri+1].Uint(icmpType)) {
		return answersAt(r, ri+2, q, qi, true)
	}
	if self.Addr(ipSrc) != other.Addr(ipDst) || self.Uint(ipProto) != other.Uint(ipProto) {
		return false
	}
	return answersAt(r, ri+1, q, qi+1, false)
}

// ipErrorAnswers is Scapy's IPerror.answers: the quoted header is the
// request's (IP ids are not compared: conf.checkIPID is off).
func ipErrorAnswers(r *Packet, ri int, q *Packet, qi int) bool {
	self, other := &r.Layers[ri], layerAt(q, qi)
	if other == nil || other.Proto != IPv4 {
		return false
	}
	if self.Addr(ipSrc) != other.Addr(ipSrc) || self.Addr(ipDst) != other.Addr(ipDst) ||
		self.Uint(ipProto) != other.Uint(ipProto) {
		return false
	}
	if ri+1 == len(r.Layers) && len(r.Payload) > 0 && self.Uint(ipFrag) == 0 {
		return quotedRawAnswers(r.Payload, self.Uint(ipProto), layerAt(q, qi+1))
	}
	return answersAt(r, ri+1, q, qi+1, true)
}

// echoPairs are the ICMP (request, reply) types matched by id and seq.
var echoPairs = [...][2]uint64{{8, 0}, {13, 14}, {15, 16}, {17, 18}, {33, 34}, {35, 36}, {37, 38}}

// icmpEchoAnswers is Scapy's ICMP.answers: a reply of the request's kind
// with its id and seq.
func icmpEchoAnswers(self, other *Layer) bool {
	for _, p := range echoPairs {
		if other.Uint(icmpType) == p[0] && self.Uint(icmpType) == p[1] {
			return self.Uint(icmpID) == other.Uint(icmpID) && self.Uint(icmpSeq) == other.Uint(icmpSeq)
		}
	}
	return false
}

// icmpErrorAnswers is Scapy's ICMPerror.answers: the quoted ICMP header is
// the request's. Scapy tests the code, not the type, before comparing id
// and seq; so does this.
func icmpErrorAnswers(r *Packet, ri int, q *Packet, qi int) bool {
	self, other := &r.Layers[ri], layerAt(q, qi)
	if other == nil || other.Proto != ICMPv4 {
		return false
	}
	if self.Uint(icmpType) != other.Uint(icmpType) || self.Uint(icmpCode) != other.Uint(icmpCode) {
		return false
	}
	switch self.Uint(icmpCode) {
	case 0, 8, 13, 14, 17, 18:
		return self.Uint(icmpID) == other.Uint(icmpID) && self.Uint(icmpSeq) == other.Uint(icmpSeq)
	}
	return true
}

// tcpAnswers is Scapy's TCP.answers: swapped ports, a SYN/ACK for a SYN,
// and seq and ack within 2 (plus the request's payload) of the request's.
// otherLoad is the length of the request's payload.
func tcpAnswers(self, other *Layer, otherLoad int) bool {
	sf, of := self.Uint(tcpFlags), other.Uint(tcpFlags)
	if of&tcpRST != 0 {
		return false
	}
	if sf&tcpSYN != 0 && (sf&tcpACK == 0 || of&tcpSYN == 0) {
		return false
	}
	if self.Uint(tcpSport) != other.Uint(tcpDport) || self.Uint(tcpDport) != other.Uint(tcpSport) {
		return false
	}
	if !(of&tcpSYN != 0 && of&tcpACK == 0) && absDiff(other.Uint(tcpAck), self.Uint(tcpSeq)) > 2 {
		return false
	}
	if sf&tcpRST != 0 && sf&tcpACK == 0 {
		return true
	}
	return absDiff(other.Uint(tcpSeq), self.Uint(tcpAck)) <= 2+uint64(otherLoad)
}

// absDiff is |a-b| without wrapping, as Python's abs of a difference.
func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

// dnsAnswers is Scapy's DNS.answers: a response with the query's id. The
// qr flag follows the id, over UDP or TCP.
func dnsAnswers(self, other *Layer) bool {
	si, oi := dnsID(self.Proto), dnsID(other.Proto)
	return self.Uint(si) == other.Uint(oi) && self.Uint(si+1) == 1 && other.Uint(oi+1) == 0
}
