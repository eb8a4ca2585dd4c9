package frame

import "encoding/binary"

// A Builder turns layers into a frame as Scapy's raw() does: fields not
// given take their default, or the value a binding to the next layer
// gives them (Ether()/IP() has type 0x0800), and auto fields (lengths,
// checksums, header lengths) are computed. A field given is written as
// given, a wrong checksum too. A Builder reuses its buffers, so building
// allocates nothing once they have grown; it is not safe for concurrent use.
type Builder struct {
	Registry *Registry // protocols and bindings; nil means the built-in ones

	buf    []byte
	layers []*Layer
	starts []int      // offset of each layer's header in buf
	over   []*Binding // each layer's binding to the layer above, or nil

	fuzzed   []Layer  // fuzzed layers' copies with their values drawn (fuzz.go)
	fuzzList []*Layer // the layers built when some are fuzzed
}

// Build returns the frame made of layers. The bytes are the Builder's own
// and change with the next Build: copy them to keep them.
func (b *Builder) Build(layers []*Layer) []byte {
	r := b.Registry
	if r == nil {
		r = builtin
	}
	b.buf, b.starts, b.over = b.buf[:0], b.starts[:0], b.over[:0]
	layers = b.drawFuzz(layers)
	// A trailer (Ethernet padding) ends the frame but is no layer's
	// payload: it is added once lengths and checksums are done.
	trailer := layers
	for len(layers) > 0 && layers[len(layers)-1].Proto == paddingProto {
		layers = layers[:len(layers)-1]
	}
	trailer = trailer[len(layers):]
	b.layers = layers
	for i, l := range layers {
		var over *Binding
		if i+1 < len(layers) {
			over = r.binding(l.Proto, layers[i+1].Proto)
		}
		b.starts = append(b.starts, len(b.buf))
		b.over = append(b.over, over)
		l.Proto.encode(b, i)
	}
	// Lengths and checksums cover what follows them, so the innermost
	// layer is finished first.
	for i := len(layers) - 1; i >= 0; i-- {
		if finish := layers[i].Proto.finish; finish != nil {
			finish(b, i)
		}
	}
	for _, l := range trailer {
		b.buf = append(b.buf, l.data...)
	}
	b.layers = nil
	return b.buf
}

// Build returns a new frame made of layers of the built-in protocols.
func Build(layers ...*Layer) []byte {
	var b Builder
	return b.Build(layers)
}

// Raw returns a layer of payload bytes, which it keeps.
func Raw(payload []byte) *Layer {
	l := NewLayer(rawProto)
	l.SetBytes(rawLoad, payload)
	return l
}

// num is numeric field f of layer i as written: as given, else as the
// binding to the next layer says, else its default.
func (b *Builder) num(i, f int) uint64 {
	l := b.layers[i]
	for over := b.over[i]; over != nil && !l.Given(f); over = over.also {
		if over.Field == f {
			return over.Value
		}
	}
	return l.Uint(f)
}

// given reports whether field f of layer i was given.
func (b *Builder) given(i, f int) bool { return b.layers[i].Given(f) }

// below returns the layer under layer i, or nil.
func (b *Builder) below(i int) *Layer {
	if i == 0 {
		return nil
	}
	return b.layers[i-1]
}

// size is the length of layer i and everything after it.
func (b *Builder) size(i int) int { return len(b.buf) - b.starts[i] }

// from returns layer i and everything after it.
func (b *Builder) from(i int) []byte { return b.buf[b.starts[i]:] }

// put16 writes v at offset off of layer i.
func (b *Builder) put16(i, off int, v uint16) {
	binary.BigEndian.PutUint16(b.buf[b.starts[i]+off:], v)
}

func (b *Builder) u8(v uint64)  { b.buf = append(b.buf, byte(v)) }
func (b *Builder) u16(v uint64) { b.buf = binary.BigEndian.AppendUint16(b.buf, uint16(v)) }
func (b *Builder) u32(v uint64) { b.buf = binary.BigEndian.AppendUint32(b.buf, uint32(v)) }

// mac appends MAC field f of layer i.
func (b *Builder) mac(i, f int) {
	v := b.layers[i].Uint(f)
	b.buf = append(b.buf, byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// addr appends IPv4 or IPv6 address field f of layer i.
func (b *Builder) addr(i, f int) {
	l := b.layers[i]
	fd := &l.Proto.Fields[f]
	if fd.Kind == IPv4Addr {
		b.u32(l.num[fd.slot])
		return
	}
	b.addr16(l, fd)
}

// addr16 appends the 16 bytes of address field fd of l.
func (b *Builder) addr16(l *Layer, fd *Field) {
	b.buf = binary.BigEndian.AppendUint64(b.buf, l.num[fd.slot])
	b.buf = binary.BigEndian.AppendUint64(b.buf, l.num[fd.slot+1])
}

// padded appends data and zeros up to a multiple of 4 bytes, as Scapy
// pads IPv4 and TCP options.
func (b *Builder) padded(data []byte) {
	b.buf = append(b.buf, data...)
	for n := len(data); n%4 != 0; n++ {
		b.buf = append(b.buf, 0)
	}
}

// paddedLen is the length of data padded to a multiple of 4 bytes.
func paddedLen(data []byte) int { return (len(data) + 3) &^ 3 }

// headerWords returns the options of an IPv4 or TCP layer and its header
// length in 32-bit words (ihl, dataofs): as given, else 5 for the fixed
// header plus the padded options.
func headerWords(l *Layer, words, options int) ([]byte, uint64) {
	opts := l.Bytes(options)
	if l.Given(words) {
		return opts, l.Uint(words)
	}
	return opts, uint64(5 + paddedLen(opts)/4)
}
