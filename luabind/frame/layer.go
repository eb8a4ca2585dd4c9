package frame

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"strings"
)

// MaxFields is the most fields a protocol has, counting an IPv6 address
// as two. It keeps a Layer small: parse allocates one per layer.
const MaxFields = 20

// A Proto is a protocol: its name, its fields in wire order, and how its
// header is built and decoded.
type Proto struct {
	Name   string
	Doc    string // one line
	Fields []Field

	// Answers, when set, is the protocol's rule for whether reply layer
	// self answers request layer other at the same depth (Scapy's
	// answers()); the payloads must answer too. Nil: the same protocol
	// answers when its payload does. For frame.define's answers option.
	Answers func(self, other *Layer) bool

	defaults Layer     // the layer with every field at its default
	binds    []Binding // built-in bindings to the layers above it
	encode   func(b *Builder, i int)
	finish   func(b *Builder, i int) // fills auto fields once the payload is built
	decode   func(l *Layer, data []byte) (decoded, error)
	present  func(l *Layer, i int) bool // whether field i is on the wire; nil: all are
	fixed    int                        // bytes of its fixed-size byte strings (fixedbytes.go)
	// dispatch picks the protocol that decodes data instead of this one,
	// as Scapy's dispatch_hook does (IGMP or IGMPv3 by type and length).
	dispatch func(data []byte) *Proto
}

// decoded is what a protocol's decoder found.
type decoded struct {
	hdr   int  // header bytes read
	end   int  // where the layer's data ends (its length field), or -1
	stop  bool // leave the rest undecoded (an IPv4 fragment)
	quote bool // what follows is a quote: cut short is no error (an ICMP error)

	// next is the protocol above when the header picks it rather than a
	// binding: MPLS by s and the version nibble, LLC after an 802.3 or
	// 802.1Q length.
	next *Proto
}

// Field returns the index of field name, or of the field name is an
// alias of. With 20 fields at most, a scan is faster than a map.
func (p *Proto) Field(name string) (int, bool) {
	for i := range p.Fields {
		if p.Fields[i].Name == name {
			return i, true
		}
	}
	for i := range p.Fields {
		for _, a := range p.Fields[i].Aliases {
			if a == name {
				return i, true
			}
		}
	}
	return 0, false
}

// fieldNames are the names of the protocol's fields, in order.
func (p *Proto) fieldNames() []string {
	names := make([]string, len(p.Fields))
	for i := range p.Fields {
		names[i] = p.Fields[i].Name
	}
	return names
}

// layout numbers the fields' slots and checks their names. Every
// protocol, built in or defined, is made through it.
func (p *Proto) layout() error {
	if len(p.Fields) > MaxFields {
		return fmt.Errorf("%d fields, the most is %d", len(p.Fields), MaxFields)
	}
	slot, bytesFields, shared := 0, 0, 0
	for i := range p.Fields {
		f := &p.Fields[i]
		if j, _ := p.Field(f.Name); j != i {
			return fmt.Errorf("field '%s' twice", f.Name)
		}
		for _, a := range f.Aliases {
			if j, _ := p.Field(a); j != i {
				return fmt.Errorf("field '%s': alias '%s' names another field too", f.Name, a)
			}
		}
		f.slot = slot
		slot += f.slots()
		if f.Shared {
			shared++
		} else if f.Kind.bytes() && f.Size == 0 {
			bytesFields++
		}
		if (f.Kind == List) != (f.List != nil) {
			return fmt.Errorf("field '%s': a List field has a codec, and only it", f.Name)
		}
	}
	if shared > 4 || shared > 0 && bytesFields > 0 {
		return fmt.Errorf("%d shared lists, the most is 4, and no other byte string", shared)
	}
	if slot > MaxFields || bytesFields > 1 {
		return fmt.Errorf("fields take %d slots (an IPv6 address takes 2), the most is %d", slot, MaxFields)
	}
	p.defaults.Proto = p
	p.layoutFixed()
	return nil
}

// A Layer is one protocol header's field values. Fields not given keep
// their default, and auto fields are computed when the frame is built.
type Layer struct {
	Proto *Proto
	given uint32            // bit i: field i was given
	num   [MaxFields]uint64 // numbers and addresses, by Field.slot
	data  []byte            // the byte-string field, if the protocol has one
	fuzz  *rand.Rand        // draws the fields not given at each build (fuzz.go), or nil
}

// NewLayer returns a layer of p with every field at its default.
func NewLayer(p *Proto) *Layer {
	l := p.defaults
	return &l
}

