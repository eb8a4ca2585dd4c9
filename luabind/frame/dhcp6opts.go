package frame

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// DHCPv6 options as Scapy 2.5's DHCP6Opt* classes read and write them, a
// list of {name, field = value, ...} with the class's field names:
// {"clientid", duid = bytes}, {"ia_na", iaid = 1, T1 = 0, T2 = 0,
// ianaopts = {{"ia_addr", addr = "2001:2::9"}}}, {"oro", reqopts = {23,
// 24}}, {"elapsed_time", elapsedtime = 0}, {"status_code", statuscode =
// 0, statusmsg = "ok"}, {"rapid_commit"}, {"dns_servers", dnsservers =
// {...}}, {"domain_list", dnsdomains = {"lab.example."}}; any other code
// is {code, bytes}. Every item may give optlen, which is computed when
// not given; parse always gives it. What Scapy cannot read (fewer than 4
// bytes, a named option cut short) is {"Raw", bytes}.
//
// As Scapy reads them: elapsed_time and rapid_commit take their fixed
// size whatever optlen says; the fixed fields of ia_na, ia_addr and
// status_code are read, then optlen less their size of list or message;
// inside ia_na and ia_addr an unknown code is Raw to the end of the list
// unless it follows a known option other than ia_addr.
//
// Not as Scapy, and why: a DUID is its bytes (Scapy reads DUID_LLT and
// the others' fields); relay_msg (9) is {9, bytes}, where Scapy reads the
// DHCP6 message inside; an option whose value Scapy's field would read
// into something it cannot write back (an odd reqopts, a dnsservers not
// a multiple of 16 bytes) is {code, bytes, optlen = n}, so that every
// parsed list builds back to its bytes, and so are an oro whose optlen is
// 0 (Scapy reads its default reqopts [23, 24]) and a domain_list cut
// short (Scapy reads names it writes longer); a named option cut after its
// 4 header bytes is Raw, where Scapy gives its fields their defaults; an
// ia_addr at the top level is followed by more options here, where Scapy
// takes the rest as padding.

// A dhcp6Kind is how a field of an option is on the wire.
type dhcp6Kind uint8

const (
	d6U16   dhcp6Kind = iota // a 16-bit number
	d6U32                    // a 32-bit number
	d6IPv6                   // an IPv6 address
	d6Bytes                  // bytes to the end of the option
	d6Codes                  // 16-bit option codes to the end of the option
	d6Addrs                  // IPv6 addresses to the end of the option
	d6Names                  // domain names to the end of the option
	d6Opts                   // options to the end of the option
)

type dhcp6Field struct {
	name string
	kind dhcp6Kind
	def  any
}

// A dhcp6Option is one of Scapy's DHCP6Opt classes netlua names.
type dhcp6Option struct {
	code  uint16
	name  string
	fixed int // bytes of its fixed fields
	// exact: the option is its fixed fields, whatever optlen says
	exact  bool
	fields []dhcp6Field
}

var dhcp6Options = []dhcp6Option{
	{1, "clientid", 0, false, []dhcp6Field{{"duid", d6Bytes, ""}}},
	{2, "serverid", 0, false, []dhcp6Field{{"duid", d6Bytes, ""}}},
	{3, "ia_na", 12, false, []dhcp6Field{{"iaid", d6U32, uint64(0)}, {"T1", d6U32, uint64(0)},
		{"T2", d6U32, uint64(0)}, {"ianaopts", d6Opts, nil}}},
	{5, "ia_addr", 24, false, []dhcp6Field{{"addr", d6IPv6, "::"}, {"preflft", d6U32, uint64(0)},
		{"validlft", d6U32, uint64(0)}, {"iaaddropts", d6Opts, nil}}},
	{6, "oro", 0, false, []dhcp6Field{{"reqopts", d6Codes, Item{Values: []any{uint64(23), uint64(24)}}}}},
	{8, "elapsed_time", 2, true, []dhcp6Field{{"elapsedtime", d6U16, uint64(0)}}},
	{13, "status_code", 2, false, []dhcp6Field{{"statuscode", d6U16, uint64(0)}, {"statusmsg", d6Bytes, ""}}},
	{14, "rapid_commit", 0, true, nil},
	{23, "dns_servers", 0, false, []dhcp6Field{{"dnsservers", d6Addrs, nil}}},
	{24, "domain_list", 0, false, []dhcp6Field{{"dnsdomains", d6Names, nil}}},
}

// dhcp6OptionList is the codec of dhcp6's options field.
var dhcp6OptionList ListCodec = dhcp6OptionCodec{}

type dhcp6OptionCodec struct{}

// Form shows the items' form.
func (dhcp6OptionCodec) Form() string {
	return `a list like {{"clientid", duid = "\0\3\0\1\2\0\0\0\0\1"}, {"ia_na", iaid = 1, ianaopts = {{"ia_addr", addr = "2001:2::9"}}}, ` +
		`{"oro", reqopts = {23, 24}}, {"elapsed_time", elapsedtime = 0}, {"rapid_commit"}} (names: ` +
		strings.Join(dhcp6OptionNames(), ", ") + `; optlen computed unless given; {code, bytes} for others)`
}

