package frame

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// List fields.
//
// A field of kind List holds a list of items in Scapy's form: TCP's
// options {{"MSS", 1460}, {"NOP"}}, IPv4's {{"RR", routers = {...}}}, and
// so on for every protocol whose header carries a list. The layer keeps
// the list as its bytes on the wire, as it keeps a Bytes field, so that
// parse stays as cheap as before, a parsed layer builds back to the very
// bytes it came from (malformed options too), and a script may still give
// the raw bytes as a string. The field's ListCodec, one per protocol,
// turns items into those bytes (SetItems) and bytes into items (Items)
// the way Scapy does, including how it reads malformed lengths; the Lua
// binding turns items into tables of tables and back. A later list (DNS
// records, DHCP, ND options, LLDP TLVs) is one more ListCodec.

// A ListCodec converts the items of one protocol's list field to and from
// their bytes on the wire.
type ListCodec interface {
	// Encode appends the bytes of items to dst, as Scapy writes them,
	// without the padding the header adds; it fails on an item it cannot
	// write, and the error names the item.
	Encode(dst []byte, items []Item) ([]byte, error)
	// Decode reads the items in data as Scapy does. It never fails: what
	// it cannot read becomes an item of raw bytes.
	Decode(data []byte) []Item
	// Form shows the items' form, for docs and errors:
	// {{"MSS", 1460}, {"NOP"}, ...}.
	Form() string
}

// An Item is one element of a list field, or a table inside one, shaped
// like the Lua table that holds it: Values are its positional values
// (TCP's {"MSS", 1460}: the option's name, then its value), Fields its
// named ones (an IPv4 option's {"RR", pointer = 4, routers = {...}}). A
// value is nil, a number (uint64 from Decode; Encode also takes the
// float64 and int that Lua and Go give), a string (a name, an address or
// bytes) or an Item.
type Item struct {
	Values []any
	Fields []NamedValue
}

// A NamedValue is a named field of an Item.
type NamedValue struct {
	Name  string
	Value any
}

// Value returns positional value n (from 0), or nil.
func (it *Item) Value(n int) any {
	if n < len(it.Values) {
		return it.Values[n]
	}
	return nil
}

// Field returns named field name, and whether the item has it.
func (it *Item) Field(name string) (any, bool) {
	for _, f := range it.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return nil, false
}

// set appends named field name.
func (it *Item) set(name string, v any) { it.Fields = append(it.Fields, NamedValue{name, v}) }

// A ListError is an item a list field cannot hold.
type ListError struct {
	Field *Field
	Item  int // from 1, as Lua counts
	Err   error
}

// Error names the field and the item: field 'options' item 2: unknown TCP
// option 'MSX' (did you mean 'MSS'?).
func (e *ListError) Error() string {
	return fmt.Sprintf("field '%s' item %d: %v", e.Field.Name, e.Item, e.Err)
}

// Unwrap returns the cause.
func (e *ListError) Unwrap() error { return e.Err }

// itemError is the error of item n (from 0), for a ListError.
type itemError struct {
	n   int
	err error
}

func (e *itemError) Error() string { return e.err.Error() }

// itemErr marks err as the error of item n (from 0).
func itemErr(n int, err error) error { return &itemError{n, err} }

// SetItems sets list field i to the bytes its codec makes of items. On
// error the field keeps its value.
func (l *Layer) SetItems(i int, items []Item) error {
	f := &l.Proto.Fields[i]
	if f.Kind != List {
		return &FieldError{Field: f, Got: "a list"}
	}
	data, err := f.List.Encode(nil, items)
	if err != nil {
		n := 0
		if ie, ok := err.(*itemError); ok {
			n, err = ie.n, ie.err
		}
		return &ListError{Field: f, Item: n + 1, Err: err}
	}
	if f.Shared {
		l.setShared(f, data, len(items))
	} else {
		l.data = data
	}
	l.given |= 1 << i
	return nil
}

// Items returns the items of list field i, as its codec reads its bytes,
// or as the layer's other fields say when the codec needs them (a
// segment routing header's lastentry: layerDecoder).
func (l *Layer) Items(i int) []Item {
	f := &l.Proto.Fields[i]
	if f.Shared {
		return l.sharedItems(f)
	}
	if c, ok := f.List.(layerDecoder); ok {
		return c.DecodeIn(l, l.data)
	}
	return f.List.Decode(l.data)
}

// A layerDecoder is a ListCodec whose items depend on the layer's other
// fields.
type layerDecoder interface {
	DecodeIn(l *Layer, data []byte) []Item
}

// encodeItems appends the bytes of each item as encode writes it, and
// marks an error with the item it is about.
func encodeItems(dst []byte, items []Item, encode func([]byte, *Item) ([]byte, error)) ([]byte, error) {
	for n := range items {
		var err error
		if dst, err = encode(dst, &items[n]); err != nil {
			return nil, itemErr(n, err)
		}
	}
	return dst, nil
}

// itemUint reads a number of at most bits bits from an item's value.
func itemUint(v any, bits int) (uint64, error) {
	limit := uint64(1)<<bits - 1
	var u uint64
	switch v := v.(type) {
	case uint64:
		u = v
	case int:
		if v < 0 {
			return 0, fmt.Errorf("want a number 0..%d, got %d", limit, v)
		}
		u = uint64(v)
	case float64:
		if v < 0 || v != math.Trunc(v) || v > float64(limit) {
			return 0, fmt.Errorf("want a number 0..%d, got %s", limit, numberText(v))
		}
		u = uint64(v)
	default:
		return 0, fmt.Errorf("want a number 0..%d, got %s", limit, valueText(v))
	}
	if u > limit {
		return 0, fmt.Errorf("want a number 0..%d, got %d", limit, u)
	}
	return u, nil
}

// itemsText is the items as Lua writes them: {{"MSS", 1460}, {"NOP"}}.
func itemsText(items []Item) string {
	var b strings.Builder
	b.WriteByte('{')
	for n := range items {
		if n > 0 {
			b.WriteString(", ")
		}
		writeItem(&b, &items[n])
	}
	b.WriteByte('}')
	return b.String()
}

func writeItem(b *strings.Builder, it *Item) {
	b.WriteByte('{')
	for n, v := range it.Values {
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString(valueText(v))
	}
	for n, f := range it.Fields {
		if n > 0 || len(it.Values) > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Name + " = " + valueText(f.Value))
	}
	b.WriteByte('}')
}

// valueText is an item's value as Lua writes it.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return "nil"
	case string:
		return luaQuote(v)
	case Item:
		var b strings.Builder
		writeItem(&b, &v)
		return b.String()
	case float64:
		return numberText(v)
	}
	return fmt.Sprint(v)
}

// luaQuote quotes s as Lua 5.1 reads it back: "\5\180" for bytes.
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		case i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			b.WriteString(fmt.Sprintf("\\%03d", c)) // a digit follows: all three digits
		default:
			b.WriteString("\\" + strconv.Itoa(int(c)))
		}
	}
	b.WriteByte('"')
	return b.String()
}
