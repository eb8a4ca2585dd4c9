package frame

import "math/rand/v2"

// Fuzz returns a copy of l marked fuzzed, as Scapy's fuzz(): each time
// a Builder builds it, its fields that are neither given nor auto take a
// fresh random value drawn from r. Given fields stay as given, and auto
// fields (lengths, checksums) are still computed, so the frame stays
// well formed where it can. Byte strings and lists keep their default.
// The layers of one frame may share r; a seeded r makes builds repeat.
func Fuzz(l *Layer, r *rand.Rand) *Layer {
	c := *l
	c.fuzz = r
	return &c
}

// Fuzzed reports whether l draws random values when it is built.
func (l *Layer) Fuzzed() bool { return l.fuzz != nil }

// draw gives l's fuzzed fields random values of their kind, in field
// order, so that a seeded source gives the same frames. The values are
// defaults, not given: a binding to the next layer still sets its field
// (Ether's type over IPv4), as Scapy's overloaded fields win over fuzz.
func (l *Layer) draw() {
	r := l.fuzz
	for i := range l.Proto.Fields {
		f := &l.Proto.Fields[i]
		if l.Given(i) || f.Auto || f.Shared {
			continue
		}
		switch f.Kind {
		case Uint, IPFlags, TCPFlags:
			l.num[f.slot] = r.Uint64() & f.max()
		case MAC:
			l.num[f.slot] = r.Uint64() & (1<<48 - 1)
		case IPv4Addr:
			l.num[f.slot] = uint64(r.Uint32())
		case IPv6Addr:
			l.num[f.slot], l.num[f.slot+1] = r.Uint64(), r.Uint64()
		case IPAddr:
			if _, _, raw := l.rawAddr(i); raw {
				continue // an ARP address of odd length: its bytes stay
			}
			if l.isMapped4(f) { // keeps its family, as ARP's plen says
				l.num[f.slot+1] = 0xffff<<32 | uint64(r.Uint32())
			} else {
				l.num[f.slot], l.num[f.slot+1] = r.Uint64(), r.Uint64()
			}
		}
	}
}

// drawFuzz returns layers with each fuzzed layer replaced by a copy of
// it, kept in the Builder, whose fields took fresh random values; layers
// itself when none is fuzzed.
func (b *Builder) drawFuzz(layers []*Layer) []*Layer {
	fuzzed := false
	for _, l := range layers {
		fuzzed = fuzzed || l.fuzz != nil
	}
	if !fuzzed {
		return layers
	}
	if cap(b.fuzzed) < len(layers) {
		b.fuzzed = make([]Layer, len(layers))
	}
	b.fuzzList = b.fuzzList[:0]
	for i, l := range layers {
		if l.fuzz == nil {
			b.fuzzList = append(b.fuzzList, l)
			continue
		}
		c := &b.fuzzed[:len(layers)][i]
		*c = *l
		c.draw()
		b.fuzzList = append(b.fuzzList, c)
	}
	return b.fuzzList
}
