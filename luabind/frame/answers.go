package frame

// Answers reports whether reply answers request, as Scapy 2.5's
// reply.answers(request) does with its defaults: conf.checkIPsrc,
// conf.checkIPaddr and conf.checkIPinIP on, conf.checkIPID and
// conf.check_TCPerror_seqack off. Each layer of reply is matched against
// the layer of request at the same depth by its protocol's rule; a
// protocol without one answers when the request has the same protocol
// there and the payloads answer (Scapy's Packet.answers). An ICMP error
// answers through the packet it quotes. A protocol made by frame.define
// answers by its Proto.Answers when it has one.
func Answers(reply, request *Packet) bool {
	return answersAt(reply, 0, request, 0, false)
}

// answersAt is Answers of reply's layers from ri on against request's from
// qi on. An index past the last layer is the payload bytes (Scapy's Raw,
// or Padding) or, with none, nothing (Scapy's NoPayload). quoted says
// reply's layer is inside an ICMP error's quote: Scapy's IPerror,
// UDPerror, TCPerror, ICMPerror and IPerror6 match it.
func answersAt(r *Packet, ri int, q *Packet, qi int, quoted bool) bool {
	if ri >= len(r.Layers) {
		return payloadAnswers(r, q, qi)
	}
	self := &r.Layers[ri]
	other := layerAt(q, qi)
	if self.Proto.Answers != nil {
		return other != nil && self.Proto.Answers(self, other) && answersAt(r, ri+1, q, qi+1, quoted)
	}
	switch self.Proto {
	case Ether:
		return other != nil && other.Proto == Ether && self.Uint(ethType) == other.Uint(ethType) &&
			answersAt(r, ri+1, q, qi+1, quoted)
	case VLAN:
		if other != nil && other.Proto == VLAN {
			return self.Uint(vlanType) == other.Uint(vlanType) && self.Uint(vlanVID) == other.Uint(vlanVID) &&
				answersAt(r, ri+1, q, qi+1, quoted)
		}
		return answersAt(r, ri+1, q, qi, quoted)
	case ARP:
		return other != nil && other.Proto == ARP && arpAnswers(self, other)
	case IPv4:
		if quoted {
			return ipErrorAnswers(r, ri, q, qi)
		}
		return ipv4Answers(r, ri, q, qi)
	case IPv6:
		if quoted {
			return ipError6Answers(r, ri, q, qi)
		}
		return ipv6Answers(r, ri, q, qi)
	case ICMPv4:
		if quoted {
			return icmpErrorAnswers(r, ri, q, qi)
		}
		return other != nil && other.Proto == ICMPv4 && icmpEchoAnswers(self, other)
	case ICMPv6:
		return icmp6Answers(r, ri, q, qi, quoted)
	case UDP:
		if other == nil || other.Proto != UDP {
			return false
		}
		if quoted {
			return self.Uint(udpSport) == other.Uint(udpSport) && self.Uint(udpDport) == other.Uint(udpDport)
		}
		return self.Uint(udpDport) == other.Uint(udpSport) && answersAt(r, ri+1, q, qi+1, quoted)
	case TCP:
		if other == nil || other.Proto != TCP {
			return false
		}
		if quoted {
			return self.Uint(tcpSport) == other.Uint(tcpSport) && self.Uint(tcpDport) == other.Uint(tcpDport)
		}
		return tcpAnswers(self, other, tcpPayloadLen(q, qi))
	case DNS, dnsTCP:
		return other != nil && (other.Proto == DNS || other.Proto == dnsTCP) && dnsAnswers(self, other)
	case BOOTP:
		return other != nil && other.Proto == BOOTP && self.Uint(bootpXid) == other.Uint(bootpXid)
	}
	return other != nil && other.Proto == self.Proto && answersAt(r, ri+1, q, qi+1, quoted)
}

// layerAt is p's layer i, or nil past the last.
func layerAt(p *Packet, i int) *Layer {
	if i < len(p.Layers) {
		return &p.Layers[i]
	}
	return nil
}

// payloadAnswers is the answer of reply's undecoded rest: Scapy's Raw and
// Padding answer anything; NoPayload answers only nothing or padding.
func payloadAnswers(r, q *Packet, qi int) bool {
	if len(r.Payload) > 0 && !ownsPayload(r) || len(r.Padding) > 0 {
		return true
	}
	return qi >= len(q.Layers) && (len(q.Payload) == 0 || ownsPayload(q))
}

// ownsPayload reports whether p's undecoded bytes belong to its last
// layer in Scapy, not to a payload after it: the data of an ICMPv6 echo,
// or an ICMPv6 message of a type Scapy has no class for, all one Raw.
func ownsPayload(p *Packet) bool {
	if len(p.Layers) == 0 {
		return false
	}
	l := &p.Layers[len(p.Layers)-1]
	t := l.Uint(icmpType)
	return l.Proto == ICMPv6 && (t == 128 || t == 129 || !scapyICMPv6(t))
}

// tcpPayloadLen is the length of the payload of p's TCP layer i, as
// Scapy's len() of it: the bytes after the header, padding included. A
// layer decoded above TCP (DNS) has no length of its own here, so the IPv4
// header's total length counts it.
func tcpPayloadLen(p *Packet, i int) int {
	n := len(p.Payload) + len(p.Padding)
	if i+1 == len(p.Layers) || i == 0 || p.Layers[i-1].Proto != IPv4 {
		return n
	}
	ip, tcp := &p.Layers[i-1], &p.Layers[i]
	return int(ip.Uint(ipLen)) - 4*int(ip.Uint(ipIHL)) - 4*int(tcp.Uint(tcpDataofs)) + len(p.Padding)
}
