package frame

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// DNS records as Lua tables of named fields, with Scapy's names:
// questions {qname = "example.com.", qtype = "A", qclass = "IN"} (Scapy's
// DNSQR) and resource records {rrname = , type = , rclass = , ttl = ,
// rdata = } (DNSRR), whose rdata takes the form of its type: an address
// for A and AAAA, a name for NS, CNAME, PTR (and MD, MF), a list of
// strings for TXT, a table of Scapy's DNSRRMX, DNSRRSOA and DNSRRSRV
// fields for MX, SOA and SRV, and for OPT (Scapy's DNSRROPT, whose
// rclass is the UDP payload size and whose ttl is extrcode, version and
// z) a list of EDNS0 options {optcode = , optdata = }; other types, and
// any rdata given as a string where a table is its form, are bytes.
// Types and classes are Scapy's names, or numbers where it has none.

var (
	dnsQuestionList sharedCodec = dnsQuestionCodec{}
	dnsRecordList   sharedCodec = dnsRecordCodec{}
)

type (
	dnsQuestionCodec struct{}
	dnsRecordCodec   struct{}
)

// Form shows a question's form.
func (dnsQuestionCodec) Form() string {
	return `a list of questions like {{qname = "example.com", qtype = "A", qclass = "IN"}} (defaults: www.example.com, A, IN)`
}

// Form shows a record's form.
func (dnsRecordCodec) Form() string {
	return `a list of records like {{rrname = "example.com", type = "A", rclass = "IN", ttl = 300, rdata = "198.18.0.1"}}, rdata by type: ` +
		`A/AAAA an address, NS/CNAME/PTR a name, TXT {"text", ...}, MX {preference =, exchange =}, ` +
		`SOA {mname =, rname =, serial =, refresh =, retry =, expire =, minimum =}, SRV {priority =, weight =, port =, target =}, ` +
		`OPT (rclass the UDP size; extrcode, version, z = 32768 for ttl) {{optcode =, optdata =}}, others bytes; rdlen computed unless given`
}

// Decode reads questions until the bytes run out.
func (c dnsQuestionCodec) Decode(data []byte) []Item { return decodeUntilEnd(c, data) }

// Decode reads records until the bytes run out.
func (c dnsRecordCodec) Decode(data []byte) []Item { return decodeUntilEnd(c, data) }

func decodeUntilEnd(c sharedCodec, data []byte) []Item {
	var items []Item
	for pos := 0; pos < len(data); {
		it := c.DecodeShared(data, pos, 1)
		items = append(items, it...)
		pos = dnsNameEnd(data, pos) + 4
		if _, ok := c.(dnsRecordCodec); ok && pos+6 <= len(data) {
			pos += 6 + int(u16(data[pos+4:]))
		}
	}
	return items
}

// DecodeShared reads n questions from data[start:] as Scapy's
// DNSQRField: past the end of the data, a question is the root, A, IN.
func (dnsQuestionCodec) DecodeShared(data []byte, start, n int) []Item {
	items := make([]Item, 0, min(n, len(data)+1))
	fields := make([]NamedValue, 0, 3*cap(items)) // one allocation for all
	pos := start
	for range n {
		var qname string
		qname, pos = dnsName(data, data, pos)
		rd := rdataReader{b: data[min(pos, len(data)):min(pos+4, len(data))], full: data}
		qtype, qclass := rd.uint(2, 1), rd.uint(2, 1)
		k := len(fields)
		fields = append(fields, NamedValue{"qname", qname},
			NamedValue{"qtype", codeValue(qtype, dnsQTypes)}, NamedValue{"qclass", codeValue(qclass, dnsClasses)})
		items = append(items, Item{Fields: fields[k:len(fields):len(fields)]})
		pos += 4
	}
	return items
}

// DecodeShared reads n records from data[start:] as Scapy's DNSRRField;
// one cut short, which parse has ruled out, ends the list as bytes.
func (dnsRecordCodec) DecodeShared(data []byte, start, n int) []Item {
	items := make([]Item, 0, min(n, len(data)))
	pos := start
	for range n {
		var rrname string
		rrname, pos = dnsName(data, data, pos)
		if len(data)-pos < 10 {
			return append(items, Item{Values: []any{string(data[min(pos, len(data)):])}})
		}
		typ, class, ttl, rdlen := u16(data[pos:]), u16(data[pos+2:]), u32(data[pos+4:]), int(u16(data[pos+8:]))
		pos += 10
		rd := rdataReader{b: data[pos:min(pos+rdlen, len(data))], full: data}
		pos += rdlen
		it := Item{Fields: []NamedValue{{"rrname", rrname}, {"type", codeValue(typ, dnsTypes)}}}
		if typ == dnsTypeOPT {
			it.Fields = append(it.Fields, NamedValue{"rclass", class}, NamedValue{"extrcode", ttl >> 24},
				NamedValue{"version", ttl >> 16 & 0xff}, NamedValue{"z", ttl & 0xffff})
		} else {
			it.Fields = append(it.Fields, NamedValue{"rclass", codeValue(class, dnsClasses)}, NamedValue{"ttl", ttl})
		}
		items = append(items, Item{Fields: append(it.Fields, NamedValue{"rdata", rd.rdata(uint16(typ))})})
	}
	return items
}

// An rdataReader reads a record's fields as Scapy dissects a packet: a
// field with no byte left takes its default, one cut short fails (bad).
type rdataReader struct {
	b, full []byte
	bad     bool
}

func (r *rdataReader) uint(n int, def uint64) uint64 {
	if len(r.b) == 0 {
		return def
	}
	if len(r.b) < n {
		r.b, r.bad = nil, true
		return def
	}
	v := beUint(r.b[:n])
	r.b = r.b[n:]
	return v
}

