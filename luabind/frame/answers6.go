package frame

import "bytes"

// ipv6Answers is Scapy's IPv6.answers for a reply's own IPv6 header: the
// reply goes back to the request's source, or, for a request to a
// multicast group, to the group or the source; ICMPv6 errors answer
// through their quote; the request's extension headers are skipped.
func ipv6Answers(r *Packet, ri int, q *Packet, qi int) bool {
	self, other := &r.Layers[ri], layerAt(q, qi)
	if other == nil || other.Proto != IPv6 {
		return false
	}
	sd, os, od := self.Addr(v6Dst), other.Addr(v6Src), other.Addr(v6Dst)
	if od.IsMulticast() {
		if sd.IsMulticast() {
			if sd == od || sd == allNodes && od == allRouters {
				return answersAt(r, ri+1, q, qi+1, false)
			}
			return false
		}
		return os == sd && answersAt(r, ri+1, q, qi+1, false)
	}
	if sd != os {
		return false
	}
	up, qup := layerAt(r, ri+1), layerAt(q, qi+1)
	switch {
	case self.Uint(v6NH) == 58 && up != nil && up.Proto == ICMPv6 && up.Uint(icmpType) >= 1 && up.Uint(icmpType) <= 4:
		return answersAt(r, ri+2, q, qi, true)
	case other.Uint(v6NH) == 0 && qup != nil && qup.Proto == IPv6HBH:
		return answersAt(r, ri+1, q, qi+1, false)
	case other.Uint(v6NH) == 44 && qup != nil && qup.Proto == IPv6Frag,
		other.Uint(v6NH) == 43 && qup != nil && qup.Proto == IPv6RH:
		return answersAt(r, ri+1, q, qi+2, false)
	case other.Uint(v6NH) == 60 && qup != nil && qup.Proto == IPv6Dest:
		return answersAt(r, ri+2, q, qi+2, false)
	case self.Uint(v6NH) == 60 && up != nil && up.Proto == IPv6Dest:
		return answersAt(r, ri+2, q, qi+1, false)
	}
	return self.Uint(v6NH) == other.Uint(v6NH) && answersAt(r, ri+1, q, qi+1, false)
}

// icmp6Answers is the answers() of Scapy's ICMPv6 class for the reply's
// type: an echo reply answers an echo of its id, seq and data, a neighbour
// advertisement a solicitation for its target, a router advertisement a
// solicitation, an MLD report a query; the rest answer nothing, except in
// a quote or after an extension header, where the type and code match.
func icmp6Answers(r *Packet, ri int, q *Packet, qi int, quoted bool) bool {
	self, other := &r.Layers[ri], layerAt(q, qi)
	if other != nil && other.Proto != ICMPv6 {
		other = nil
	}
	t := self.Uint(icmpType)
	if !scapyICMPv6(t) {
		return true // Scapy has no class for the type: the bytes are Raw
	}
	switch {
	case t == 129:
		return other != nil && (other.Uint(icmpType) == 128 || other.Uint(icmpType) == 129) &&
			self.Uint(icmpID) == other.Uint(icmpID) && self.Uint(icmpSeq) == other.Uint(icmpSeq) &&
			bytes.Equal(echoData(r, ri), echoData(q, qi))
	case t == 136:
		na, ns := layerAt(r, ri+1), layerAt(q, qi+1)
		return other != nil && other.Uint(icmpType) == 135 && na != nil && na.Proto == NDNA &&
			ns != nil && ns.Proto == NDNS && na.Addr(ndnaTgt) == ns.Addr(ndnsTgt)
	case t == 134:
		return other != nil && other.Uint(icmpType) == 133
	case t == 131:
		return hasLayer(q, qi, MLDQuery) || hasLayer(q, qi, MLDv2Query)
	case t == 143:
		return other != nil && layerAt(q, qi+1) != nil && q.Layers[qi+1].Proto == MLDv2Query
	}
	if quoted || ri > 0 && isV6Ext(r.Layers[ri-1].Proto) && other != nil {
		return other != nil && self.Uint(icmpType) == other.Uint(icmpType) &&
			self.Uint(icmpCode) == other.Uint(icmpCode)
	}
	return false
}

// echoData is the data of an ICMPv6 echo at layer i: the bytes after it.
func echoData(p *Packet, i int) []byte {
	if i+1 == len(p.Layers) {
		return p.Payload
	}
	return nil
}

