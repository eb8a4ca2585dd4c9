package packet

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"

	"github.com/netlua/netlua/luabind/frame"
)

// A VaryField says how a blast changes one field from frame to frame.
// Values run from Lo to Hi, inclusive: counting up and starting over
// (seq), or drawn at random. The checksums the field is under are kept
// right: the IPv4 header's, and the UDP, TCP or ICMP checksum of the
// transport header after the first IP header, pseudo-header included.
type VaryField struct {
	// Field is a named field (see VaryFields); empty for a byte offset.
	Field string
	// Offset is, for a byte offset, where the field starts in the frame,
	// from 0 (as tcpdump's ether[42]); Width is its size: 1, 2 or 4 bytes,
	// in network order, or 0 for the smallest that holds Hi.
	Offset, Width int
	Lo, Hi        uint32
	Random        bool // drawn at random rather than counted
	// FromFrame counts through the field's whole range from the value the
	// frame holds (Lo and Hi are ignored): ipv4.id counting on.
	FromFrame bool
}

// Name is how errors name the field: "udp.dport", or "[42]" for a byte
// offset, as a vary table in Lua writes it.
func (f *VaryField) Name() string {
	if f.Field == "" {
		return "[" + strconv.Itoa(f.Offset) + "]"
	}
	return f.Field
}

// A VaryError is a field a blast cannot vary as asked.
type VaryError struct {
	Field VaryField
	Msg   string
}

// Error reads `udp.dport: 1000-70000 does not fit the field's 2 bytes (0-65535)`.
func (e *VaryError) Error() string { return e.Field.Name() + ": " + e.Msg }

// namedField is where a named field lies: in the first header of proto
// (for a transport, the one right after the first IP header), at off.
type namedField struct {
	name       string
	proto      *frame.Proto
	off, width int
}

// namedFields are the fields a VaryField names, in the order errors list them.
var namedFields = [...]namedField{
	{"ipv4.src", frame.IPv4, 12, 4}, {"ipv4.dst", frame.IPv4, 16, 4},
	{"ipv4.id", frame.IPv4, 4, 2}, {"ipv4.ttl", frame.IPv4, 8, 1},
	{"udp.sport", frame.UDP, 0, 2}, {"udp.dport", frame.UDP, 2, 2},
	{"tcp.sport", frame.TCP, 0, 2}, {"tcp.dport", frame.TCP, 2, 2},
	{"tcp.seq", frame.TCP, 4, 4},
}

// VaryFields lists the names a VaryField takes.
func VaryFields() []string {
	names := make([]string, len(namedFields))
	for i, f := range namedFields {
		names[i] = f.name
	}
	return names
}

// ParseRange reads the values of a field from text: a network
// ("198.18.0.0/24", its every address), a range ("1000-2000",
// "198.18.0.1-198.18.0.9") or one value. Numbers may be hex (0x...).
func ParseRange(s string) (lo, hi uint32, err error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return 0, 0, fmt.Errorf("%q is not an IPv4 network such as 198.18.0.0/24", s)
		}
		lo = binary.BigEndian.Uint32(p.Masked().Addr().AsSlice())
		return lo, lo | uint32(uint64(1)<<(32-p.Bits())-1), nil
	}
	first, last, isRange := strings.Cut(s, "-")
	if lo, err = ParseValue(first); err != nil {
		return 0, 0, err
	}
	if !isRange {
		return lo, lo, nil
	}
	hi, err = ParseValue(last)
	return lo, hi, err
}

// ParseValue reads one value of a field: a number or an IPv4 address.
func ParseValue(s string) (uint32, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, ".:") {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return 0, fmt.Errorf("%q is not an IPv4 address", s)
		}
		return binary.BigEndian.Uint32(a.AsSlice()), nil
	}
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number from 0 to 4294967295 or an IPv4 address", s)
	}
	return uint32(v), nil
}

