package frame

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// IPv4 options as Scapy 2.5's IPOption classes read and write them: a list
// of {name, field = value, ...}, the name being the class's without
// "IPOption_" ({"RR", pointer = 4, routers = {"198.18.0.1"}}), {number,
// bytes} for an option Scapy has no class for (the number is the whole
// type byte), and {"Raw", bytes} where Scapy gave up on the rest.

// An ipOptField is a field of an IPv4 option after its type byte.
type ipOptField struct {
	name string
	kind ipOptKind
	def  any // the default; nil for a length computed when built
	adj  int // addrs: the bytes of the option besides its addresses
}

type ipOptKind uint8

const (
	optByte   ipOptKind = iota // 8 bits
	optShort                   // 16 bits
	optInt                     // 32 bits
	optNibble                  // 4 bits, two to a byte (oflw, flg)
	optAddr                    // an IPv4 address
	optAddrIf                  // an IPv4 address, present when flg is not 0
	optStr3                    // 3 bytes, padded with zeros or cut
	optAddrs                   // IPv4 addresses, length - adj bytes of them
	optValue                   // bytes, length - 2 of them (the generic option)
	optLength                  // the length byte
)

// An ipOption is one of Scapy's IPOption classes.
type ipOption struct {
	name          string
	number        byte // the low 5 bits of the type byte
	copied, class byte // the class's copy_flag and optclass
	fields        []ipOptField
}

func ipLength(def any) ipOptField { return ipOptField{"length", optLength, def, 0} }

// routeFields are the fields of RR, LSRR and SSRR.
var routeFields = []ipOptField{ipLength(nil), {"pointer", optByte, uint64(4), 0}, {"routers", optAddrs, nil, 3}}

// ipOptionClasses are Scapy 2.5's IPOption classes.
var ipOptionClasses = []ipOption{
	{"EOL", 0, 0, 0, nil},
	{"NOP", 1, 0, 0, nil},
	{"Security", 2, 1, 0, []ipOptField{ipLength(uint64(11)), {"security", optShort, uint64(0), 0},
		{"compartment", optShort, uint64(0), 0}, {"handling_restrictions", optShort, uint64(0), 0},
		{"transmission_control_code", optStr3, "xxx", 0}}},
	{"LSRR", 3, 1, 0, routeFields},
	{"Timestamp", 4, 0, 2, []ipOptField{ipLength(nil), {"pointer", optByte, uint64(9), 0},
		{"oflw", optNibble, uint64(0), 0}, {"flg", optNibble, uint64(1), 0},
		{"internet_address", optAddrIf, "0.0.0.0", 0}, {"timestamp", optInt, uint64(0), 0}}},
	{"RR", 7, 0, 0, routeFields},
	{"Stream_Id", 8, 1, 0, []ipOptField{ipLength(uint64(4)), {"security", optShort, uint64(0), 0}}},
	{"SSRR", 9, 1, 0, routeFields},
	{"MTU_Probe", 11, 0, 0, []ipOptField{ipLength(uint64(4)), {"mtu", optShort, uint64(0), 0}}},
	{"MTU_Reply", 12, 0, 0, []ipOptField{ipLength(uint64(4)), {"mtu", optShort, uint64(0), 0}}},
	{"Traceroute", 18, 0, 0, []ipOptField{ipLength(uint64(12)), {"id", optShort, uint64(0), 0},
		{"outbound_hops", optShort, uint64(0), 0}, {"return_hops", optShort, uint64(0), 0},
		{"originator_ip", optAddr, "0.0.0.0", 0}}},
	{"Address_Extension", 19, 1, 0, []ipOptField{ipLength(uint64(10)),
		{"src_ext", optAddr, "0.0.0.0", 0}, {"dst_ext", optAddr, "0.0.0.0", 0}}},
	{"Router_Alert", 20, 1, 0, []ipOptField{ipLength(uint64(4)), {"alert", optShort, uint64(0), 0}}},
	{"SDBM", 21, 1, 0, []ipOptField{ipLength(nil), {"addresses", optAddrs, nil, 2}}},
}

// genericIPOption is Scapy's IPOption: a length and bytes.
var genericIPOption = ipOption{name: "", fields: []ipOptField{ipLength(nil), {"value", optValue, "", 2}}}

// ipOptionList is the codec of IPv4's options field.
var ipOptionList ListCodec = ipOptionCodec{}

type ipOptionCodec struct{}