// hasLayer reports whether p has a layer of proto from layer i on.
func hasLayer(p *Packet, i int, proto *Proto) bool {
	for ; i < len(p.Layers); i++ {
		if p.Layers[i].Proto == proto {
			return true
		}
	}
	return false
}

// ipError6Answers is Scapy's IPerror6.answers: the quote (IPv6 layer ri of
// reply) is from the request's source to its destination (any destination
// when the request has a routing header), and the bytes of the quoted
// upper layer are a prefix of the request's, or the request's of them.
// TCP headers whose options differ (MSS clamped on the way) are compared
// without options, checksum and data offset.
func ipError6Answers(r *Packet, ri int, q *Packet, qi int) bool {
	self, other := &r.Layers[ri], layerAt(q, qi)
	if other == nil || other.Proto != IPv6 || self.Addr(v6Src) != other.Addr(v6Src) {
		return false
	}
	su, qu, rh := ri+1, qi+1, false
	for su < len(r.Layers) && isV6Ext(r.Layers[su].Proto) {
		su++
	}
	for qu < len(q.Layers) && isV6Ext(q.Layers[qu].Proto) {
		rh = rh || q.Layers[qu].Proto == IPv6RH
		qu++
	}
	if self.Addr(v6Dst) != other.Addr(v6Dst) && !rh {
		return false
	}
	clamped := su < len(r.Layers) && qu < len(q.Layers) && r.Layers[su].Proto == TCP &&
		q.Layers[qu].Proto == TCP && !bytes.Equal(tcpOptionBytes(&r.Layers[su]), tcpOptionBytes(&q.Layers[qu]))
	if su == len(r.Layers) && extCutDecodes(&r.Layers[su-1], len(r.Payload)) {
		// An extension header cut short by the quote: Scapy decodes
		// what there is of it, and finds no upper layer after it.
		return true
	}
	s1, s2 := rawFrom(r, su, clamped), rawFrom(q, qu, clamped)
	n := min(len(s1), len(s2))
	return bytes.Equal(s1[:n], s2[:n])
}

// rawFrom is the bytes of p from layer i on, as Scapy's raw() of it:
// padding included. With clamped, a TCP layer i is built with no options,
// checksum 0 and data offset 0.
func rawFrom(p *Packet, i int, clamped bool) []byte {
	layers := make([]*Layer, 0, len(p.Layers)-i+2)
	for k := i; k < len(p.Layers); k++ {
		l := &p.Layers[k]
		if k == i && clamped {
			c := *l
			c.SetItems(tcpOptions, nil)
			c.SetUint(tcpChksum, 0)
			c.SetUint(tcpDataofs, 0)
			l = &c
		}
		layers = append(layers, l)
	}
	out := Build(layers...)
	out = append(out, p.Payload...)
	return append(out, p.Padding...)
}

// tcpOptionBytes is the options of TCP layer l as the wire has them.
func tcpOptionBytes(l *Layer) []byte {
	b := Build(l)
	return b[20:min(len(b), max(20, 4*int(l.Uint(tcpDataofs))))]
}

// extCutDecodes reports whether the n bytes after layer l, an IPv6 or
// extension header, are an extension header cut short where Scapy still
// decodes it: at the end of one of its fields. Cut inside a field, Scapy
// keeps the bytes as Raw.
func extCutDecodes(l *Layer, n int) bool {
	i, ok := l.Proto.Field("nh")
	if !ok || n == 0 {
		return false
	}
	switch l.Uint(i) {
	case 0, 60: // nh, len, then options, which Scapy reads as far as they go
		return true
	case 43: // nh, len, type, segleft, 4 reserved bytes, 16-byte addresses
		return n <= 4 || n >= 8 && (n-8)%16 == 0
	case 44: // nh, res1, offset/res2/m in 2 bytes, 4 bytes of id
		return n == 1 || n == 2 || n >= 4 && n != 5 && n != 6 && n != 7
	}
	return false
}

// scapyICMPv6 reports whether Scapy 2.5 decodes ICMPv6 type t as an ICMPv6
// class (icmp6typescls); it keeps the others as Raw bytes.
func scapyICMPv6(t uint64) bool {
	switch {
	case t >= 1 && t <= 4, t >= 128 && t <= 137, t >= 139 && t <= 147,
		t == 151, t == 152, t == 153, t == 155:
		return true
	}
	return false
}