// sumRef is a checksum that a varied field is under: where it is, which
// of the field's bytes it covers (bit j for byte j) and whether the field
// starts at an odd offset of the checksummed data. A UDP checksum that
// comes out 0 is sent as 0xffff: 0 means none (RFC 768).
type sumRef struct {
	off  int
	mask uint8
	odd  bool
	udp  bool
}

// varyOp is a VaryField resolved in a frame.
type varyOp struct {
	off, width int
	lo         uint32
	span       uint64 // how many values
	next       uint64 // the next value counted, less lo
	step       uint64 // what next goes up by, less than span: 1, or a blast's workers (see stride)
	random     bool
	sums       [3]sumRef // the IPv4 header's; the transport's over its data and over the pseudo-header
	nsums      int
}

// A varier changes the fields of frames, in place, frame after frame.
type varier struct {
	ops []varyOp
	rng *rand.PCG
}

// newVarier resolves fields in frame, whose link header is header bytes
// long (14 on Ethernet, 0 for frames that start at the IP header).
func newVarier(data []byte, header int, fields []VaryField) (*varier, error) {
	lay := parseLayout(data, header)
	v := &varier{ops: make([]varyOp, 0, len(fields)), rng: rand.NewPCG(rand.Uint64(), rand.Uint64())}
	for i := range fields {
		op, err := lay.resolve(data, &fields[i])
		if err != nil {
			return nil, &VaryError{Field: fields[i], Msg: err.Error()}
		}
		v.ops = append(v.ops, op)
	}
	return v, nil
}

// resolve finds where f lies in data and which checksums it is under.
func (lay *layout) resolve(data []byte, f *VaryField) (varyOp, error) {
	off, width, err := lay.place(data, f)
	if err != nil {
		return varyOp{}, err
	}
	top := uint64(1)<<(8*width) - 1
	lo, hi := uint64(f.Lo), uint64(f.Hi)
	if f.FromFrame {
		lo, hi = 0, top
	}
	switch {
	case lo > hi:
		return varyOp{}, fmt.Errorf("the range %d-%d starts after it ends", lo, hi)
	case hi > top:
		return varyOp{}, fmt.Errorf("%d-%d does not fit the field's %d bytes (0-%d)", lo, hi, width, top)
	}
	op := varyOp{off: off, width: width, lo: uint32(lo), span: hi - lo + 1, step: 1 % (hi - lo + 1), random: f.Random}
	if f.FromFrame {
		op.next = uint64(readField(data[off:], width)) // lo is 0
	}
	lay.sums(&op)
	return op, nil
}

// place is where f lies in data and how wide it is.
func (lay *layout) place(data []byte, f *VaryField) (off, width int, err error) {
	if f.Field == "" {
		width = f.Width
		if width == 0 {
			width = widthOf(f.Hi)
		}
		if width != 1 && width != 2 && width != 4 {
			return 0, 0, fmt.Errorf("width is %d: give 1, 2 or 4 bytes", width)
		}
		if f.Offset < 0 || f.Offset+width > len(data) {
			return 0, 0, fmt.Errorf("bytes %d-%d are beyond the %d-byte frame", f.Offset, f.Offset+width-1, len(data))
		}
		return f.Offset, width, nil
	}
	for _, n := range namedFields {
		if n.name != f.Field {
			continue
		}
		at, proto := lay.ip, lay.ipProto
		if n.proto != frame.IPv4 {
			at, proto = lay.l4, lay.l4Proto
		}
		if proto != n.proto {
			return 0, 0, fmt.Errorf("the frame has no %s header%s", n.proto.Name, where(n.proto))
		}
		return at + n.off, n.width, nil
	}
	return 0, 0, fmt.Errorf("unknown field, have: %s, or a byte offset", strings.Join(VaryFields(), ", "))
}

// widthOf is the fewest bytes, 1, 2 or 4, that hold v.
func widthOf(v uint32) int {
	switch {
	case v <= 0xff:
		return 1
	case v <= 0xffff:
		return 2
	}
	return 4
}

