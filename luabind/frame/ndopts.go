package frame

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Neighbour discovery options as Scapy 2.5's ICMPv6NDOpt* classes read
// and write them: a list of {name, field = value, ...}, the name being the
// class's without "ICMPv6NDOpt" ({"SrcLLAddr", lladdr = "02:00:00:00:00:01"},
// {"PrefixInfo", prefix = "2001:2::", prefixlen = 64}), as IPv4's options
// are. Scapy chains the options as payloads, each read by its class's
// fields whatever its length byte says, and gives up with Raw on a type it
// has no class for; here such a type is {type, bytes} by its length when
// the length fits, and {"Raw", bytes} is what neither can read.
//
// Not as Scapy, and why: the types of Scapy's rarer classes (6-10, 17-19,
// 23, 24, 26) are {type, bytes} here, where Scapy reads their fields; a
// DNSSL name is the bytes of its labels, where Scapy decodes them as
// UTF-8 first and counts label lengths in characters (the same for ASCII
// names, garbled for others).

// An ndOptKind is how an option's field is on the wire.
type ndOptKind uint8

const (
	ndLength ndOptKind = iota // the length byte, in units of 8 bytes
	ndUint                    // a number of bits bits (several share a byte)
	ndMAC                     // a MAC address
	ndIPv6                    // an IPv6 address
	ndRes6                    // 6 bytes, padded with zeros or cut
	ndAddrs                   // IPv6 addresses to the end of the option
	ndNames                   // domain names to the end of the option, padded to 8 bytes
	ndPacket                  // bytes to the end of the option, cut to whole units
)

// An ndOptField is a field of an ND option after its type byte.
type ndOptField struct {
	name string
	kind ndOptKind
	bits int
	def  any // nil: a length computed when built
}

// An ndOption is one of Scapy's ICMPv6NDOpt classes.
type ndOption struct {
	name   string
	typ    byte
	fixed  int // the bytes its fields take, 0 when a list ends it
	fields []ndOptField
}

func ndUint8(name string, def uint64) ndOptField  { return ndOptField{name, ndUint, 8, def} }
func ndUint16(name string, def uint64) ndOptField { return ndOptField{name, ndUint, 16, def} }
func ndUint32(name string, def uint64) ndOptField { return ndOptField{name, ndUint, 32, def} }
func ndLen(def any) ndOptField                    { return ndOptField{"len", ndLength, 8, def} }

var llAddrFields = []ndOptField{ndLen(uint64(1)), {"lladdr", ndMAC, 0, "00:00:00:00:00:00"}}

// ndOptionClasses are the Scapy 2.5 classes netlua reads by their fields.
var ndOptionClasses = []ndOption{
	{"SrcLLAddr", 1, 8, llAddrFields},
	{"DstLLAddr", 2, 8, llAddrFields},
	{"PrefixInfo", 3, 32, []ndOptField{ndLen(uint64(4)), ndUint8("prefixlen", 64),
		{"L", ndUint, 1, uint64(1)}, {"A", ndUint, 1, uint64(1)}, {"R", ndUint, 1, uint64(0)},
		{"res1", ndUint, 5, uint64(0)}, ndUint32("validlifetime", 0xffffffff),
		ndUint32("preferredlifetime", 0xffffffff), ndUint32("res2", 0), {"prefix", ndIPv6, 0, "::"}}},
	{"RedirectedHdr", 4, 0, []ndOptField{ndLen(nil), {"res", ndRes6, 0, ""}, {"pkt", ndPacket, 0, ""}}},
	{"MTU", 5, 8, []ndOptField{ndLen(uint64(1)), ndUint16("res", 0), ndUint32("mtu", 1280)}},
	{"RDNSS", 25, 0, []ndOptField{ndLen(nil), ndUint16("res", 0), ndUint32("lifetime", 0xffffffff),
		{"dns", ndAddrs, 0, nil}}},
	{"DNSSL", 31, 0, []ndOptField{ndLen(nil), ndUint16("res", 0), ndUint32("lifetime", 0xffffffff),
		{"searchlist", ndNames, 0, nil}}},
}

// ndOptionList is the codec of the ND layers' options field.
var ndOptionList ListCodec = ndOptionCodec{}

type ndOptionCodec struct{}

