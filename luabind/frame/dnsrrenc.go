package frame

import "fmt"

// Writing DNS resource records as Scapy builds DNSRR and its kin
// (DNSRRMX, DNSRRSOA, DNSRRSRV, DNSRROPT): fields not given take the
// class's default, and rdlen, unless given, is the rdata's length.

var (
	dnsRecordFields = []string{"rrname", "type", "rclass", "ttl", "rdlen", "rdata"}
	dnsOPTFields    = []string{"rrname", "type", "rclass", "extrcode", "version", "z", "rdlen", "rdata"}
)

// Encode writes records.
func (dnsRecordCodec) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeRecord)
}

func encodeRecord(dst []byte, it *Item) ([]byte, error) {
	typ, err := codeField(it, "type", dnsTypes, dnsTypeA)
	if err != nil {
		return nil, err
	}
	fields, class := dnsRecordFields, uint64(1)
	if typ == dnsTypeOPT {
		fields, class = dnsOPTFields, 4096
		if _, ok := it.Field("ttl"); ok {
			return nil, errOPTTTL
		}
	}
	if err := checkRecordFields(it, "a record", fields...); err != nil {
		return nil, err
	}
	rrname, err := stringField(it, "rrname", "")
	if err != nil {
		return nil, err
	}
	if class, err = codeField(it, "rclass", dnsClasses, class); err != nil {
		return nil, err
	}
	ttl, err := recordTTL(it, typ)
	if err != nil {
		return nil, err
	}
	dst = appendDNSName(dst, rrname)
	dst = append(dst, byte(typ>>8), byte(typ), byte(class>>8), byte(class),
		byte(ttl>>24), byte(ttl>>16), byte(ttl>>8), byte(ttl), 0, 0)
	at := len(dst)
	v, _ := it.Field("rdata")
	if dst, err = appendRdata(dst, uint16(typ), v); err != nil {
		return nil, fmt.Errorf("rdata: %w", err)
	}
	rdlen, err := numField(it, "rdlen", 16, uint64(len(dst)-at))
	if err != nil {
		return nil, err
	}
	dst[at-2], dst[at-1] = byte(rdlen>>8), byte(rdlen)
	return dst, nil
}

// recordTTL is the 32 bits after the class: ttl, or an OPT record's
// extrcode, version and z (32768, DNSSEC OK, unless given, as Scapy).
func recordTTL(it *Item, typ uint64) (uint64, error) {
	if typ != dnsTypeOPT {
		return numField(it, "ttl", 32, 0)
	}
	ext, err := numField(it, "extrcode", 8, 0)
	if err != nil {
		return 0, err
	}
	version, err := numField(it, "version", 8, 0)
	if err != nil {
		return 0, err
	}
	z, err := numField(it, "z", 16, 32768)
	return ext<<24 | version<<16 | z, err
}

// appendRdata writes rdata v of type typ: in its type's form, or bytes.
func appendRdata(dst []byte, typ uint16, v any) ([]byte, error) {
	switch typ {
	case dnsTypeA:
		return appendRdataAddr(dst, v, IPv4Addr, "0.0.0.0")
	case dnsTypeAAAA:
		return appendRdataAddr(dst, v, IPv6Addr, "::")
	case dnsTypeNS, dnsTypeMD, dnsTypeMF, dnsTypeCNAME, dnsTypePTR:
		s, ok := v.(string)
		if v != nil && !ok {
			return nil, fmt.Errorf("want a name, got %s", valueText(v))
		}
		return appendDNSName(dst, s), nil
	case dnsTypeTXT:
		return appendTXT(dst, v)
	}
	switch v := v.(type) {
	case string:
		return append(dst, v...), nil
	case nil: // as Scapy's DNSRR(type="MX"): {} gives DNSRRMX's defaults
		return dst, nil
	case Item:
		return appendRdataTable(dst, typ, &v)
	}
	return nil, fmt.Errorf("want bytes or a table, got %s", valueText(v))
}

func appendRdataAddr(dst []byte, v any, k Kind, def string) ([]byte, error) {
	s, ok := v.(string)
	if v == nil {
		s, ok = def, true
	}
	a, valid := parseIP(k, s)
	if !ok || !valid {
		return nil, fmt.Errorf("want %s, got %s", (&Field{Kind: k}).Want(), valueText(v))
	}
	return append(dst, a.AsSlice()...), nil
}