// Given reports whether field i was given rather than left to its default.
func (l *Layer) Given(i int) bool { return l.given&(1<<i) != 0 }

// Clear puts field i back to its default (or auto) value.
func (l *Layer) Clear(i int) {
	f := &l.Proto.Fields[i]
	l.given &^= 1 << i
	if f.Shared {
		start, end, n := l.Proto.defaults.sharedPart(f)
		l.setShared(f, l.Proto.defaults.data[start:end], n)
		return
	}
	if f.Kind.bytes() {
		l.setData(f, l.Proto.defaults.bytesOf(f))
		return
	}
	copy(l.num[f.slot:f.slot+f.Kind.slots()], l.Proto.defaults.num[f.slot:])
}

// SetUint sets numeric field i.
func (l *Layer) SetUint(i int, v uint64) error {
	f := &l.Proto.Fields[i]
	if !f.Kind.numeric() || v > f.max() {
		return &FieldError{Field: f, Got: fmt.Sprint(v)}
	}
	l.num[f.slot] = v
	l.given |= 1 << i
	return nil
}

// SetNumber sets numeric field i from a float, as Lua and JSON hold numbers.
func (l *Layer) SetNumber(i int, v float64) error {
	f := &l.Proto.Fields[i]
	if !f.Kind.numeric() || v < 0 || v != math.Trunc(v) || v > float64(f.max()) {
		return &FieldError{Field: f, Got: numberText(v)}
	}
	u := uint64(v)
	if v >= 1<<64 {
		u = math.MaxUint64 // float64(MaxUint64) rounds up to 2^64
	}
	l.num[f.slot] = u
	l.given |= 1 << i
	return nil
}

// SetText sets field i from its text: an address, flag letters, or the
// bytes of a byte-string field. A Bytes field keeps a copy of s. On error
// the field keeps its value.
func (l *Layer) SetText(i int, s string) error {
	if raw, err := l.setRawAddr(i, s); raw {
		return err
	}
	f := &l.Proto.Fields[i]
	var v uint64
	ok := false
	switch f.Kind {
	case IPFlags:
		v, ok = parseIPFlags(s)
	case TCPFlags:
		v, ok = parseTCPFlags(s)
	case MAC:
		v, ok = parseMAC(s)
	case Uint:
		v, ok = enumValue(f.Enum, s)
	case IPv4Addr, IPv6Addr, IPAddr:
		var a netip.Addr
		if a, ok = parseIP(f.Kind, s); ok {
			l.setAddr(f, a)
		}
	case Bytes, List:
		l.setData(f, rawForm(f, []byte(s)))
		ok = true
	}
	if !ok {
		return &FieldError{Field: f, Got: quoteText(s)}
	}
	if f.Kind == IPFlags || f.Kind == TCPFlags || f.Kind == MAC || f.Kind == Uint {
		l.num[f.slot] = v
	}
	l.given |= 1 << i
	return nil
}

// SetBytes sets byte-string field i to b, which the layer keeps.
func (l *Layer) SetBytes(i int, b []byte) error {
	f := &l.Proto.Fields[i]
	if !f.Kind.bytes() {
		return &FieldError{Field: f, Got: "bytes"}
	}
	l.setData(f, rawForm(f, b))
	l.given |= 1 << i
	return nil
}

// rawForm is raw bytes b given for field f as the layer keeps them.
func rawForm(f *Field, b []byte) []byte {
	if r, ok := f.List.(rawKeeper); ok && len(b) > 0 { // a list kept in a form of its own
		return r.FromRaw(b)
	}
	return b
}

// A rawKeeper is a ListCodec whose layer keeps its items in a form of its
// own, not their bytes on the wire (VRRP's addresses, with their family):
// FromRaw is that form of raw bytes given for the list.
type rawKeeper interface {
	FromRaw(b []byte) []byte
}

// Set sets field name from a Go value: an integer, a float64, a string
// (text, or the bytes of a byte-string field), a []byte, or a []Item for
// a list field.
func (l *Layer) Set(name string, v any) error {
	i, ok := l.Proto.Field(name)
	if !ok {
		return &UnknownFieldError{Proto: l.Proto, Name: name}
	}
	switch v := v.(type) {
	case int:
		if v < 0 {
			return &FieldError{Field: &l.Proto.Fields[i], Got: fmt.Sprint(v)}
		}
		return l.SetUint(i, uint64(v))
	case uint64:
		return l.SetUint(i, v)
	case float64:
		return l.SetNumber(i, v)
	case string:
		return l.SetText(i, v)
	case []byte:
		return l.SetBytes(i, v)
	case []Item:
		return l.SetItems(i, v)
	}
	return &FieldError{Field: &l.Proto.Fields[i], Got: fmt.Sprintf("%T", v)}
}