func dhcp6OptionNames() []string {
	names := make([]string, len(dhcp6Options))
	for i := range dhcp6Options {
		names[i] = dhcp6Options[i].name
	}
	return names
}

func dhcp6OptionByCode(code uint16) *dhcp6Option {
	for i := range dhcp6Options {
		if dhcp6Options[i].code == code {
			return &dhcp6Options[i]
		}
	}
	return nil
}

// Decode reads the options of a message as Scapy's chain of DHCP6Opt
// payloads.
func (dhcp6OptionCodec) Decode(data []byte) []Item { return decodeDHCP6Options(data, false) }

// decodeDHCP6Options reads a list of options; in a sub-list (ianaopts,
// iaaddropts) an unknown code where Scapy's list dispatches is Raw.
func decodeDHCP6Options(d []byte, sub bool) []Item {
	var items []Item
	rawUnknown := sub
	for len(d) > 0 {
		if len(d) < 4 {
			return append(items, Item{Values: []any{"Raw", string(d)}})
		}
		code, optlen := uint16(u16(d)), int(u16(d[2:]))
		opt := dhcp6OptionByCode(code)
		if opt == nil && rawUnknown {
			return append(items, Item{Values: []any{"Raw", string(d)}})
		}
		n := 4 + min(optlen, len(d)-4) // a generic option: the bytes there are
		var it Item
		if opt != nil {
			var ok bool
			if it, n, ok = opt.decode(d); !ok {
				return append(items, Item{Values: []any{"Raw", string(d)}})
			}
		}
		if opt == nil || !dhcp6RoundTrips(&it, d[:n]) {
			it = Item{Values: []any{uint64(code), string(d[4:n])}}
			it.set("optlen", uint64(optlen))
		}
		items = append(items, it)
		d = d[n:]
		rawUnknown = sub && opt != nil && opt.code == 5
	}
	return items
}

// dhcp6RoundTrips reports whether an option read from b is written back
// as b.
func dhcp6RoundTrips(it *Item, b []byte) bool {
	got, err := encodeDHCP6Option(nil, it)
	return err == nil && bytes.Equal(got, b)
}

// decode reads a named option at the start of d, and how many bytes it
// takes; ok is false where Scapy's fields run out.
func (o *dhcp6Option) decode(d []byte) (it Item, n int, ok bool) {
	optlen := int(u16(d[2:]))
	if len(d) < 4+o.fixed {
		return Item{}, 0, false
	}
	n = 4 + o.fixed
	var body []byte
	if !o.exact {
		// the rest is optlen less the fixed fields, as Python slices it
		body, _ = pySlice(d[n:], optlen-o.fixed)
		n += len(body)
	}
	it = Item{Values: []any{o.name}}
	at := d[4:]
	for _, f := range o.fields {
		switch f.kind {
		case d6U16:
			it.set(f.name, u16(at))
			at = at[2:]
		case d6U32:
			it.set(f.name, u32(at))
			at = at[4:]
		case d6IPv6:
			it.set(f.name, netip.AddrFrom16([16]byte(at[:16])).String())
			at = at[16:]
		default:
			v, ok := decodeDHCP6Rest(f.kind, body)
			if !ok {
				return Item{}, 0, false
			}
			it.set(f.name, v)
		}
	}
	it.set("optlen", uint64(optlen))
	return it, n, true
}

// decodeDHCP6Rest reads the field that ends an option.
func decodeDHCP6Rest(k dhcp6Kind, b []byte) (any, bool) {
	var list Item
	switch k {
	case d6Bytes:
		return string(b), true
	case d6Codes:
		for ; len(b) >= 2; b = b[2:] {
			list.Values = append(list.Values, u16(b))
		}
	case d6Addrs:
		for ; len(b) >= 16; b = b[16:] {
			list.Values = append(list.Values, netip.AddrFrom16([16]byte(b[:16])).String())
		}
	case d6Names:
		list.Values = decodeDHCP6Names(b)
	case d6Opts:
		for _, it := range decodeDHCP6Options(b, true) {
			list.Values = append(list.Values, it)
		}
	}
	return list, true
}

// decodeDHCP6Names reads names as Scapy's unpadded DomainNameListField:
// labels to a zero byte, each name ended with a dot.
func decodeDHCP6Names(x []byte) []any {
	var names []any
	for len(x) > 0 {
		var labels []string
		for len(x) > 0 && x[0] != 0 {
			n := int(x[0])
			labels = append(labels, string(x[1:min(n+1, len(x))]))
			x = x[min(n+1, len(x)):]
		}
		names = append(names, strings.Join(labels, ".")+".")
		if len(x) > 0 && x[0] == 0 {
			x = x[1:]
		}
	}
	return names
}

// Encode writes options as Scapy builds DHCP6Opt packets: fields not
// given take the class's default, optlen not given is computed.
func (dhcp6OptionCodec) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeDHCP6Option)
}