// Form shows the items' form.
func (ndOptionCodec) Form() string {
	return `a list like {{"SrcLLAddr", lladdr = "02:00:00:00:00:01"}, {"PrefixInfo", prefix = "2001:2::", prefixlen = 64}, {"MTU", mtu = 1500}, ` +
		`{"RDNSS", dns = {"2001:2::53"}}, {"DNSSL", searchlist = {"lab.example."}}} (the names and fields of Scapy's ICMPv6NDOpt<name>: ` +
		strings.Join(ndOptionNames(), ", ") + `; len computed unless given; {type, bytes} for others, padded to 8 bytes)`
}

func ndOptionByType(t byte) *ndOption {
	for i := range ndOptionClasses {
		if ndOptionClasses[i].typ == t {
			return &ndOptionClasses[i]
		}
	}
	return nil
}

// Decode reads options as Scapy's chain of ICMPv6NDOpt payloads: each
// class reads its fields (a list to where its length says, as Python
// slices it), the next option follows; a type without a class is {type,
// bytes, len = n} when its length fits; the rest is {"Raw", bytes} where
// Scapy's fields would run out, or one byte is left.
func (ndOptionCodec) Decode(data []byte) []Item {
	var items []Item
	for len(data) > 0 {
		it, rest, ok := decodeNDOption(data)
		if !ok {
			return append(items, Item{Values: []any{"Raw", string(data)}})
		}
		items = append(items, it)
		data = rest
	}
	return items
}

func decodeNDOption(d []byte) (Item, []byte, bool) {
	if len(d) < 2 {
		return Item{}, nil, false
	}
	opt := ndOptionByType(d[0])
	if opt == nil {
		n := 8 * int(d[1])
		if n == 0 || n > len(d) {
			return Item{}, nil, false
		}
		it := Item{Values: []any{uint64(d[0]), string(d[2:n])}}
		it.set("len", uint64(d[1]))
		return it, d[n:], true
	}
	if len(d) < max(opt.fixed, 8) {
		return Item{}, nil, false
	}
	it := Item{Values: []any{opt.name}}
	r := bitReader{s: d[1:]}
	for _, f := range opt.fields {
		if f.kind < ndAddrs {
			it.set(f.name, r.read(&f))
			continue
		}
		// the list that ends the option: 8 * len - 8 bytes, Python's slice
		body, rest := pySlice(d[8:], 8*int(d[1])-8)
		v, ok := decodeNDList(f.kind, body)
		if !ok {
			return Item{}, nil, false
		}
		it.set(f.name, v)
		return it, rest, true
	}
	return it, d[opt.fixed:], true
}

// decodeNDList reads the list that ends an option; addresses fail, as
// Scapy's do, when the bytes are not whole addresses.
func decodeNDList(k ndOptKind, b []byte) (any, bool) {
	switch k {
	case ndAddrs:
		if len(b)%16 != 0 {
			return nil, false
		}
		var it Item
		for ; len(b) > 0; b = b[16:] {
			it.Values = append(it.Values, netip.AddrFrom16([16]byte(b[:16])).String())
		}
		return it, true
	case ndNames:
		return Item{Values: decodeDomainList(b)}, true
	}
	return string(b), true
}

// decodeDomainList reads names as Scapy's padded DomainNameListField:
// labels to a zero byte, joined with dots and ended with one; the zeros of
// the padding make no names.
func decodeDomainList(x []byte) []any {
	var names []any
	for len(x) > 0 {
		var labels []string
		for len(x) > 0 && x[0] != 0 {
			n := int(x[0])
			labels = append(labels, string(x[1:min(n+1, len(x))]))
			x = x[min(n+1, len(x)):]
		}
		if len(labels) > 0 {
			names = append(names, strings.Join(labels, ".")+".")
		}
		if len(x) > 0 && x[0] == 0 {
			x = x[1:]
		}
	}
	return names
}

// A bitReader reads the fixed fields of an option, which are there.
type bitReader struct {
	s   []byte
	bit int // bits of s[0] read
}

func (r *bitReader) read(f *ndOptField) any {
	switch f.kind {
	case ndMAC:
		return macText(beUint(r.take(6)))
	case ndIPv6:
		return netip.AddrFrom16([16]byte(r.take(16))).String()
	case ndRes6:
		return string(r.take(6))
	}
	if f.bits >= 8 {
		return beUint(r.take(f.bits / 8))
	}
	v := uint64(r.s[0]) >> (8 - r.bit - f.bits) & (1<<f.bits - 1)
	if r.bit += f.bits; r.bit == 8 {
		r.s, r.bit = r.s[1:], 0
	}
	return v
}

