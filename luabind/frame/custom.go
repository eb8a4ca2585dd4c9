package frame

import (
	"fmt"
	"math"
	"slices"
)

// reserved are names that parse results and options use themselves
// (p.payload, { first = "ip" }), so no protocol may have them.
var reserved = []string{"layers", "payload", "padding", "error", "ip", "raw", "name"}

// A FieldSpec describes a field of a protocol made with Define.
type FieldSpec struct {
	Name     string
	Bits     int  // width in bits
	Kind     Kind // Uint, MAC, IPv4Addr or IPv6Addr
	BitField bool // packed at any width from 1 to 64 bits, MSB first
	Length   bool // auto: the byte length of this layer and all after it
	Default  any  // a number or a text (an address); nil for zero
}

// Define adds a protocol called name with fields in wire order: numbers of
// 8, 16, 32 or 64 bits in network byte order, bit fields packed MSB first,
// and addresses. Parse decodes it where a Bind puts it; Build writes it.
func (r *Registry) Define(name string, specs []FieldSpec) (*Proto, error) {
	if !isName(name) {
		return nil, fmt.Errorf("name %q: use letters, digits and _, not starting with a digit", name)
	}
	if r.byName[name] != nil {
		return nil, fmt.Errorf("%s is already defined", name)
	}
	if slices.Contains(reserved, name) {
		return nil, fmt.Errorf("%s is a name parse results use", name)
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("%s has no fields", name)
	}
	p := &Proto{Name: name, Doc: "protocol defined by the script"}
	c := &custom{proto: p}
	for _, s := range specs {
		if err := checkSpec(s); err != nil {
			return nil, fmt.Errorf("field '%s': %w", s.Name, err)
		}
		p.Fields = append(p.Fields, Field{Name: s.Name, Kind: s.Kind, Bits: s.Bits, Auto: s.Length})
		c.offsets = append(c.offsets, c.size)
		c.size += s.Bits
	}
	if c.size%8 != 0 {
		return nil, fmt.Errorf("fields add up to %d bits, not a whole number of bytes", c.size)
	}
	c.size /= 8
	if err := p.layout(); err != nil {
		return nil, err
	}
	for _, s := range specs {
		if s.Default == nil {
			continue
		}
		if err := p.defaults.Set(s.Name, s.Default); err != nil {
			return nil, fmt.Errorf("default: %w", err)
		}
	}
	p.defaults.given = 0
	p.encode, p.finish, p.decode = c.encode, c.finish, c.decode
	r.byName[name] = p
	return p, nil
}

// checkSpec checks a field's name, kind and width.
func checkSpec(s FieldSpec) error {
	if !isName(s.Name) || s.Name == "name" {
		return fmt.Errorf("use letters, digits and _ (and not 'name')")
	}
	want := map[Kind]int{MAC: 48, IPv4Addr: 32, IPv6Addr: 128}[s.Kind]
	switch {
	case s.Kind != Uint && s.Kind != MAC && s.Kind != IPv4Addr && s.Kind != IPv6Addr:
		return fmt.Errorf("kind %d cannot be defined", s.Kind)
	case s.Kind != Uint && (s.Bits != want || s.BitField || s.Length):
		return fmt.Errorf("an address of %d bits, not a bit or length field", want)
	case s.BitField && (s.Bits < 1 || s.Bits > 64):
		return fmt.Errorf("bit fields are 1 to 64 bits wide, not %d", s.Bits)
	case s.Kind == Uint && !s.BitField && s.Bits != 8 && s.Bits != 16 && s.Bits != 32 && s.Bits != 64:
		return fmt.Errorf("width %d: numbers are 8, 16, 32 or 64 bits (or \"bits\" fields)", s.Bits)
	}
	return nil
}

// isName reports whether s can be a Lua field name: f.myproto, l.seq.
func isName(s string) bool {
	for i, c := range s {
		letter := c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}

// custom is the codec of a defined protocol.
type custom struct {
	proto   *Proto
	offsets []int // bit offset of each field
	size    int   // header bytes
}

func (c *custom) encode(b *Builder, i int) {
	start := len(b.buf)
	b.buf = append(b.buf, make([]byte, c.size)...)
	hdr := b.buf[start:]
	l := b.layers[i]
	for f := range c.proto.Fields {
		fd := &c.proto.Fields[f]
		switch {
		case fd.Kind == IPv6Addr:
			putBits(hdr, c.offsets[f], 64, l.num[fd.slot])
			putBits(hdr, c.offsets[f]+64, 64, l.num[fd.slot+1])
		case fd.Auto && !l.Given(f):
			// finish writes the length
		default:
			putBits(hdr, c.offsets[f], fd.Bits, b.num(i, f))
		}
	}
}

func (c *custom) finish(b *Builder, i int) {
	for f := range c.proto.Fields {
		if c.proto.Fields[f].Auto && !b.given(i, f) {
			putBits(b.from(i), c.offsets[f], c.proto.Fields[f].Bits, uint64(b.size(i)))
		}
	}
}

func (c *custom) decode(l *Layer, d []byte) (decoded, error) {
	if len(d) < c.size {
		return decoded{}, truncated(len(d), c.size)
	}
	for f := range c.proto.Fields {
		fd := &c.proto.Fields[f]
		if fd.Kind == IPv6Addr {
			l.num[fd.slot] = getBits(d, c.offsets[f], 64)
			l.num[fd.slot+1] = getBits(d, c.offsets[f]+64, 64)
			continue
		}
		l.num[fd.slot] = getBits(d, c.offsets[f], fd.Bits)
	}
	return decoded{hdr: c.size, end: -1}, nil
}

// putBits writes the low width bits of v at bit offset off of b, most
// significant bit first; a value too wide for the field loses its high
// bits, as a length that overflows its field does in Scapy.
func putBits(b []byte, off, width int, v uint64) {
	for k := range width {
		pos := off + k
		mask := byte(0x80) >> (pos % 8)
		if v>>(width-1-k)&1 != 0 {
			b[pos/8] |= mask
		} else {
			b[pos/8] &^= mask
		}
	}
}

// getBits reads width bits at bit offset off of b, most significant first.
func getBits(b []byte, off, width int) uint64 {
	var v uint64
	for k := range width {
		pos := off + k
		v = v<<1 | uint64(b[pos/8]>>(7-pos%8)&1)
	}
	return v & (math.MaxUint64 >> (64 - width))
}