// Form shows the items' form.
func (ipOptionCodec) Form() string {
	return `a list like {{"RR", routers = {"198.18.0.1"}}, {"Timestamp", flg = 0, timestamp = 1}, {"Router_Alert"}, {"NOP"}, {"EOL"}} (the names and fields of Scapy's IPOption_<name>: ` +
		strings.Join(ipOptionNames(), ", ") + `; {type, bytes} for others)`
}

func ipOptionByNumber(n byte) *ipOption {
	for i := range ipOptionClasses {
		if ipOptionClasses[i].number == n {
			return &ipOptionClasses[i]
		}
	}
	return nil
}

// Decode reads options as Scapy's PacketListField of IPOption: each
// option by its class, what follows it the next option (so the padding
// reads as EOLs), and the rest as {"Raw", bytes} where a field is cut
// short.
func (ipOptionCodec) Decode(data []byte) []Item {
	var items []Item
	for len(data) > 0 {
		it, rest, ok := decodeIPOption(data)
		if !ok {
			return append(items, Item{Values: []any{"Raw", string(data)}})
		}
		items = append(items, it)
		data = rest
	}
	return items
}

// decodeIPOption reads one option as Scapy dissects it: fields in order
// until the bytes run out, lengths as Python slices them (a negative one
// counts from the end). It fails where Scapy raises: a number or an
// address cut short.
func decodeIPOption(d []byte) (Item, []byte, bool) {
	opt, it := ipOptionHead(d[0])
	r := ipOptReader{s: d[1:], flg: 1}
	for i := range opt.fields {
		f := &opt.fields[i]
		if len(r.s) == 0 {
			break
		}
		v, ok := r.read(f)
		switch {
		case !ok:
			return Item{}, nil, false
		case v == nil: // Timestamp's address when flg is 0
		case f.kind == optValue:
			it.Values = append(it.Values, v)
		default:
			it.set(f.name, v)
		}
	}
	for _, f := range opt.fields {
		if _, ok := it.Field(f.name); f.kind == optAddrs && !ok {
			it.set(f.name, Item{}) // a list field is there even when not read, as in Scapy
		}
	}
	return it, r.s, true
}

// ipOptionHead is the class of an option's type byte t and its item so
// far: the class's name, with copy_flag and optclass where t differs from
// the class's; or, for a type Scapy has no class for, the type itself.
func ipOptionHead(t byte) (*ipOption, Item) {
	opt := ipOptionByNumber(t & 0x1f)
	if opt == nil {
		return &genericIPOption, Item{Values: []any{uint64(t)}}
	}
	it := Item{Values: []any{opt.name}}
	if t>>7 != opt.copied {
		it.set("copy_flag", uint64(t>>7))
	}
	if t>>5&3 != opt.class {
		it.set("optclass", uint64(t>>5&3))
	}
	return opt, it
}

// An ipOptReader is one option's dissection: the bytes left, and the
// fields that later ones depend on.
type ipOptReader struct {
	s      []byte
	length int    // the length field: the list or value after it has length - adj bytes
	flg    uint64 // Timestamp's flg: no address when 0
}

// read reads field f from the bytes left, which are not empty. It fails
// where Scapy raises: a number or an address cut short. The value is nil
// for a field that is not there.
func (r *ipOptReader) read(f *ipOptField) (any, bool) {
	switch f.kind {
	case optByte, optLength:
		if f.kind == optLength {
			r.length = int(r.s[0])
		}
		return uint64(r.take(1)[0]), true
	case optNibble:
		if f.name == "oflw" { // oflw and flg share a byte; flg takes it
			return uint64(r.s[0] >> 4), true
		}
		r.flg = uint64(r.take(1)[0] & 0xf)
		return r.flg, true
	case optShort, optInt:
		w := 2
		if f.kind == optInt {
			w = 4
		}
		if len(r.s) < w {
			return nil, false
		}
		return beUint(r.take(w)), true
	case optAddr, optAddrIf:
		if f.kind == optAddrIf && r.flg == 0 {
			return nil, true
		}
		if len(r.s) < 4 {
			return nil, false
		}
		return netip.AddrFrom4([4]byte(r.take(4))).String(), true
	case optStr3:
		return string(r.take(min(3, len(r.s)))), true
	case optAddrs:
		return r.addrs(f.adj)
	}
	var part []byte // optValue
	part, r.s = pySlice(r.s, r.length-f.adj)
	return string(part), true
}

