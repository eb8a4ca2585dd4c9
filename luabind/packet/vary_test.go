package packet

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/frame"
)

// layer is a layer of proto with fields set from name, value pairs.
func layer(t testing.TB, proto *frame.Proto, kv ...any) *frame.Layer {
	t.Helper()
	l := frame.NewLayer(proto)
	for i := 0; i < len(kv); i += 2 {
		if err := l.Set(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// ether is the Ethernet header of the test frames.
func ether(t testing.TB) *frame.Layer {
	return layer(t, frame.Ether, "src", "02:00:00:00:00:01", "dst", "02:00:00:00:00:02")
}

// udpFrame is a 60-byte UDP frame, 198.18.0.1:4000 to 198.18.0.2:5000.
func udpFrame(t testing.TB) []byte { return udpFrameOf(t, []byte("payload of 18 byte")) }

// udpFrameOf is udpFrame with another payload.
func udpFrameOf(t testing.TB, payload []byte) []byte {
	return frame.Build(ether(t),
		layer(t, frame.IPv4, "src", "198.18.0.1", "dst", "198.18.0.2", "id", 7),
		layer(t, frame.UDP, "sport", 4000, "dport", 5000),
		frame.Raw(payload))
}

// The frames vary is tested on: each kind of header it knows.
func testFrames(t testing.TB) map[string][]byte {
	payload := frame.Raw([]byte("some payload, an odd 31 bytes."))
	ip := func() *frame.Layer { return layer(t, frame.IPv4, "src", "198.18.0.1", "dst", "198.18.0.2") }
	return map[string][]byte{
		"udp": udpFrame(t),
		"tcp": frame.Build(ether(t), ip(), layer(t, frame.TCP, "sport", 4000, "dport", 80, "seq", 1000), payload),
		"vlan+options": frame.Build(ether(t), layer(t, frame.VLAN, "vid", 5),
			layer(t, frame.IPv4, "src", "198.18.0.1", "dst", "198.18.0.2", "options", "\x01\x01\x01\x00"),
			layer(t, frame.UDP, "sport", 1, "dport", 2), payload),
		"icmp": frame.Build(ether(t), ip(), layer(t, frame.ICMPv4, "id", 3, "seq", 4), payload),
		"ipv6+udp": frame.Build(ether(t), layer(t, frame.IPv6, "src", "2001:db8::1", "dst", "2001:db8::2"),
			layer(t, frame.UDP, "sport", 1, "dport", 2), payload),
	}
}

// rebuilt is data parsed and built again with every checksum left to the
// frame module: equal to data when data's checksums are right. The layers
// of an ICMP error's quote (a changed ICMP type can make one) keep theirs:
// to vary, and to the ICMP checksum, the quote is payload.
func rebuilt(t testing.TB, data []byte) []byte {
	t.Helper()
	p := frame.Parse(data)
	// Varied bytes may make the transport's payload look like more layers
	// (a UDP port of a tunnel, an ICMP type whose quote they are not), so
	// what is above the first transport header stays payload bytes, and
	// a decoding error up there is no concern of the checksums.
	payload := p.Payload
	layers := make([]*frame.Layer, 0, len(p.Layers)+1)
	for i := range p.Layers {
		l := &p.Layers[i]
		if j, ok := l.Proto.Field("chksum"); ok {
			l.Clear(j)
		}
		layers = append(layers, l)
		if isTransport(l.Proto) {
			if i+1 < len(p.Layers) || p.Err != nil {
				payload = data[len(frame.Build(layers...)) : len(data)-len(p.Padding)]
			}
			return append(frame.Build(append(layers, frame.Raw(payload))...), p.Padding...)
		}
	}
	if p.Err != nil {
		t.Fatalf("parse: %v", p.Err)
	}
	return append(frame.Build(append(layers, frame.Raw(payload))...), p.Padding...)
}

// isTransport reports whether p is a transport header, whose checksum
// covers all that follows it.
func isTransport(p *frame.Proto) bool {
	return p == frame.UDP || p == frame.TCP || p == frame.ICMPv4 || p == frame.ICMPv6
}

// Whatever changes, the checksums stay right: each frame kind, fields in
// every header, at odd and even offsets, 1, 2 and 4 bytes wide, counted
// and random, checked against the frame module's own checksums.
func TestVaryChecksums(t *testing.T) {
	for name, data := range testFrames(t) {
		lay := parseLayout(data, 14)
		fields := []VaryField{
			{Offset: lay.ip + 1, Width: 1, Hi: 0xff, Random: true},               // odd: ipv4.tos, under its checksum only
			{Offset: lay.ip + lay.ipHdr - 1, Width: 2, Hi: 0xffff, Random: true}, // across the IP and transport headers
			{Offset: len(data) - 3, Lo: 0, Hi: 255},                              // the payload's odd end
			{Offset: len(data) - 6, Width: 2, Lo: 100, Hi: 60000, Random: true},
			{Offset: len(data) - 5, Width: 4, Hi: 1<<32 - 1, Random: true}, // overlapping the one before
		}
		if lay.ipProto == frame.IPv4 {
			fields = append(fields, VaryField{Field: "ipv4.src", Lo: 0xc6120000, Hi: 0xc61200ff, Random: true},
				VaryField{Field: "ipv4.id", FromFrame: true}, VaryField{Field: "ipv4.ttl", Lo: 1, Hi: 255})
		}
		if lay.l4Proto == frame.UDP || lay.l4Proto == frame.TCP {
			fields = append(fields, VaryField{Field: lay.l4Proto.Name + ".dport", Lo: 0, Hi: 0xffff, Random: true})
		}
		v, err := newVarier(data, 14, fields)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b := bytes.Clone(data)
		for i := range 20000 {
			v.apply(b)
			if want := rebuilt(t, b); !bytes.Equal(b, want) {
				t.Fatalf("%s, frame %d: checksums wrong\n got % x\nwant % x", name, i, b, want)
			}
		}
	}
}

// RFC 1624's example of eqn. 3: a field from 0x5555 to 0x3285 under
// the checksum 0xdd2f makes 0x0000.
func TestAdjustRFC1624(t *testing.T) {
	if got := adjust(0xdd2f, change(0x5555, 0x3285, 2, 3, false)); got != 0x0000 {
		t.Errorf("adjust = %#04x, want 0x0000", got)
	}
}

// A UDP checksum of 0 means none, and stays so.
func TestVaryNoUDPChecksum(t *testing.T) {
	data := udpFrame(t)
	binary.BigEndian.PutUint16(data[40:], 0)
	v, err := newVarier(data, 14, []VaryField{{Field: "udp.dport", Lo: 1, Hi: 9}, {Field: "ipv4.dst", Lo: 1, Hi: 9}})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		v.apply(data)
		if ck := binary.BigEndian.Uint16(data[40:]); ck != 0 {
			t.Fatalf("UDP checksum %#04x, want 0 (none)", ck)
		}
	}
}

// A UDP checksum that comes out 0 goes as 0xffff (RFC 768), as the frame
// module makes it.
func TestVaryUDPChecksumFFFF(t *testing.T) {
	data := udpFrame(t)
	for dport := range 0x10000 {
		binary.BigEndian.PutUint16(data[36:], uint16(dport))
		if want := rebuilt(t, data); binary.BigEndian.Uint16(want[40:]) == 0xffff {
			data = udpFrame(t)
			v, err := newVarier(data, 14, []VaryField{{Field: "udp.dport", Lo: uint32(dport), Hi: uint32(dport)}})
			if err != nil {
				t.Fatal(err)
			}
			if v.apply(data); !bytes.Equal(data, want) {
				t.Errorf("dport %d:\n got % x\nwant % x", dport, data, want)
			}
			return
		}
	}
	t.Fatal("no dport makes the checksum 0xffff")
}

// varied returns field f of n frames varied in turn.
func varied(t *testing.T, data []byte, f VaryField, n int) []uint32 {
	t.Helper()
	v, err := newVarier(data, 14, []VaryField{f})
	if err != nil {
		t.Fatal(err)
	}
	op := v.ops[0]
	var got []uint32
	for range n {
		v.apply(data)
		got = append(got, readField(data[op.off:], op.width))
	}
	return got
}

func TestVaryValues(t *testing.T) {
	data := udpFrame(t) // ipv4.id 7
	check := func(name string, got, want []uint32) {
		t.Helper()
		if !equal(got, want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	check("seq", varied(t, data, VaryField{Field: "udp.dport", Lo: 1000, Hi: 1002}, 7), []uint32{1000, 1001, 1002, 1000, 1001, 1002, 1000})
	check("from the frame", varied(t, data, VaryField{Field: "ipv4.id", FromFrame: true}, 3), []uint32{7, 8, 9})
	check("wraps", varied(t, data, VaryField{Offset: 50, Width: 1, FromFrame: false, Lo: 254, Hi: 255}, 3), []uint32{254, 255, 254})
	check("one value", varied(t, data, VaryField{Field: "ipv4.dst", Lo: 0xc6120009, Hi: 0xc6120009}, 2), []uint32{0xc6120009, 0xc6120009})

	seen := map[uint32]int{}
	for _, v := range varied(t, data, VaryField{Field: "udp.sport", Lo: 100, Hi: 115, Random: true}, 3200) {
		if v < 100 || v > 115 {
			t.Fatalf("random value %d out of 100-115", v)
		}
		seen[v]++
	}
	for v := uint32(100); v <= 115; v++ {
		if seen[v] < 100 || seen[v] > 300 { // 200 expected of each
			t.Errorf("random value %d came %d times in 3200, want about 200", v, seen[v])
		}
	}
}

func equal(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The width of a byte offset, when not given, is the fewest bytes that
// hold the range's top.
func TestVaryWidth(t *testing.T) {
	for _, tt := range []struct {
		hi   uint32
		want int
	}{{1, 1}, {255, 1}, {256, 2}, {65535, 2}, {65536, 4}, {1<<32 - 1, 4}} {
		v, err := newVarier(udpFrame(t), 14, []VaryField{{Offset: 42, Hi: tt.hi}})
		if err != nil || v.ops[0].width != tt.want {
			t.Errorf("hi %d: %v, width %d, want %d", tt.hi, err, v.ops[0].width, tt.want)
		}
	}
}

func TestVaryErrors(t *testing.T) {
	v6 := testFrames(t)["ipv6+udp"]
	tests := []struct {
		data  []byte
		field VaryField
		want  string
	}{
		{nil, VaryField{Field: "udp.dprt", Hi: 1}, "udp.dprt: unknown field, have: ipv4.src, ipv4.dst, ipv4.id, ipv4.ttl, udp.sport, udp.dport, tcp.sport, tcp.dport, tcp.seq, or a byte offset"},
		{nil, VaryField{Field: "udp.dport", Lo: 1000, Hi: 70000}, "udp.dport: 1000-70000 does not fit the field's 2 bytes (0-65535)"},
		{nil, VaryField{Field: "udp.dport", Lo: 2000, Hi: 1000}, "udp.dport: the range 2000-1000 starts after it ends"},
		{nil, VaryField{Field: "tcp.dport", Hi: 1}, "tcp.dport: the frame has no tcp header right after the first IP header"},
		{v6, VaryField{Field: "ipv4.src", Hi: 1}, "ipv4.src: the frame has no ipv4 header"},
		{nil, VaryField{Offset: 59, Width: 2, Hi: 1}, "[59]: bytes 59-60 are beyond the 60-byte frame"},
		{nil, VaryField{Offset: 10, Width: 3, Hi: 1}, "[10]: width is 3: give 1, 2 or 4 bytes"},
		{nil, VaryField{Offset: 10, Width: 1, Hi: 256}, "[10]: 0-256 does not fit the field's 1 bytes (0-255)"},
	}
	for _, tt := range tests {
		if tt.data == nil {
			tt.data = udpFrame(t)
		}
		_, err := newVarier(tt.data, 14, []VaryField{tt.field})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%+v: got %v\nwant %s", tt.field, err, tt.want)
		}
	}
}

func TestParseRange(t *testing.T) {
	tests := []struct {
		in     string
		lo, hi uint32
		err    string
	}{
		{"198.18.0.0/24", 0xc6120000, 0xc61200ff, ""},
		{"198.18.3.7/24", 0xc6120300, 0xc61203ff, ""},
		{"198.18.0.9/32", 0xc6120009, 0xc6120009, ""},
		{"0.0.0.0/0", 0, 1<<32 - 1, ""},
		{"1000-2000", 1000, 2000, ""},
		{"1000 - 0x7d0", 1000, 2000, ""},
		{"198.18.0.1-198.18.0.9", 0xc6120001, 0xc6120009, ""},
		{"53", 53, 53, ""},
		{"2001:db8::/64", 0, 0, "not an IPv4 network"},
		{"2001:db8::1-2001:db8::2", 0, 0, "not an IPv4 address"},
		{"1000-x", 0, 0, `"x" is not a number`},
		{"5000000000", 0, 0, "not a number from 0 to 4294967295"},
	}
	for _, tt := range tests {
		lo, hi, err := ParseRange(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: %v, want an error with %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || lo != tt.lo || hi != tt.hi {
			t.Errorf("%q: %#x-%#x, %v; want %#x-%#x", tt.in, lo, hi, err, tt.lo, tt.hi)
		}
	}
}
