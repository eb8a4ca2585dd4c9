package frame

import (
	"errors"
	"fmt"
)

// DNS and LLMNR, as Scapy 2.5's scapy.layers.dns and llmnr have them: a
// 12-byte header, over TCP after a 2-byte length, then four sections of
// records, qd, an, ns and ar, kept as the message's bytes (shared.go)
// and read as lists of records (dnsrr.go) when a script asks. Like
// Scapy, build writes names uncompressed (Scapy compresses only in
// dns_compress) and parse follows compression pointers.

var (
	// DNS is Scapy's DNS: its length field is on the wire over TCP only.
	DNS = builtinProto("dns", "DNS message (RFC 1035), over UDP and TCP 53 (with its 2-byte length over TCP) and mDNS 5353; "+dnsSectionsDoc, dnsFields(
		Field{Name: "length", Bits: 16, Auto: true},
		Field{Name: "id", Bits: 16},
		Field{Name: "qr", Bits: 1}, Field{Name: "opcode", Bits: 4}, Field{Name: "aa", Bits: 1},
		Field{Name: "tc", Bits: 1}, Field{Name: "rd", Bits: 1}, Field{Name: "ra", Bits: 1},
		Field{Name: "z", Bits: 1}, Field{Name: "ad", Bits: 1}, Field{Name: "cd", Bits: 1},
		Field{Name: "rcode", Bits: 4},
	), "rd", 1, "qd", []Item{{}})

	// LLMNR is Scapy's LLMNRQuery and LLMNRResponse, one layer: qr tells
	// them apart. Its header has c, a 2-bit tc and a 4-bit z where DNS
	// has aa, tc, rd, ra, z, ad and cd.
	LLMNR = builtinProto("llmnr", "LLMNR message (RFC 4795), UDP 5355: Scapy's LLMNRQuery and LLMNRResponse, told apart by qr; DNS's sections under its own flags; "+dnsSectionsDoc, dnsFields(
		Field{Name: "id", Bits: 16},
		Field{Name: "qr", Bits: 1}, Field{Name: "opcode", Bits: 4}, Field{Name: "c", Bits: 1},
		Field{Name: "tc", Bits: 2}, Field{Name: "z", Bits: 4}, Field{Name: "rcode", Bits: 4},
	))

	// dnsTCP is DNS as parsed over TCP: the same fields, and its length
	// on the wire, as Scapy's ConditionalField has it under TCP. It is
	// named dns too, and builds as DNS does: the length is written when
	// a TCP layer is below.
	dnsTCP = builtinProto("dns", DNS.Doc, DNS.Fields, "rd", 1, "qd", []Item{{}})
)

// sameFields reports whether layers of p and q have the same fields: p
// is q, or both are DNS, one as parsed over TCP.
func (p *Proto) sameFields(q *Proto) bool {
	return p == q || len(p.Fields) > 0 && len(q.Fields) > 0 && &p.Fields[0] == &q.Fields[0]
}

const dnsSectionsDoc = "qd, an, ns, ar are lists of records, as tables of Scapy's DNSQR and DNSRR fields; " +
	"types and classes by Scapy's name or a number (parse gives the name where Scapy has one); " +
	"names end in a dot, the root is \".\"; build writes names uncompressed, as Scapy does, parse follows compression pointers"

// DNS's length field (the other fields are found from qdcount, which
// DNS and LLMNR both have), the header's size and the ports.
const (
	dnsLength    = 0
	dnsHeaderLen = 12
	portDNS      = 53
	portMDNS     = 5353
	portLLMNR    = 5355
)

// dnsFields are a DNS-like message's fields: its header (id, then the
// flags in their order), the four counts and the four sections.
func dnsFields(header ...Field) []Field {
	fields := header
	for _, name := range []string{"qdcount", "ancount", "nscount", "arcount"} {
		fields = append(fields, Field{Name: name, Bits: 16, Auto: true})
	}
	fields = append(fields, Field{Name: "qd", Kind: List, List: dnsQuestionList, Shared: true})
	for _, name := range []string{"an", "ns", "ar"} {
		fields = append(fields, Field{Name: name, Kind: List, List: dnsRecordList, Shared: true})
	}
	return fields
}

