package frame

// Fixed-size byte strings.
//
// A Bytes field with a Size is Scapy's StrFixedLenField: it holds exactly
// Size bytes, a shorter value padded with zeros and a longer one cut, as
// struct.pack("16s") writes it. A layer keeps its byte strings in one
// slice, Layer.data, so that parse stays a slice of the frame: the
// fixed-size fields first, in their order, then the protocol's one
// variable byte string, if any. BOOTP's chaddr, sname, file and options
// are so, and on the wire they follow each other too, so that its decoder
// takes the whole run as the layer's data.

// layoutFixed places p's fixed-size byte strings in Layer.data and makes
// its default data: zeros. It runs from layout.
func (p *Proto) layoutFixed() {
	off := 0
	for i := range p.Fields {
		f := &p.Fields[i]
		if !f.Kind.bytes() {
			continue
		}
		f.off = off
		off += f.Size
	}
	p.fixed = off
	if off > 0 {
		p.defaults.data = make([]byte, off)
	}
}

// bytesOf returns byte-string field f of l: its part of l.data. Data cut
// short (a parsed layer) gives what there is.
func (l *Layer) bytesOf(f *Field) []byte {
	if f.Shared {
		start, end, _ := l.sharedPart(f)
		return l.data[start:end]
	}
	if l.Proto.fixed == 0 {
		return l.data
	}
	lo, hi := min(f.off, len(l.data)), len(l.data)
	if f.Size > 0 {
		hi = min(f.off+f.Size, hi)
	}
	return l.data[lo:hi]
}

// setData sets byte-string field f to b. With fixed-size fields the
// layer's data is copied, never changed in place: parsed layers and
// copies of a layer share it.
func (l *Layer) setData(f *Field, b []byte) {
	p := l.Proto
	if f.Shared {
		l.setShared(f, b, 0) // bytes hold no items Scapy counts
		return
	}
	if p.fixed == 0 {
		l.data = b
		return
	}
	data := make([]byte, p.fixed, p.fixed+len(b))
	copy(data, l.data)
	if f.Size == 0 {
		l.data = append(data, b...)
		return
	}
	if len(l.data) > p.fixed {
		data = append(data, l.data[p.fixed:]...)
	}
	fixed := data[f.off : f.off+f.Size]
	clear(fixed)
	copy(fixed, b)
	l.data = data
}
