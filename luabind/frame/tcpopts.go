package frame

import (
	"errors"
	"fmt"
	"strings"
)

// TCP options as Scapy 2.5's TCPOptionsField reads and writes them: a
// list of {name, value} pairs, {{"MSS", 1460}, {"NOP"}, {"SAckOK", ""},
// {"Timestamp", {tsval, tsecr}}, {"WScale", 7}, {"SAck", {l1, r1, ...}},
// {"EOL"}}, and {kind, bytes} for a kind Scapy has no name for.

// A tcpOption is a TCP option kind Scapy names, and the struct format of
// its value: B, H, I for numbers of 1, 2, 4 bytes; "I*" any number of I
// (SAck); "16s" 16 bytes; "p" a Pascal string; "ao" TCP-AO's fields; ""
// bytes as they are.
type tcpOption struct {
	name   string
	kind   byte
	format string
}

// tcpOptionKinds are Scapy 2.5's TCPOptions.
var tcpOptionKinds = []tcpOption{
	{"EOL", 0, ""}, {"NOP", 1, ""}, {"MSS", 2, "H"}, {"WScale", 3, "B"},
	{"SAckOK", 4, ""}, {"SAck", 5, "I*"}, {"Timestamp", 8, "II"},
	{"AltChkSum", 14, "BH"}, {"AltChkSumOpt", 15, ""}, {"MD5", 19, "16s"},
	{"Mood", 25, "p"}, {"UTO", 28, "H"}, {"AO", 29, "ao"}, {"TFO", 34, "II"},
}

// tcpOptionList is the codec of TCP's options field.
var tcpOptionList ListCodec = tcpOptionCodec{}

type tcpOptionCodec struct{}

// Form shows the items' form.
func (tcpOptionCodec) Form() string {
	return `a list like {{"MSS", 1460}, {"SAckOK", ""}, {"Timestamp", {tsval, tsecr}}, {"NOP"}, {"WScale", 7}, {"SAck", {l1, r1}}, {"EOL"}} (Scapy's names: ` +
		strings.Join(tcpOptionNames(), ", ") + `; {kind, bytes} for others)`
}

func tcpOptionByKind(kind byte) *tcpOption {
	for i := range tcpOptionKinds {
		if tcpOptionKinds[i].kind == kind {
			return &tcpOptionKinds[i]
		}
	}
	return nil
}

// Decode reads options as Scapy's TCPOptionsField.m2i: EOL ends the list
// (what follows is padding), a length under 2 counts as 2, a value of the
// wrong size for its format stays bytes.
func (tcpOptionCodec) Decode(x []byte) []Item {
	var items []Item
	for len(x) > 0 {
		kind := x[0]
		if kind == 0 {
			return append(items, Item{Values: []any{"EOL"}})
		}
		if kind == 1 {
			items = append(items, Item{Values: []any{"NOP"}})
			x = x[1:]
			continue
		}
		n := 0
		if len(x) > 1 {
			n = int(x[1])
		}
		n = max(n, 2)
		val := x[min(2, len(x)):min(n, len(x))]
		opt := tcpOptionByKind(kind)
		if opt == nil {
			items = append(items, Item{Values: []any{uint64(kind), string(val)}})
		} else {
			items = append(items, Item{Values: []any{opt.name, opt.decodeValue(val)}})
		}
		x = x[min(n, len(x)):]
	}
	return items
}

// decodeValue is a value as Scapy unpacks it: numbers when the bytes have
// the format's size (one number alone, several as a list), else the bytes.
func (o *tcpOption) decodeValue(v []byte) any {
	switch o.format {
	case "", "16s":
		return string(v)
	case "p":
		if len(v) == 1 {
			return "" // a Pascal string of size 1 holds nothing
		}
		return string(v)
	case "ao":
		return decodeTCPAO(v)
	}
	widths := formatWidths(o.format, len(v)/4)
	size := 0
	for _, w := range widths {
		size += w
	}
	if size != len(v) {
		return string(v)
	}
	var nums []any
	for _, w := range widths {
		nums = append(nums, beUint(v[:w]))
		v = v[w:]
	}
	if len(nums) == 1 {
		return nums[0]
	}
	return Item{Values: nums}
}

// decodeTCPAO reads TCP-AO's value as Scapy's TCPAOValue: keyid,
// rnextkeyid, then the MAC, each only if bytes are left for it.
func decodeTCPAO(v []byte) Item {
	var it Item
	names := []string{"keyid", "rnextkeyid"}
	for n, name := range names {
		if len(v) > n {
			it.set(name, uint64(v[n]))
		}
	}
	if len(v) > 2 {
		it.set("mac", string(v[2:]))
	}
	return it
}

// formatWidths are the byte widths of the numbers of a format; "I*" has n.
func formatWidths(format string, n int) []int {
	var ws []int
	for i := 0; i < len(format); i++ {
		w := map[byte]int{'B': 1, 'H': 2, 'I': 4}[format[i]]
		if i+1 < len(format) && format[i+1] == '*' {
			for range n {
				ws = append(ws, w)
			}
			i++
			continue
		}
		ws = append(ws, w)
	}
	return ws
}