// dnsQdcount is the index of p's qdcount: the flags are the fields
// between id and it, and the sections are the four fields after the
// counts.
func dnsQdcount(p *Proto) int { return len(p.Fields) - 8 }

// dnsID is the index of p's id: after DNS's length, else first.
func dnsID(p *Proto) int {
	if p.Fields[0].Name == "length" {
		return 1
	}
	return 0
}

// dnsBinds binds DNS as Scapy does: first of the layers above UDP, on
// either port 53 or 5353 (UDP()/DNS() gets sport 53), and on TCP 53;
// LLMNR on either port 5355 (both when built). It runs from init.
func dnsBinds() {
	either := func(sport, dport int, upper *Proto, port uint64, build bool) []Binding {
		return []Binding{
			{Field: dport, Value: port, Upper: upper, parseOnly: true},
			{Field: sport, Value: port, Upper: upper, parseOnly: !build},
		}
	}
	var udp []Binding
	udp = append(udp, either(udpSport, udpDport, DNS, portMDNS, false)...)
	udp = append(udp, either(udpSport, udpDport, DNS, portDNS, true)...)
	UDP.binds = append(udp, UDP.binds...)
	UDP.binds = append(UDP.binds, Binding{Field: udpDport, Value: portLLMNR, Upper: LLMNR,
		also: &Binding{Field: udpSport, Value: portLLMNR}}, Binding{Field: udpSport, Value: portLLMNR, Upper: LLMNR, parseOnly: true})
	TCP.binds = append(TCP.binds, either(tcpSport, tcpDport, dnsTCP, portDNS, true)...)
	TCP.binds = append(TCP.binds, Binding{Field: tcpSport, Value: portDNS, Upper: DNS})
	for _, p := range []*Proto{DNS, dnsTCP, LLMNR} {
		p.encode, p.decode = encodeDNS, decodeDNS
	}
	dnsTCP.decode = decodeDNSTCP
	DNS.present = func(l *Layer, i int) bool { return i != dnsLength }
}

// encodeDNS writes the header and the sections: the length first when a
// TCP layer is below, as Scapy's DNS.post_build; a count not given is the
// number of records its section was given.
func encodeDNS(b *Builder, i int) {
	l := b.layers[i]
	p := l.Proto
	id, qdcount := dnsID(p), dnsQdcount(p)
	body := l.data[:l.sharedEnd()]
	if id == 1 && i > 0 && b.layers[i-1].Proto == TCP {
		n := uint64(dnsHeaderLen + len(body))
		if l.Given(dnsLength) {
			n = l.Uint(dnsLength)
		}
		b.u16(n)
	}
	b.u16(l.Uint(id))
	var flags uint64
	for f := id + 1; f < qdcount; f++ {
		flags = flags<<p.Fields[f].Bits | l.Uint(f)
	}
	b.u16(flags)
	for s := range 4 {
		n := l.Uint(qdcount + s)
		if !l.Given(qdcount + s) {
			_, _, n0 := l.sharedPart(&p.Fields[qdcount+4+s])
			n = uint64(n0)
		}
		b.u16(n)
	}
	b.buf = append(b.buf, body...)
}

// decodeDNS reads a message over UDP.
func decodeDNS(l *Layer, d []byte) (decoded, error) { return decodeDNSMessage(l, d) }

// decodeDNSTCP reads a message over TCP after its length, which must be
// 14 or more and no more than the bytes there are, as Scapy's
// DNS.pre_dissect checks; like Scapy, the length bounds nothing else.
func decodeDNSTCP(l *Layer, d []byte) (decoded, error) {
	if len(d) < 2 {
		return decoded{}, truncated(len(d), 2+dnsHeaderLen)
	}
	n := int(u16(d))
	if n < 14 || n > len(d) {
		return decoded{}, fmt.Errorf("DNS over TCP: length %d, with %d bytes after it (Scapy wants 14 or more, and no more than there are)", n, len(d)-2)
	}
	l.put(dnsLength, uint64(n))
	res, err := decodeDNSMessage(l, d[2:])
	if res.hdr > 0 {
		res.hdr += 2
	}
	return res, err
}

