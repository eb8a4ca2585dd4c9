package rewrite

import (
	"net"
	"net/netip"
	"testing"
)

// frameV4 is Ether/IPv4/UDP with a payload, in 198.18.0.0/24.
var frameV4 = []byte{
	0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
	0x45, 0, 0, 33, 0, 1, 0, 0, 64, 17, 0, 0, 198, 18, 0, 7, 198, 18, 0, 9,
	0x13, 0x88, 0, 53, 0, 13, 0, 0, 'h', 'e', 'l', 'l', 'o',
}

func allOptions() Options {
	return Options{
		SrcMAC: net.HardwareAddr{2, 0xaa, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0xbb, 0, 0, 0, 2},
		IPMap:   []Mapping{{netip.MustParsePrefix("198.18.0.0/24"), netip.MustParsePrefix("198.19.0.0/24")}},
		PortMap: []PortMapping{{53, 5353}}, TTL: 9, FixChecksums: true,
	}
}

// Rewriting a frame allocates nothing: a replay rewrites every frame.
func TestFrameAllocs(t *testing.T) {
	r, err := New(allOptions())
	if err != nil {
		t.Fatal(err)
	}
	f := append([]byte(nil), frameV4...)
	if n := testing.AllocsPerRun(100, func() { r.Frame(f) }); n != 0 {
		t.Errorf("Frame allocates %v times a frame", n)
	}
}

// Bad options are errors; a short frame is one too.
func TestBadOptions(t *testing.T) {
	for _, opt := range []Options{
		{SrcMAC: net.HardwareAddr{1, 2, 3}},
		{TTL: 256},
		{IPMap: []Mapping{{netip.MustParsePrefix("198.18.0.0/24"), netip.MustParsePrefix("2001:2::/64")}}},
		{IPMap: []Mapping{{}}},
	} {
		if _, err := New(opt); err == nil {
			t.Errorf("New(%+v) did not fail", opt)
		}
	}
	r, _ := New(Options{})
	if err := r.Frame(make([]byte, 13)); err != ErrShort {
		t.Errorf("a 13-byte frame: %v, want ErrShort", err)
	}
}

func BenchmarkFrame(b *testing.B) {
	r, err := New(allOptions())
	if err != nil {
		b.Fatal(err)
	}
	f := append([]byte(nil), frameV4...)
	b.ReportAllocs()
	for b.Loop() {
		r.Frame(f)
	}
}