func beUint(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// Encode writes options as Scapy's TCPOptionsField.i2m, but for the
// padding, which the TCP header adds, and for an unknown name, which is
// an error here where Scapy skips it with a warning.
func (tcpOptionCodec) Encode(dst []byte, items []Item) ([]byte, error) {
	return encodeItems(dst, items, encodeTCPOption)
}

func encodeTCPOption(dst []byte, it *Item) ([]byte, error) {
	if len(it.Fields) > 0 || len(it.Values) > 2 {
		return nil, errors.New(`a TCP option is {name, value}: {"MSS", 1460}`)
	}
	var kind byte
	var val []byte
	switch name := it.Value(0).(type) {
	case string:
		opt, err := tcpOptionNamed(name)
		if err != nil {
			return nil, err
		}
		if opt.kind <= 1 {
			return append(dst, opt.kind), nil
		}
		if val, err = opt.encodeValue(it.Value(1)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		kind = opt.kind
	default:
		k, err := itemUint(name, 8)
		if err != nil {
			return nil, fmt.Errorf(`a TCP option is {name, value} or {kind, bytes}: kind: %w`, err)
		}
		if k <= 1 { // Scapy reads kinds 0 and 1 as EOL and NOP
			return append(dst, byte(k)), nil
		}
		s, ok := it.Value(1).(string)
		if !ok && it.Value(1) != nil {
			return nil, fmt.Errorf("kind %d: the value of a kind by number is bytes, got %s", k, valueText(it.Value(1)))
		}
		kind, val = byte(k), []byte(s)
	}
	if len(val) > 253 {
		return nil, fmt.Errorf("%s: %d bytes of value, the most is 253", valueText(it.Value(0)), len(val))
	}
	return append(append(dst, kind, byte(2+len(val))), val...), nil
}

// tcpOptionNames are Scapy's names of TCP options.
func tcpOptionNames() []string {
	names := make([]string, len(tcpOptionKinds))
	for i := range tcpOptionKinds {
		names[i] = tcpOptionKinds[i].name
	}
	return names
}

func tcpOptionNamed(name string) (*tcpOption, error) {
	for i := range tcpOptionKinds {
		if tcpOptionKinds[i].name == name {
			return &tcpOptionKinds[i], nil
		}
	}
	names := tcpOptionNames()
	return nil, fmt.Errorf("unknown TCP option '%s' (%shave: %s)", name, didYouMean(name, names), strings.Join(names, ", "))
}

// encodeValue packs a value as Scapy's struct.pack of the format: a
// number, or a list of them, for a numeric format; bytes stay bytes.
func (o *tcpOption) encodeValue(v any) ([]byte, error) {
	if s, ok := v.(string); ok {
		if o.format == "16s" { // struct.pack("16s") pads with zeros or cuts
			return append([]byte(s), make([]byte, 16)...)[:16], nil
		}
		return []byte(s), nil
	}
	switch o.format {
	case "", "16s", "p":
		if v == nil {
			return nil, nil
		}
		return nil, fmt.Errorf("want bytes, got %s", valueText(v))
	case "ao":
		return encodeTCPAO(v)
	}
	var nums []any
	switch v := v.(type) {
	case Item:
		nums = v.Values
	case nil:
		return nil, fmt.Errorf("want a value: %s", o.valueForm())
	default:
		nums = []any{v}
	}
	widths := formatWidths(o.format, len(nums))
	if len(widths) != len(nums) {
		return nil, fmt.Errorf("want %s, got %s", o.valueForm(), valueText(v))
	}
	var b []byte
	for n, w := range widths {
		u, err := itemUint(nums[n], 8*w)
		if err != nil {
			return nil, err
		}
		for k := w - 1; k >= 0; k-- {
			b = append(b, byte(u>>(8*k)))
		}
	}
	return b, nil
}

// valueForm says what value a numeric option takes.
func (o *tcpOption) valueForm() string {
	switch o.format {
	case "I*":
		return "a list of numbers {left, right, ...}"
	case "B", "H":
		return "a number"
	}
	return fmt.Sprintf("a list of %d numbers", len(o.format))
}

func encodeTCPAO(v any) ([]byte, error) {
	it, ok := v.(Item)
	if !ok {
		return nil, fmt.Errorf("want bytes or {keyid = n, rnextkeyid = n, mac = bytes}, got %s", valueText(v))
	}
	var b []byte
	for _, name := range []string{"keyid", "rnextkeyid"} {
		f, _ := it.Field(name)
		if f == nil {
			f = 0
		}
		u, err := itemUint(f, 8)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		b = append(b, byte(u))
	}
	mac, _ := it.Field("mac")
	if s, ok := mac.(string); ok {
		b = append(b, s...)
	} else if mac != nil {
		return nil, fmt.Errorf("mac: want bytes, got %s", valueText(mac))
	}
	return b, nil
}