func encodeDHCP6Option(dst []byte, it *Item) ([]byte, error) {
	switch name := it.Value(0).(type) {
	case string:
		if name == "Raw" {
			return encodeRawIPOption(dst, it)
		}
		opt, err := dhcp6OptionNamed(name)
		if err != nil {
			return nil, err
		}
		if len(it.Values) > 1 {
			return nil, fmt.Errorf(`%s takes named fields: {"%s", optlen = ...}`, name, name)
		}
		return opt.encode(dst, it)
	case nil:
		return nil, errors.New(`a DHCPv6 option is {name, field = value, ...} or {code, bytes}: {"elapsed_time", elapsedtime = 0}`)
	}
	return encodeDHCP6Generic(dst, it)
}

// encodeDHCP6Generic writes {code, bytes [, optlen = n]}.
func encodeDHCP6Generic(dst []byte, it *Item) ([]byte, error) {
	code, err := itemUint(it.Value(0), 16)
	if err != nil {
		return nil, fmt.Errorf("a DHCPv6 option is {name, ...} or {code, bytes}: code: %w", err)
	}
	if len(it.Values) > 2 {
		return nil, fmt.Errorf("option %d: {code, bytes [, optlen = n]} expected", code)
	}
	for _, f := range it.Fields {
		if f.Name != "optlen" {
			return nil, fmt.Errorf("option %d has no field '%s' (have: optlen)", code, f.Name)
		}
	}
	var value string
	if v := it.Value(1); v != nil {
		if value, err = itemBytes(v); err != nil {
			return nil, fmt.Errorf("option %d: %w", code, err)
		}
	}
	start := len(dst)
	dst = append(append(dst, byte(code>>8), byte(code), 0, 0), value...)
	return setDHCP6Length(dst, start, it.Fields, fmt.Sprintf("option %d", code))
}

// setDHCP6Length writes the optlen of the option at dst[start:]: as
// given, else the bytes after it.
func setDHCP6Length(dst []byte, start int, given []NamedValue, name string) ([]byte, error) {
	n := uint64(len(dst) - start - 4)
	if v, ok := lookup(given, "optlen"); ok {
		u, err := itemUint(v, 16)
		if err != nil {
			return nil, fmt.Errorf("%s: optlen: %w", name, err)
		}
		n = u
	} else if n > 0xffff {
		return nil, fmt.Errorf("%s: %d bytes, the most is 65535", name, n)
	}
	dst[start+2], dst[start+3] = byte(n>>8), byte(n)
	return dst, nil
}

func dhcp6OptionNamed(name string) (*dhcp6Option, error) {
	for i := range dhcp6Options {
		if dhcp6Options[i].name == name {
			return &dhcp6Options[i], nil
		}
	}
	names := append(dhcp6OptionNames(), "Raw")
	return nil, fmt.Errorf("unknown DHCPv6 option '%s' (%shave: %s; or a code by number: {39, \"ab\"})",
		name, didYouMean(name, names), strings.Join(names, ", "))
}

// encode writes a named option: its code, its fields, its length.
func (o *dhcp6Option) encode(dst []byte, it *Item) ([]byte, error) {
	names := []string{"optlen"}
	for _, f := range o.fields {
		names = append(names, f.name)
	}
	for _, f := range it.Fields {
		if !contains(names, f.Name) {
			return nil, fmt.Errorf("%s has no field '%s' (%shave: %s)", o.name, f.Name, didYouMean(f.Name, names), strings.Join(names, ", "))
		}
	}
	start := len(dst)
	dst = append(dst, byte(o.code>>8), byte(o.code), 0, 0)
	for _, f := range o.fields {
		v, ok := it.Field(f.name)
		if !ok {
			v = f.def
		}
		var err error
		if dst, err = appendDHCP6Field(dst, f.kind, v); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", o.name, f.name, err)
		}
	}
	return setDHCP6Length(dst, start, it.Fields, o.name)
}

func appendDHCP6Field(dst []byte, k dhcp6Kind, v any) ([]byte, error) {
	switch k {
	case d6U16:
		return appendUint(dst, v, 2)
	case d6U32:
		return appendUint(dst, v, 4)
	case d6IPv6:
		return appendIPv6(dst, v)
	case d6Bytes:
		s, err := itemBytes(v)
		return append(dst, s...), err
	case d6Addrs:
		return appendIPv6s(dst, v)
	case d6Names:
		return appendDomainNames(dst, v)
	}
	if v == nil {
		return dst, nil
	}
	list, ok := v.(Item)
	if !ok || len(list.Fields) > 0 {
		return dst, fmt.Errorf("want a list, got %s", valueText(v))
	}
	if k == d6Codes {
		for _, c := range list.Values {
			var err error
			if dst, err = appendUint(dst, c, 2); err != nil {
				return dst, err
			}
		}
		return dst, nil
	}
	for n, sub := range list.Values {
		opt, ok := sub.(Item)
		if !ok {
			return dst, fmt.Errorf("item %d: want an option, got %s", n+1, valueText(sub))
		}
		var err error
		if dst, err = encodeDHCP6Option(dst, &opt); err != nil {
			return dst, fmt.Errorf("item %d: %w", n+1, err)
		}
	}
	return dst, nil
}