// addrs reads the addresses of a list that is length - adj bytes long.
func (r *ipOptReader) addrs(adj int) (any, bool) {
	part, rest := pySlice(r.s, r.length-adj)
	if len(part)%4 != 0 {
		return nil, false
	}
	var addrs []any
	for ; len(part) > 0; part = part[4:] {
		addrs = append(addrs, netip.AddrFrom4([4]byte(part[:4])).String())
	}
	r.s = rest
	return Item{Values: addrs}, true
}

// take returns the next n bytes, which are there.
func (r *ipOptReader) take(n int) []byte {
	b := r.s[:n]
	r.s = r.s[n:]
	return b
}

// pySlice is s[:n], s[n:] as Python slices them.
func pySlice(s []byte, n int) ([]byte, []byte) {
	if n < 0 {
		n = max(len(s)+n, 0)
	}
	n = min(n, len(s))
	return s[:n], s[n:]
}

// Encode writes options as Scapy builds IPOption packets: fields not
// given take the class's default, lengths not given are computed.
func (ipOptionCodec) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeIPOption)
}

func encodeIPOption(dst []byte, it *Item) ([]byte, error) {
	switch name := it.Value(0).(type) {
	case string:
		if name == "Raw" {
			return encodeRawIPOption(dst, it)
		}
		opt, err := ipOptionNamed(name)
		if err != nil {
			return nil, err
		}
		if len(it.Values) > 1 {
			return nil, fmt.Errorf(`%s takes named fields: {"%s", %s = ...}`, name, name, opt.fieldNames()[0])
		}
		return opt.encode(dst, it)
	case nil:
		return nil, errors.New(`an IPv4 option is {name, field = value, ...}: {"RR", routers = {"198.18.0.1"}}`)
	}
	t, err := itemUint(it.Value(0), 8)
	if err != nil {
		return nil, fmt.Errorf("an IPv4 option is {name, ...} or {type, bytes}: type: %w", err)
	}
	if len(it.Values) > 2 {
		return nil, fmt.Errorf("option %d: {type, bytes [, length = n]} expected", t)
	}
	g := &genericIPOption
	for _, f := range it.Fields {
		if f.Name != "length" {
			return nil, fmt.Errorf("option %d has no field '%s' (have: length)", t, f.Name)
		}
	}
	value := NamedValue{"value", it.Value(1)}
	if value.Value == nil {
		value.Value = ""
	}
	fields := append([]NamedValue{value}, it.Fields...)
	return g.encodeFields(append(dst, byte(t)), fields)
}

func encodeRawIPOption(dst []byte, it *Item) ([]byte, error) {
	s, ok := it.Value(1).(string)
	if !ok || len(it.Values) != 2 || len(it.Fields) > 0 {
		return nil, errors.New(`a Raw option is {"Raw", bytes}`)
	}
	return append(dst, s...), nil
}

// ipOptionNames are the names of Scapy's IPOption classes.
func ipOptionNames() []string {
	names := make([]string, len(ipOptionClasses))
	for i := range ipOptionClasses {
		names[i] = ipOptionClasses[i].name
	}
	return names
}

func ipOptionNamed(name string) (*ipOption, error) {
	for i := range ipOptionClasses {
		if ipOptionClasses[i].name == name {
			return &ipOptionClasses[i], nil
		}
	}
	names := append(ipOptionNames(), "Raw")
	return nil, fmt.Errorf("unknown IPv4 option '%s' (%shave: %s)", name, didYouMean(name, names), strings.Join(names, ", "))
}

// fieldNames are the names an item of the option may give.
func (o *ipOption) fieldNames() []string {
	var names []string
	for _, f := range o.fields {
		names = append(names, f.name)
	}
	return append(names, "copy_flag", "optclass")
}

// encode writes the type byte and the fields of a named option.
func (o *ipOption) encode(dst []byte, it *Item) ([]byte, error) {
	names := o.fieldNames()
	for _, f := range it.Fields {
		if !contains(names, f.Name) {
			return nil, fmt.Errorf("%s has no field '%s' (%shave: %s)", o.name, f.Name, didYouMean(f.Name, names), strings.Join(names, ", "))
		}
	}
	copied, err := o.header(it, "copy_flag", o.copied, 1)
	if err != nil {
		return nil, err
	}
	class, err := o.header(it, "optclass", o.class, 2)
	if err != nil {
		return nil, err
	}
	return o.encodeFields(append(dst, copied<<7|class<<5|o.number), it.Fields)
}