// Uint returns numeric field i (flags as their bits).
func (l *Layer) Uint(i int) uint64 { return l.num[l.Proto.Fields[i].slot] }

// Addr returns IP address field i.
func (l *Layer) Addr(i int) netip.Addr {
	f := &l.Proto.Fields[i]
	if f.Kind == IPv4Addr {
		return netip.AddrFrom4(l.addr4(f))
	}
	a := netip.AddrFrom16(l.addr16(f))
	if f.Kind == IPv6Addr {
		return a // ::ffff:192.0.2.1 stays IPv6, as Scapy reads it
	}
	return a.Unmap() // an IPAddr field keeps IPv4 in its mapped form
}

// Bytes returns byte-string field i.
func (l *Layer) Bytes(i int) []byte { return l.bytesOf(&l.Proto.Fields[i]) }

// Text returns field i as text: a number in decimal, flag letters, an
// address, or the field's bytes.
func (l *Layer) Text(i int) string {
	if b, _, ok := l.rawAddr(i); ok {
		return string(b)
	}
	f := &l.Proto.Fields[i]
	v := l.num[f.slot]
	switch f.Kind {
	case IPFlags:
		return ipFlagsText(v)
	case TCPFlags:
		return tcpFlagsText(v)
	case MAC:
		return macText(v)
	case IPv4Addr, IPv6Addr, IPAddr:
		return l.Addr(i).String()
	case Bytes:
		return string(l.Bytes(i))
	case List:
		return itemsText(l.Items(i))
	}
	return fmt.Sprint(v)
}

// String is the layer as Scapy's repr shows it: its given fields.
func (l *Layer) String() string {
	var b strings.Builder
	b.WriteString("<" + l.Proto.Name)
	for i := range l.Proto.Fields {
		if l.Given(i) {
			fmt.Fprintf(&b, " %s=%s", l.Proto.Fields[i].Name, showValue(l, i))
		}
	}
	b.WriteString(">")
	return b.String()
}

func (l *Layer) setAddr(f *Field, a netip.Addr) {
	if f.Kind == IPv4Addr {
		b4 := a.As4()
		l.num[f.slot] = uint64(binary.BigEndian.Uint32(b4[:]))
		return
	}
	b := a.As16()
	l.num[f.slot] = binary.BigEndian.Uint64(b[:8])
	l.num[f.slot+1] = binary.BigEndian.Uint64(b[8:])
}

func (l *Layer) addr4(f *Field) (b [4]byte) {
	binary.BigEndian.PutUint32(b[:], uint32(l.num[f.slot]))
	return b
}

func (l *Layer) addr16(f *Field) (b [16]byte) {
	binary.BigEndian.PutUint64(b[:8], l.num[f.slot])
	binary.BigEndian.PutUint64(b[8:], l.num[f.slot+1])
	return b
}

// isMapped4 reports whether an IPAddr field holds an IPv4 address.
func (l *Layer) isMapped4(f *Field) bool {
	return l.num[f.slot] == 0 && l.num[f.slot+1]>>32 == 0xffff
}

// put sets numeric field i from the wire, where it cannot be out of range.
func (l *Layer) put(i int, v uint64) { l.num[l.Proto.Fields[i].slot] = v }

// putAddr sets address field i from its bytes on the wire: 6 for a MAC,
// 4 for IPv4, 16 for IPv6.
func (l *Layer) putAddr(i int, b []byte) {
	slot := l.Proto.Fields[i].slot
	switch len(b) {
	case 6:
		l.num[slot] = uint64(binary.BigEndian.Uint16(b))<<32 | uint64(binary.BigEndian.Uint32(b[2:]))
	case 4:
		if l.Proto.Fields[i].Kind == IPAddr {
			l.num[slot], l.num[slot+1] = 0, 0xffff<<32|uint64(binary.BigEndian.Uint32(b))
			return
		}
		l.num[slot] = uint64(binary.BigEndian.Uint32(b))
	case 16:
		l.num[slot], l.num[slot+1] = binary.BigEndian.Uint64(b), binary.BigEndian.Uint64(b[8:])
	}
}

// givenAll marks every field given, as a parsed layer has them.
func (l *Layer) givenAll() {
	l.given = uint32(1)<<len(l.Proto.Fields) - 1
	if l.Proto.present != nil {
		for i := range l.Proto.Fields {
			if !l.present(i) {
				l.given &^= 1 << i
			}
		}
	}
}