func (r *bitReader) take(n int) []byte {
	b := r.s[:n]
	r.s = r.s[n:]
	return b
}

// Encode writes options as Scapy builds ICMPv6NDOpt packets: fields not
// given take the class's default, a length not given is computed.
func (ndOptionCodec) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeNDOption)
}

func encodeNDOption(dst []byte, it *Item) ([]byte, error) {
	switch name := it.Value(0).(type) {
	case string:
		if name == "Raw" {
			return encodeRawIPOption(dst, it)
		}
		opt, err := ndOptionNamed(name)
		if err != nil {
			return nil, err
		}
		if len(it.Values) > 1 {
			return nil, fmt.Errorf(`%s takes named fields: {"%s", %s = ...}`, name, name, opt.fields[len(opt.fields)-1].name)
		}
		return opt.encode(dst, it)
	case nil:
		return nil, errors.New(`an ND option is {name, field = value, ...}: {"SrcLLAddr", lladdr = "02:00:00:00:00:01"}`)
	}
	return encodeNDGeneric(dst, it)
}

// encodeNDGeneric writes {type, bytes [, len = n]}: the bytes padded with
// zeros to whole units of 8, as RFC 4861 has them (Scapy's
// ICMPv6NDOptUnknown counts its length in bytes instead).
func encodeNDGeneric(dst []byte, it *Item) ([]byte, error) {
	t, err := itemUint(it.Value(0), 8)
	if err != nil {
		return nil, fmt.Errorf("an ND option is {name, ...} or {type, bytes}: type: %w", err)
	}
	if len(it.Values) > 2 {
		return nil, fmt.Errorf("option %d: {type, bytes [, len = n]} expected", t)
	}
	for _, f := range it.Fields {
		if f.Name != "len" {
			return nil, fmt.Errorf("option %d has no field '%s' (have: len)", t, f.Name)
		}
	}
	var value string
	if v := it.Value(1); v != nil {
		if value, err = itemBytes(v); err != nil {
			return nil, fmt.Errorf("option %d: %w", t, err)
		}
	}
	start := len(dst)
	dst = append(append(dst, byte(t), 0), value...)
	dst = append(dst, make([]byte, -(len(dst)-start)&7)...)
	return setNDLength(dst, start, it.Fields, fmt.Sprintf("option %d", t))
}

// setNDLength writes the length byte of the option at dst[start:]: as
// given, else its size in units of 8 bytes.
func setNDLength(dst []byte, start int, given []NamedValue, name string) ([]byte, error) {
	if v, ok := lookup(given, "len"); ok {
		u, err := itemUint(v, 8)
		if err != nil {
			return nil, fmt.Errorf("len: %w", err)
		}
		dst[start+1] = byte(u)
		return dst, nil
	}
	n := (len(dst) - start) / 8
	if n > 255 {
		return nil, fmt.Errorf("%s: %d units of 8 bytes, the most is 255", name, n)
	}
	dst[start+1] = byte(n)
	return dst, nil
}

// ndOptionNames are the names of the classes netlua reads.
func ndOptionNames() []string {
	names := make([]string, len(ndOptionClasses))
	for i := range ndOptionClasses {
		names[i] = ndOptionClasses[i].name
	}
	return names
}

func ndOptionNamed(name string) (*ndOption, error) {
	for i := range ndOptionClasses {
		if ndOptionClasses[i].name == name {
			return &ndOptionClasses[i], nil
		}
	}
	names := append(ndOptionNames(), "Raw")
	return nil, fmt.Errorf("unknown ND option '%s' (%shave: %s)", name, didYouMean(name, names), strings.Join(names, ", "))
}

// encode writes a named option: its type, its fields, its length.
func (o *ndOption) encode(dst []byte, it *Item) ([]byte, error) {
	var names []string
	for _, f := range o.fields {
		names = append(names, f.name)
	}
	for _, f := range it.Fields {
		if !contains(names, f.Name) {
			return nil, fmt.Errorf("%s has no field '%s' (%shave: %s)", o.name, f.Name, didYouMean(f.Name, names), strings.Join(names, ", "))
		}
	}
	start := len(dst)
	w := bitWriter{dst: append(dst, o.typ)}
	for i := range o.fields {
		f := &o.fields[i]
		v, ok := it.Field(f.name)
		if !ok {
			v = f.def
		}
		if err := w.write(f, v); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", o.name, f.name, err)
		}
	}
	if _, given := it.Field("len"); given || o.fields[0].def != nil {
		return w.dst, nil // written as given, or the class's fixed default
	}
	return setNDLength(w.dst, start, nil, o.name)
}