// header is a bit field of the type byte: as given, or the class's.
func (o *ipOption) header(it *Item, name string, def byte, bits int) (byte, error) {
	v, ok := it.Field(name)
	if !ok {
		return def, nil
	}
	u, err := itemUint(v, bits)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return byte(u), nil
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// encodeFields appends the fields after the type byte, which dst ends
// with, and fills a length left to compute.
func (o *ipOption) encodeFields(dst []byte, given []NamedValue) ([]byte, error) {
	start := len(dst) - 1
	w := ipOptWriter{dst: dst, flg: 1}
	lenAt, lenGiven := -1, false
	for i := range o.fields {
		f := &o.fields[i]
		v, ok := lookup(given, f.name)
		if !ok {
			v = f.def
		}
		if f.kind == optLength {
			lenAt, lenGiven = len(w.dst), ok
		}
		if err := w.write(f, v); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if lenAt >= 0 && !lenGiven {
		// Every length Scapy computes covers the whole option: the list
		// or value that ends it, and the bytes before.
		n := len(w.dst) - start
		if n > 255 {
			return nil, fmt.Errorf("%s: %d bytes, the most is 255", o.name, n)
		}
		w.dst[lenAt] = byte(n)
	}
	return w.dst, nil
}

// An ipOptWriter is one option being built: its bytes, and the fields
// that later ones depend on.
type ipOptWriter struct {
	dst    []byte
	flg    uint64 // Timestamp's flg: no address when 0
	nibble byte   // Timestamp's oflw, waiting for flg to share its byte
}

// write appends field f with value v (a length to compute is nil).
func (w *ipOptWriter) write(f *ipOptField, v any) error {
	var err error
	switch f.kind {
	case optLength, optByte:
		if v == nil {
			v = uint64(0) // filled in when the option is built
		}
		w.dst, err = appendUint(w.dst, v, 1)
	case optShort:
		w.dst, err = appendUint(w.dst, v, 2)
	case optInt:
		w.dst, err = appendUint(w.dst, v, 4)
	case optNibble:
		var u uint64
		if u, err = itemUint(v, 4); f.name == "oflw" {
			w.nibble = byte(u) << 4
			return err
		}
		w.flg = u
		w.dst = append(w.dst, w.nibble|byte(u))
	case optAddrIf:
		if w.flg != 0 { // Scapy leaves it out when flg is 0
			w.dst, err = appendAddr(w.dst, v)
		}
	case optAddr:
		w.dst, err = appendAddr(w.dst, v)
	case optStr3: // struct.pack("3s") pads with zeros or cuts
		var s string
		s, err = itemBytes(v)
		w.dst = append(w.dst, (s + "\x00\x00\x00")[:3]...)
	case optAddrs:
		w.dst, err = appendAddrs(w.dst, v)
	case optValue:
		var s string
		s, err = itemBytes(v)
		w.dst = append(w.dst, s...)
	}
	return err
}

// itemBytes reads a byte string from an item's value.
func itemBytes(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want bytes, got %s", valueText(v))
	}
	return s, nil
}

func lookup(fields []NamedValue, name string) (any, bool) {
	it := Item{Fields: fields}
	return it.Field(name)
}

func appendUint(dst []byte, v any, w int) ([]byte, error) {
	u, err := itemUint(v, 8*w)
	for k := w - 1; k >= 0; k-- {
		dst = append(dst, byte(u>>(8*k)))
	}
	return dst, err
}

func appendAddr(dst []byte, v any) ([]byte, error) {
	s, _ := v.(string)
	a, ok := parseIPv4(s)
	if !ok {
		return dst, fmt.Errorf(`want an IPv4 address like "198.18.0.1", got %s`, valueText(v))
	}
	b := a.As4()
	return append(dst, b[:]...), nil
}

func appendAddrs(dst []byte, v any) ([]byte, error) {
	it, ok := v.(Item)
	if v == nil {
		return dst, nil
	}
	if !ok || len(it.Fields) > 0 {
		return dst, fmt.Errorf(`want a list of IPv4 addresses like {"198.18.0.1"}, got %s`, valueText(v))
	}
	for _, a := range it.Values {
		var err error
		if dst, err = appendAddr(dst, a); err != nil {
			return dst, err
		}
	}
	return dst, nil
}