// appendTXT writes strings as Scapy's DNSTextField: a string is a list
// of one; one of 255 bytes or more is cut in strings of 255; an empty
// one is left out.
func appendTXT(dst []byte, v any) ([]byte, error) {
	var texts []any
	switch v := v.(type) {
	case nil:
	case string:
		texts = []any{v}
	case Item:
		if len(v.Fields) > 0 {
			return nil, fmt.Errorf("want a list of strings, got a field '%s'", v.Fields[0].Name)
		}
		texts = v.Values
	default:
		return nil, fmt.Errorf("want a string or a list of strings, got %s", valueText(v))
	}
	for n, t := range texts {
		s, ok := t.(string)
		if !ok {
			return nil, fmt.Errorf("string %d: want a string, got %s", n+1, valueText(t))
		}
		for ; len(s) >= 255; s = s[255:] {
			dst = append(append(dst, 255), s[:255]...)
		}
		if len(s) > 0 {
			dst = append(append(dst, byte(len(s))), s...)
		}
	}
	return dst, nil
}

// rdataFields are the fields of the rdata tables, Scapy's names, as
// names (n) or numbers of so many bytes.
var rdataFields = map[uint16][]struct {
	name  string
	bytes int // 0: a name
}{
	dnsTypeMX:  {{"preference", 2}, {"exchange", 0}},
	dnsTypeSRV: {{"priority", 2}, {"weight", 2}, {"port", 2}, {"target", 0}},
	dnsTypeSOA: {{"mname", 0}, {"rname", 0}, {"serial", 4}, {"refresh", 4}, {"retry", 4}, {"expire", 4}, {"minimum", 4}},
}

// appendRdataTable writes the rdata of an MX, SRV, SOA or OPT record
// given as a table.
func appendRdataTable(dst []byte, typ uint16, it *Item) ([]byte, error) {
	if typ == dnsTypeOPT {
		opts := make([]Item, len(it.Values))
		for n, v := range it.Values {
			switch v := v.(type) {
			case Item:
				opts[n] = v
			case string:
				opts[n] = Item{Values: []any{v}}
			default:
				return nil, fmt.Errorf("option %d: want {optcode =, optdata =} or bytes, got %s", n+1, valueText(v))
			}
		}
		return encodeItems(dst, opts, appendEDNS0)
	}
	fields, ok := rdataFields[typ]
	if !ok {
		return nil, fmt.Errorf("the rdata of type %d is bytes, got a table", typ)
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	if err := checkRecordFields(it, "this rdata", names...); err != nil {
		return nil, err
	}
	for _, f := range fields {
		if f.bytes == 0 {
			s, err := stringField(it, f.name, "")
			if err != nil {
				return nil, err
			}
			dst = appendDNSName(dst, s)
			continue
		}
		n, err := numField(it, f.name, 8*f.bytes, 0)
		if err != nil {
			return nil, err
		}
		dst = appendBE(dst, n, f.bytes)
	}
	return dst, nil
}

// appendEDNS0 writes an EDNS0 option {optcode =, optlen =, optdata =},
// optlen computed unless given, or bytes.
func appendEDNS0(dst []byte, it *Item) ([]byte, error) {
	if len(it.Fields) == 0 && len(it.Values) == 1 {
		if s, ok := it.Values[0].(string); ok {
			return append(dst, s...), nil
		}
	}
	if err := checkRecordFields(it, "an EDNS0 option", "optcode", "optlen", "optdata"); err != nil {
		return nil, err
	}
	code, err := numField(it, "optcode", 16, 0)
	if err != nil {
		return nil, err
	}
	data, err := stringField(it, "optdata", "")
	if err != nil {
		return nil, err
	}
	n, err := numField(it, "optlen", 16, uint64(len(data)))
	if err != nil {
		return nil, err
	}
	return append(appendBE(appendBE(dst, code, 2), n, 2), data...), nil
}

func appendBE(dst []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(v>>(8*i)))
	}
	return dst
}