// A bitWriter appends an option's fields.
type bitWriter struct {
	dst  []byte
	acc  byte
	bits int
}

func (w *bitWriter) write(f *ndOptField, v any) error {
	var err error
	switch f.kind {
	case ndLength:
		if v == nil {
			v = uint64(0) // filled in once the option is written
		}
		w.dst, err = appendUint(w.dst, v, 1)
	case ndUint:
		if f.bits >= 8 {
			w.dst, err = appendUint(w.dst, v, f.bits/8)
			return err
		}
		var u uint64
		if u, err = itemUint(v, f.bits); err != nil {
			return err
		}
		w.acc |= byte(u) << (8 - w.bits - f.bits)
		if w.bits += f.bits; w.bits == 8 {
			w.dst, w.acc, w.bits = append(w.dst, w.acc), 0, 0
		}
	case ndMAC:
		s, _ := v.(string)
		m, ok := parseMAC(s)
		if !ok {
			return fmt.Errorf(`want a MAC address like "02:00:00:00:00:01", got %s`, valueText(v))
		}
		w.dst, _ = appendUint(w.dst, m, 6)
	case ndIPv6:
		w.dst, err = appendIPv6(w.dst, v)
	case ndRes6: // struct.pack("6s") pads with zeros or cuts
		var s string
		s, err = itemBytes(v)
		w.dst = append(w.dst, (s + "\x00\x00\x00\x00\x00\x00")[:6]...)
	case ndAddrs:
		w.dst, err = appendIPv6s(w.dst, v)
	case ndNames:
		w.dst, err = appendDomainList(w.dst, v)
	case ndPacket: // cut to whole units of 8, as TruncPktLenField does
		var s string
		s, err = itemBytes(v)
		w.dst = append(w.dst, s[:len(s)&^7]...)
	}
	return err
}

func appendIPv6(dst []byte, v any) ([]byte, error) {
	s, _ := v.(string)
	a, ok := parseIP(IPv6Addr, s)
	if !ok {
		return dst, fmt.Errorf(`want an IPv6 address like "2001:2::1", got %s`, valueText(v))
	}
	b := a.As16()
	return append(dst, b[:]...), nil
}

func appendIPv6s(dst []byte, v any) ([]byte, error) {
	it, ok := v.(Item)
	if v == nil {
		return dst, nil
	}
	if !ok || len(it.Fields) > 0 {
		return dst, fmt.Errorf(`want a list of IPv6 addresses like {"2001:2::53"}, got %s`, valueText(v))
	}
	for _, a := range it.Values {
		var err error
		if dst, err = appendIPv6(dst, a); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// appendDomainList writes names as Scapy's padded DomainNameListField:
// as appendDomainNames, then zeros to a multiple of 8 bytes.
func appendDomainList(dst []byte, v any) ([]byte, error) {
	start := len(dst)
	dst, err := appendDomainNames(dst, v)
	if err != nil {
		return dst, err
	}
	return append(dst, make([]byte, -(len(dst)-start)&7)...), nil
}

// appendDomainNames writes names as Scapy's DomainNameListField: each
// dot-separated label after its length, a zero byte after each name
// unless it already ends with one.
func appendDomainNames(dst []byte, v any) ([]byte, error) {
	it, ok := v.(Item)
	if v == nil {
		return dst, nil
	}
	if !ok || len(it.Fields) > 0 {
		return dst, fmt.Errorf(`want a list of names like {"lab.example."}, got %s`, valueText(v))
	}
	for _, n := range it.Values {
		name, ok := n.(string)
		if !ok {
			return dst, fmt.Errorf("want a name, got %s", valueText(n))
		}
		for label := range strings.SplitSeq(name, ".") {
			if len(label) > 255 {
				return dst, fmt.Errorf("a label of %d bytes, the most is 255", len(label))
			}
			dst = append(append(dst, byte(len(label))), label...)
		}
		if dst[len(dst)-1] != 0 {
			dst = append(dst, 0)
		}
	}
	return dst, nil
}
