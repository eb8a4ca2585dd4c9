package frame

import (
	"errors"
	"fmt"
)

// maxLayers bounds the layers of one frame, so that a protocol bound on
// itself cannot make a frame of thousands of layers.
const maxLayers = 64

// A Packet is a parsed frame: its layers in order (a repeated layer, as in
// QinQ, appears twice), the payload no layer decoded, the padding after
// the end that a length field gave, and, when decoding stopped early, why.
// Its byte slices share the memory of the parsed data.
type Packet struct {
	Layers  []Layer
	Payload []byte
	Padding []byte
	Err     error
}

// A ParseError says where and why decoding stopped.
type ParseError struct {
	Layer  string // the protocol being decoded
	Offset int    // where its header starts
	Err    error
}

// Error reads "tcp at byte 34: truncated header: 7 of 20 bytes".
func (e *ParseError) Error() string {
	return fmt.Sprintf("%s at byte %d: %v", e.Layer, e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// Layer returns the first layer called name, or nil.
func (p *Packet) Layer(name string) *Layer {
	for i := range p.Layers {
		if p.Layers[i].Proto.Name == name {
			return &p.Layers[i]
		}
	}
	return nil
}

// Parse decodes data as a frame of the built-in protocols, from Ethernet.
func Parse(data []byte) *Packet {
	p := new(Packet)
	builtin.Parse(p, data, Ether)
	return p
}

// Parse decodes data into p, starting with protocol first, and reuses p's
// memory. It never fails: what it cannot decode is left in p.Payload, and
// p.Err says why. Like Scapy, it trusts length fields to end a layer's
// payload (what follows is p.Padding), and decodes no further than an
// IPv4 fragment that is not the first.
func (r *Registry) Parse(p *Packet, data []byte, first *Proto) {
	p.Layers, p.Err = p.Layers[:0], nil
	off, end, quote := 0, len(data), false
	if end == 0 && first != nil {
		p.Err = &ParseError{first.Name, 0, errors.New("empty frame: no bytes to decode")}
	}
	for proto := first; proto != nil && proto.decode != nil && off < end; {
		if len(p.Layers) == maxLayers {
			p.Err = &ParseError{proto.Name, off, fmt.Errorf("more than %d layers", maxLayers)}
			break
		}
		if proto.dispatch != nil {
			proto = proto.dispatch(data[off:end])
		}
		p.Layers = append(p.Layers, proto.defaults)
		l := &p.Layers[len(p.Layers)-1]
		res, err := proto.decode(l, data[off:end])
		if res.hdr == 0 {
			p.Layers = p.Layers[:len(p.Layers)-1]
			// A quote ends where the error's sender cut it; no error is
			// data that is not the protocol (a DHCPv6 port, no DHCPv6
			// message type): the payload, as Scapy's Raw.
			if !quote && err != nil {
				p.Err = &ParseError{proto.Name, off, err}
			}
			break
		}
		quote = quote || res.quote
		l.givenAll()
		if res.end >= res.hdr {
			end = off + res.end
		}
		off += res.hdr
		if err != nil {
			p.Err = &ParseError{proto.Name, off - res.hdr, err}
			break
		}
		if res.stop {
			break
		}
		if proto = res.next; proto == nil {
			proto = r.next(l)
		}
	}
	p.Payload, p.Padding = data[off:end], data[end:]
}

// ForIP returns IPv6 for data that starts with an IPv6 header's version
// nibble, else IPv4: the first protocol of a packet from a raw IP socket.
func ForIP(data []byte) *Proto {
	if len(data) > 0 && data[0]>>4 == 6 {
		return IPv6
	}
	return IPv4
}