func (r *rdataReader) skip(n int) { r.uint(n, 0) }

// name reads a name, whose pointers lead into the whole message.
func (r *rdataReader) name() string {
	name, end := dnsName(r.b, r.full, 0)
	r.b = r.b[min(end, len(r.b)):]
	return name
}

func (r *rdataReader) skipName() { r.b = r.b[min(dnsNameEnd(r.b, 0), len(r.b)):] }

// addr reads an address of n bytes, def when there is none.
func (r *rdataReader) addr(n int, def string) any {
	if len(r.b) == 0 {
		return def
	}
	if len(r.b) < n {
		return string(r.b) // parse has ruled it out
	}
	a, _ := netip.AddrFromSlice(r.b[:n])
	return a.String()
}

// rdata reads the rdata of type typ in its form.
func (r *rdataReader) rdata(typ uint16) any {
	num := func(name string, n int) NamedValue { return NamedValue{name, r.uint(n, 0)} }
	name := func(name string) NamedValue { return NamedValue{name, r.name()} }
	switch typ {
	case dnsTypeA:
		return r.addr(4, "0.0.0.0")
	case dnsTypeAAAA:
		return r.addr(16, "::")
	case dnsTypeNS, dnsTypeMD, dnsTypeMF, dnsTypeCNAME, dnsTypePTR:
		return r.name()
	case dnsTypeTXT:
		return decodeTXT(r.b)
	case dnsTypeMX:
		pref := num("preference", 2)
		return Item{Fields: []NamedValue{pref, name("exchange")}}
	case dnsTypeSRV:
		prio := num("priority", 2)
		weight := num("weight", 2)
		port := num("port", 2)
		return Item{Fields: []NamedValue{prio, weight, port, name("target")}}
	case dnsTypeSOA:
		mname := name("mname")
		it := Item{Fields: []NamedValue{mname, name("rname")}}
		for _, f := range soaNumbers {
			it.Fields = append(it.Fields, num(f, 4))
		}
		return it
	case dnsTypeOPT:
		return decodeEDNS0(r.b)
	}
	return string(r.b)
}

var soaNumbers = []string{"serial", "refresh", "retry", "expire", "minimum"}

// decodeTXT reads strings as Scapy's DNSTextField: a length past the end
// gives what there is.
func decodeTXT(b []byte) Item {
	var it Item
	for len(b) > 0 {
		n := min(int(b[0])+1, len(b))
		it.Values = append(it.Values, string(b[1:n]))
		b = b[n:]
	}
	return it
}

// decodeEDNS0 reads EDNS0 options as Scapy's PacketListField of
// EDNS0TLV: an option cut inside its code or length is bytes, one cut
// inside its data gives what there is. Scapy's EDNS0ClientSubnet
// (optcode 8) is an option like the others here: its optdata is bytes.
func decodeEDNS0(b []byte) Item {
	var it Item
	for len(b) > 0 {
		switch {
		case len(b) == 1 || len(b) == 3:
			return Item{Values: append(it.Values, string(b))}
		case len(b) == 2:
			return Item{Values: append(it.Values, Item{Fields: []NamedValue{{"optcode", u16(b)}, {"optdata", ""}}})}
		}
		n := min(4+int(u16(b[2:])), len(b))
		it.Values = append(it.Values, Item{Fields: []NamedValue{{"optcode", u16(b)}, {"optdata", string(b[4:n])}}})
		b = b[n:]
	}
	return it
}

// Encode writes questions as Scapy's DNSQR.
func (dnsQuestionCodec) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeQuestion)
}

func encodeQuestion(dst []byte, it *Item) ([]byte, error) {
	if err := checkRecordFields(it, "a question", "qname", "qtype", "qclass"); err != nil {
		return nil, err
	}
	qname, err := stringField(it, "qname", "www.example.com")
	if err != nil {
		return nil, err
	}
	qtype, err := codeField(it, "qtype", dnsQTypes, 1)
	if err != nil {
		return nil, err
	}
	qclass, err := codeField(it, "qclass", dnsClasses, 1)
	if err != nil {
		return nil, err
	}
	dst = appendDNSName(dst, qname)
	return append(dst, byte(qtype>>8), byte(qtype), byte(qclass>>8), byte(qclass)), nil
}

// checkRecordFields checks that it has named fields only, of names.
func checkRecordFields(it *Item, what string, names ...string) error {
	if len(it.Values) > 0 {
		return fmt.Errorf("%s is a table of named fields (%s), got a value at [1]", what, strings.Join(names, ", "))
	}
	for _, f := range it.Fields {
		if !slices.Contains(names, f.Name) {
			return fmt.Errorf("%s has no field '%s' (%shave: %s)", what, f.Name, didYouMean(f.Name, names), strings.Join(names, ", "))
		}
	}
	return nil
}

// stringField is field name of it, a string, or def.
func stringField(it *Item, name, def string) (string, error) {
	v, ok := it.Field(name)
	if !ok || v == nil {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: want a string, got %s", name, valueText(v))
	}
	return s, nil
}

// numField is field name of it, a number of bits bits, or def.
func numField(it *Item, name string, bits int, def uint64) (uint64, error) {
	v, ok := it.Field(name)
	if !ok || v == nil {
		return def, nil
	}
	n, err := itemUint(v, bits)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return n, nil
}

// codeField is type or class field name of it, by name or number, or def.
func codeField(it *Item, name string, codes []dnsCode, def uint64) (uint64, error) {
	v, ok := it.Field(name)
	if !ok || v == nil {
		return def, nil
	}
	return codeNumber(v, codes, name)
}

// errOPTTTL is a ttl given to an OPT record.
var errOPTTTL = errors.New("an OPT record has extrcode, version and z where others have ttl")