// where says which header a named field of proto is looked for in.
func where(proto *frame.Proto) string {
	if proto == frame.IPv4 {
		return ""
	}
	return " right after the first IP header"
}

// value is the op's next value.
func (op *varyOp) value(rng *rand.PCG) uint32 {
	if op.random {
		hi, _ := bits.Mul64(rng.Uint64(), op.span) // Lemire's bounded draw; its bias is under span/2^64
		return op.lo + uint32(hi)
	}
	v := op.lo + uint32(op.next)
	if op.next += op.step; op.next >= op.span {
		op.next -= op.span
	}
	return v
}

// apply writes the next values into b, a copy of the frame the varier was
// made for, and updates its checksums incrementally (RFC 1624, eqn. 3):
// that costs the same whatever the frame's length, and keeps a checksum
// that was wrong on purpose as wrong as it was.
func (v *varier) apply(b []byte) {
	for i := range v.ops {
		op := &v.ops[i]
		val := op.value(v.rng)
		p := b[op.off : op.off+op.width]
		old := readField(p, op.width)
		if old == val {
			continue
		}
		writeField(p, op.width, val)
		for j := range op.nsums {
			s := &op.sums[j]
			d := change(old, val, op.width, s.mask, s.odd)
			ck := adjust(binary.BigEndian.Uint16(b[s.off:]), d)
			if ck == 0 && s.udp {
				ck = 0xffff
			}
			binary.BigEndian.PutUint16(b[s.off:], ck)
		}
	}
}

// readField reads a big-endian field of width 1, 2 or 4 bytes.
func readField(p []byte, width int) uint32 {
	switch width {
	case 1:
		return uint32(p[0])
	case 2:
		return uint32(binary.BigEndian.Uint16(p))
	}
	return binary.BigEndian.Uint32(p)
}

// writeField writes a big-endian field of width 1, 2 or 4 bytes.
func writeField(p []byte, width int, v uint32) {
	switch width {
	case 1:
		p[0] = byte(v)
	case 2:
		binary.BigEndian.PutUint16(p, uint16(v))
	default:
		binary.BigEndian.PutUint32(p, v)
	}
}

// words is the one's complement sum, folded to 16 bits, that the bytes
// of v in mask add to a checksum when the field starts at an even or odd
// offset of the data summed.
func words(v uint32, width int, mask uint8, odd bool) uint32 {
	var s uint32
	if mask == 1<<width-1 && !odd {
		switch width {
		case 1:
			return v << 8
		case 2:
			return v
		}
		s = v>>16 + v&0xffff
	} else {
		for j := range width {
			if mask&(1<<j) == 0 {
				continue
			}
			c := v >> (8 * (width - 1 - j)) & 0xff
			if (j&1 == 0) != odd {
				c <<= 8
			}
			s += c
		}
	}
	return s&0xffff + s>>16
}

// change is ~m + m' of RFC 1624's eqn. 3 for the bytes of a field that
// go from old to new.
func change(old, new uint32, width int, mask uint8, odd bool) uint32 {
	return ^words(old, width, mask, odd)&0xffff + words(new, width, mask, odd)
}

// adjust is checksum ck changed by d, a change: HC' = ~(~HC + ~m + m')
// of RFC 1624 (eqn. 3).
func adjust(ck uint16, d uint32) uint16 {
	s := uint32(^ck) + d
	s = s&0xffff + s>>16
	s = s&0xffff + s>>16
	return ^uint16(s)
}

// stride makes v give worker k of n's share of the values a single
// varier would give: every n-th value of each counted field, starting
// from the k-th. Fields drawn at random stay random.
func (v *varier) stride(k, n int) {
	for i := range v.ops {
		op := &v.ops[i]
		if op.random {
			continue
		}
		op.next = (op.next + uint64(k)) % op.span
		op.step = uint64(n) % op.span
	}
}