// decodeDNSMessage reads the header and finds the sections, as Scapy's
// DNSQRField and DNSRRField find them, without reading the records:
// that waits until a script reads a section. A message Scapy cannot
// dissect (a record cut short) is no layer here either.
func decodeDNSMessage(l *Layer, d []byte) (decoded, error) {
	if len(d) < dnsHeaderLen {
		return decoded{}, truncated(len(d), dnsHeaderLen)
	}
	if len(d) > sharedMaxData {
		return decoded{}, fmt.Errorf("DNS message of %d bytes, the most read is %d", len(d), sharedMaxData)
	}
	p := l.Proto
	id, qdcount := dnsID(p), dnsQdcount(p)
	l.put(id, u16(d))
	flags := u16(d[2:])
	for f := qdcount - 1; f > id; f-- {
		bits := p.Fields[f].Bits
		l.put(f, flags&(1<<bits-1))
		flags >>= bits
	}
	s := d[dnsHeaderLen:]
	pos, end := 0, 0
	for k := range 4 {
		n := int(u16(d[4+2*k:]))
		l.put(qdcount+k, uint64(n))
		slot := p.Fields[qdcount+4+k].slot
		if n > len(s) {
			// Scapy reads no record then, and the next section from
			// the start again.
			l.num[slot], pos = 0, 0
			continue
		}
		start := pos
		var err error
		if pos, err = skipRecords(s, pos, n, k == 0); err != nil {
			return decoded{}, fmt.Errorf("%s: %w", p.Fields[qdcount+4+k].Name, err)
		}
		l.num[slot] = packShared(min(start, len(s)), min(pos, len(s)), n)
		end = max(end, min(pos, len(s)))
	}
	l.data = s[:end]
	return decoded{hdr: dnsHeaderLen + end, end: -1}, nil
}

// errRecordCut is a record Scapy cannot dissect.
var errRecordCut = errors.New("record cut short")

// skipRecords finds where n records from pos end: questions, or
// resource records.
func skipRecords(s []byte, pos, n int, questions bool) (int, error) {
	for j := 0; j < n; j++ {
		pos = dnsNameEnd(s, pos)
		if questions {
			// Scapy leaves qtype and qclass at their defaults when no
			// byte is left, and fails on half of one.
			if r := len(s) - pos; r == 1 || r == 3 {
				return 0, fmt.Errorf("question %d: %w", j+1, errRecordCut)
			}
			pos += 4
			continue
		}
		if len(s)-pos < 10 {
			return 0, fmt.Errorf("record %d: %w", j+1, errRecordCut)
		}
		typ, rdlen := u16(s[pos:]), int(u16(s[pos+8:]))
		pos += 10
		if !rdataReadable(uint16(typ), s[pos:min(pos+rdlen, len(s))]) {
			return 0, fmt.Errorf("record %d: rdata of type %d: %w", j+1, typ, errRecordCut)
		}
		pos += rdlen
	}
	return pos, nil
}

// dnsNameEnd is where the name at pos ends, as Scapy's dns_get_str
// says: after the first pointer, else after the zero label, else where
// the bytes ran out (past the end when a label does). It follows no
// pointer: where a name ends does not depend on where it points.
func dnsNameEnd(s []byte, pos int) int {
	for pos < len(s) {
		c := s[pos]
		pos++
		switch {
		case c&0xc0 != 0:
			return pos + 1
		case c == 0:
			return pos
		}
		pos += int(c)
	}
	return pos
}

// rdataReadable reports whether Scapy dissects rdata r of type typ: a
// fixed-size field cut short fails, one with no byte left takes its
// default.
func rdataReadable(typ uint16, r []byte) bool {
	rd := rdataReader{b: r}
	switch typ {
	case dnsTypeA:
		rd.skip(4)
	case dnsTypeAAAA:
		rd.skip(16)
	case dnsTypeMX:
		rd.skip(2)
		rd.skipName()
	case dnsTypeSRV:
		rd.skip(2)
		rd.skip(2)
		rd.skip(2)
		rd.skipName()
	case dnsTypeSOA:
		rd.skipName()
		rd.skipName()
		for range 5 {
			rd.skip(4)
		}
	}
	return !rd.bad
}
