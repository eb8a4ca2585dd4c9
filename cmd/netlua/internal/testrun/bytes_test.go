package testrun

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/testlab"
)

// layer is a layer of p with fields given as name, value pairs.
func layer(t *testing.T, p *frame.Proto, kv ...any) *frame.Layer {
	t.Helper()
	l := frame.NewLayer(p)
	for i := 0; i < len(kv); i += 2 {
		if err := l.Set(kv[i].(string), kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

func TestBytesDiffNamesTheField(t *testing.T) {
	ether := func() *frame.Layer {
		return layer(t, frame.Ether, "src", "02:00:00:00:00:01", "dst", "02:00:00:00:00:02")
	}
	ip := func(kv ...any) *frame.Layer {
		return layer(t, frame.IPv4, append([]any{"src", "198.18.0.1", "dst", "198.18.0.2"}, kv...)...)
	}
	ip6 := func(kv ...any) *frame.Layer {
		return layer(t, frame.IPv6, append([]any{"src", "2001:db8::1", "dst", "2001:db8::2"}, kv...)...)
	}
	udp := func() *frame.Layer { return layer(t, frame.UDP, "sport", 4000, "dport", 5000) }
	udp0 := func() *frame.Layer { return layer(t, frame.UDP, "sport", 4000, "dport", 5000, "chksum", 0) }
	arp := func(pdst string) *frame.Layer {
		return layer(t, frame.ARP, "hwsrc", "02:00:00:00:00:01", "psrc", "198.18.0.1", "pdst", pdst)
	}
	tests := []struct {
		name      string
		got, want []*frame.Layer
		field     string
	}{
		{"ttl", []*frame.Layer{ether(), ip("ttl", 63), udp()}, []*frame.Layer{ether(), ip("ttl", 64), udp()}, "ipv4.ttl"},
		{"tos", []*frame.Layer{ether(), ip("tos", 4), udp()}, []*frame.Layer{ether(), ip(), udp()}, "ipv4.tos"},
		{"mac", []*frame.Layer{layer(t, frame.Ether, "dst", "02:00:00:00:00:09"), ip()}, []*frame.Layer{ether(), ip()}, "ether.dst"},
		{"tcp flags span a byte", []*frame.Layer{ether(), ip(), layer(t, frame.TCP, "flags", "SA")}, []*frame.Layer{ether(), ip(), layer(t, frame.TCP, "flags", "S")}, "tcp.flags"},
		{"checksum before payload", []*frame.Layer{ether(), ip(), udp(), frame.Raw([]byte("hellO"))}, []*frame.Layer{ether(), ip(), udp(), frame.Raw([]byte("hello"))}, "udp.chksum"},
		{"payload", []*frame.Layer{ether(), ip(), udp0(), frame.Raw([]byte("hellO"))}, []*frame.Layer{ether(), ip(), udp0(), frame.Raw([]byte("hello"))}, "payload"},
		{"want longer", []*frame.Layer{ether(), ip(), udp()}, []*frame.Layer{ether(), ip(), udp(), frame.Raw([]byte("x"))}, "ipv4.len"},
		{"raw IPv4 packet", []*frame.Layer{ip("ttl", 1), udp()}, []*frame.Layer{ip("ttl", 2), udp()}, "ipv4.ttl"},
		{"raw IPv6 packet", []*frame.Layer{ip6("hlim", 1), udp()}, []*frame.Layer{ip6("hlim", 2), udp()}, "ipv6.hlim"},
		{"ipv6 dst", []*frame.Layer{ether(), ip6("dst", "2001:db8::3"), udp()}, []*frame.Layer{ether(), ip6(), udp()}, "ipv6.dst"},
		{"arp", []*frame.Layer{ether(), arp("198.18.0.3")}, []*frame.Layer{ether(), arp("198.18.0.2")}, "arp.pdst"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := bytesFailure("x_test.lua:3", "", frame.Build(tt.got...), frame.Build(tt.want...))
			if want := "(" + tt.field + ")"; !strings.HasSuffix(f.Message, want) {
				t.Errorf("message %q does not end in %q", f.Message, want)
			}
			if !strings.HasPrefix(f.Message, "x_test.lua:3: t:bytes: first difference at byte ") {
				t.Errorf("message %q lacks the place and offset", f.Message)
			}
		})
	}
}

func TestBytesDiffOfNoFrame(t *testing.T) {
	f := bytesFailure("x_test.lua:3", "greeting", []byte("hello world, how are you"), []byte("hello there, how are you"))
	if f.Message != "x_test.lua:3: greeting" {
		t.Errorf("message %q, want the caller's place and message", f.Message)
	}
	want := []string{
		"at byte 6: got 77, want 74",
		"got:  0000  68 65 6c 6c 6f 20 77 6f 72 6c 64 2c 20 68 6f 77",
		"want: 0000  68 65 6c 6c 6f 20 74 68 65 72 65 2c 20 68 6f 77",
		"                              ^^",
	}
	if strings.Join(f.Detail, "\n") != strings.Join(want, "\n") {
		t.Errorf("detail:\n%s\nwant:\n%s", strings.Join(f.Detail, "\n"), strings.Join(want, "\n"))
	}
	if field := diffField([]byte("hello world"), []byte("hello there"), 6); field != "" {
		t.Errorf("text that is no frame has field %q", field)
	}
}

// The field widths fieldAt adds up must cover exactly the headers the
// parser decoded, for every frame of the Scapy vectors.
func TestFieldWidthsCoverTheHeaders(t *testing.T) {
	checked := 0
	for _, name := range []string{"frames.json", "scapy_extra.json", "scapy_icmp.json"} {
		data, err := os.ReadFile(filepath.Join(testlab.Root(), "luabind/frame/testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		var vectors []struct {
			Name string `json:"name"`
			Hex  string `json:"hex"`
		}
		if err := json.Unmarshal(data, &vectors); err != nil {
			t.Fatal(err)
		}
		for _, v := range vectors {
			b, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatal(err)
			}
			if p := frame.Parse(b); p.Err == nil {
				checked++
				if bits := headerBits(p); bits != 8*len(b) {
					t.Errorf("%s: fields, payload and padding are %d bits, the frame %d", v.Name, bits, 8*len(b))
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d vectors parse without error", checked)
	}
}

// headerBits is the width of p's fields, payload and padding.
func headerBits(p *frame.Packet) int {
	bits := 8 * (len(p.Payload) + len(p.Padding))
	for i := range p.Layers {
		for f := range p.Layers[i].Proto.Fields {
			bits += p.Layers[i].WireBits(f)
		}
	}
	return bits
}
