package frame

import "encoding/binary"

// quotedRawAnswers matches the bytes an ICMP error quotes after the IP
// header when no layer decoded them (a header cut short): Scapy decodes
// UDPerror, TCPerror and ICMPerror from as many whole fields as there
// are, the rest at their defaults, and keeps bytes cut inside a field as
// Raw, which answers anything. proto is the quoted IP header's protocol;
// other is the request's layer above IP, or nil.
func quotedRawAnswers(b []byte, proto uint64, other *Layer) bool {
	n := len(b)
	if other == nil {
		other = &rawProto.defaults // answers none of UDP, TCP, ICMP
	}
	switch proto {
	case 17:
		if n%2 != 0 || n > 8 {
			return true
		}
		return other.Proto == UDP && quotedPorts(b, 53, other, udpSport, udpDport)
	case 6:
		if !atBoundary(n, 2, 4, 8, 12, 14, 16, 18) {
			return true
		}
		return other.Proto == TCP && quotedPorts(b, 80, other, tcpSport, tcpDport)
	case 1:
		return quotedICMPAnswers(b, other)
	}
	return true
}

// atBoundary reports whether n bytes end at one of the field ends given,
// or at or past the last.
func atBoundary(n int, ends ...int) bool {
	for _, e := range ends {
		if n == e {
			return true
		}
	}
	return n >= ends[len(ends)-1]
}

// quotedPorts compares the quoted source and destination ports with the
// request's; a destination port the bytes do not reach is defport.
func quotedPorts(b []byte, defport uint64, other *Layer, sport, dport int) bool {
	sp, dp := uint64(binary.BigEndian.Uint16(b)), defport
	if len(b) >= 4 {
		dp = uint64(binary.BigEndian.Uint16(b[2:]))
	}
	return sp == other.Uint(sport) && dp == other.Uint(dport)
}

// quotedICMPAnswers is ICMPerror.answers on the bytes of a quoted ICMP
// header that netlua could not decode (its body cut short). Quotes of
// fewer than 8 bytes, below what RFC 792 asks for, are taken as Raw.
func quotedICMPAnswers(b []byte, other *Layer) bool {
	if len(b) < 8 {
		return true
	}
	t := uint64(b[0])
	if (t == 13 || t == 14) && !atBoundary(len(b), 8, 12, 16, 20) || (t == 17 || t == 18) && !atBoundary(len(b), 8, 12) {
		return true
	}
	if other.Proto != ICMPv4 || t != other.Uint(icmpType) || uint64(b[1]) != other.Uint(icmpCode) {
		return false
	}
	switch b[1] {
	case 0, 8, 13, 14, 17, 18:
		return uint64(binary.BigEndian.Uint16(b[4:])) == other.Uint(icmpID) &&
			uint64(binary.BigEndian.Uint16(b[6:])) == other.Uint(icmpSeq)
	}
	return true
}
