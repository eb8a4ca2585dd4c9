package frame

import (
	"fmt"
	"sort"
)

// A Binding says, as Scapy's bind_layers does, that the layer above Lower
// is Upper when Lower's field holds Value; at build time the field takes
// Value when it is not given (Ether()/IP() gets type 0x0800).
type Binding struct {
	Lower, Upper *Proto
	Field        int
	Value        uint64
	parseOnly    bool // decoded, but never written (Ethernet type 0x88a8)

	// also is a second field the binding sets when building: Scapy's
	// UDP()/VXLAN() sets the source port too.
	also *Binding
	// both: parse too goes up only when also matches, as Scapy's
	// bind_layers(UDP, BOOTP, dport=67, sport=68) does.
	both bool
}

// A Registry is the set of protocols one runtime builds and parses: the
// built-in ones, and those made with Define and Bind.
type Registry struct {
	byName map[string]*Proto
	binds  map[*Proto][]Binding // made with Bind; tried before built-in ones
}

// builtin is the registry of the built-in protocols, never changed.
var builtin = NewRegistry()

// NewRegistry returns a registry of the built-in protocols.
func NewRegistry() *Registry {
	r := &Registry{byName: map[string]*Proto{}, binds: map[*Proto][]Binding{}}
	for _, p := range Builtins {
		r.byName[p.Name] = p
	}
	return r
}

// Proto returns the protocol called name, or nil.
func (r *Registry) Proto(name string) *Proto { return r.byName[name] }

// Names lists the protocols' names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.byName))
	for name := range r.byName {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Bind makes upper the layer above lower when lower's field holds value,
// for parsing, and fills that field when building lower below upper.
// Bindings made later are tried first.
func (r *Registry) Bind(lower *Proto, field string, value uint64, upper *Proto) error {
	i, ok := lower.Field(field)
	if !ok {
		return &UnknownFieldError{Proto: lower, Name: field}
	}
	f := &lower.Fields[i]
	if !f.Kind.numeric() || value > f.max() {
		return &FieldError{Field: f, Got: fmt.Sprint(value)}
	}
	b := Binding{Lower: lower, Upper: upper, Field: i, Value: value}
	r.binds[lower] = append([]Binding{b}, r.binds[lower]...)
	return nil
}

// next returns the protocol above layer l, or nil when no binding matches.
func (r *Registry) next(l *Layer) *Proto {
	if len(r.binds) > 0 {
		for _, b := range r.binds[l.Proto] {
			if l.Uint(b.Field) == b.Value {
				return b.Upper
			}
		}
	}
	for _, b := range l.Proto.binds {
		if l.Uint(b.Field) == b.Value && (!b.both || l.Uint(b.also.Field) == b.also.Value) {
			return b.Upper
		}
	}
	return nil
}

// binding returns the binding that puts upper on lower, or nil.
func (r *Registry) binding(lower, upper *Proto) *Binding {
	if len(r.binds) > 0 {
		bs := r.binds[lower]
		for i := range bs {
			if bs[i].Upper == upper {
				return &bs[i]
			}
		}
	}
	for i := range lower.binds {
		if b := &lower.binds[i]; b.Upper == upper && !b.parseOnly {
			return b
		}
	}
	return nil
}
