package nfqueue

import (
	"errors"

	"github.com/netlua/netlua/luabind/frame"
)

// A fixer recomputes the lengths and checksums of the packets a hook
// returns, so that a script can edit bytes (gsub "HTTP" for "XTTP") and
// the packet still arrives. It reuses its buffers.
type fixer struct {
	reg    *frame.Registry
	pkt    frame.Packet
	b      frame.Builder
	layers []*frame.Layer
}

func newFixer() *fixer {
	f := &fixer{reg: frame.NewRegistry()}
	f.b.Registry = f.reg
	return f
}

// autoFields are the fields that fix makes the builder compute again.
var autoFields = []string{"len", "plen", "chksum"}

// fix returns data, an IP packet, with its IP length, its transport length
// and every checksum computed anew; data it cannot decode comes back as
// it is. Every byte after the headers is payload: the parser trusts the
// lengths it finds and calls what lies past them padding, which here is
// what a script added.
//
// A layer that could not be decoded at all (UDP port 53 bytes that are
// no DNS message) leaves no layer and its bytes are payload: the packet
// is fixed all the same. A layer kept with an error (TCP options cut
// short) is not fixed.
func (f *fixer) fix(data []byte) []byte {
	f.reg.Parse(&f.pkt, data, frame.ForIP(data))
	if len(f.pkt.Layers) == 0 || f.pkt.Err != nil && !undecodedAbove(&f.pkt) {
		return data
	}
	f.layers = f.layers[:0]
	for i := range f.pkt.Layers {
		l := &f.pkt.Layers[i]
		for _, name := range autoFields {
			if j, ok := l.Proto.Field(name); ok {
				l.Clear(j)
			}
		}
		f.layers = append(f.layers, l)
	}
	if rest := len(f.pkt.Payload) + len(f.pkt.Padding); rest > 0 {
		f.layers = append(f.layers, frame.Raw(data[len(data)-rest:]))
	}
	return append([]byte(nil), f.b.Build(f.layers)...)
}

// undecodedAbove reports whether p's error is about a layer after its
// last one, which decoding did not keep.
func undecodedAbove(p *frame.Packet) bool {
	var pe *frame.ParseError
	return errors.As(p.Err, &pe) && pe.Layer != p.Layers[len(p.Layers)-1].Proto.Name
}
