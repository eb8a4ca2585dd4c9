package nfqueue

import (
	"bytes"
	"testing"

	"github.com/netlua/netlua/luabind/frame"
)

// packetOf builds an IP packet over proto with payload, every length and
// checksum computed by frame's builder.
func packetOf(t *testing.T, ip, proto *frame.Proto, src, dst, payload string) []byte {
	t.Helper()
	l3, l4 := frame.NewLayer(ip), frame.NewLayer(proto)
	for name, v := range map[string]string{"src": src, "dst": dst} {
		if err := l3.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := l4.Set("dport", 80); err != nil {
		t.Fatal(err)
	}
	return frame.Build(l3, l4, frame.Raw([]byte(payload)))
}

// A script that edits a packet's bytes gets its lengths and checksums
// made right, whatever the length of its edit. The UDP packets leave
// their source port 53, DNS's, and carry no DNS message: fix mends them
// all the same.
func TestFixRecomputesLengthsAndChecksums(t *testing.T) {
	tests := []struct {
		name          string
		ip, proto     *frame.Proto
		src, dst      string
		before, after string
	}{
		{"tcp, same length", frame.IPv4, frame.TCP, "198.18.0.1", "198.18.0.2", "GET / HTTP/1.1", "GET / XTTP/1.1"},
		{"tcp, longer", frame.IPv4, frame.TCP, "198.18.0.1", "198.18.0.2", "GET / HTTP/1.1", "GET / HTTP/1.1 and more"},
		{"udp, shorter", frame.IPv4, frame.UDP, "198.18.0.1", "198.18.0.2", "hello world", "hi"},
		{"ipv6 udp, longer", frame.IPv6, frame.UDP, "2001:db8::1", "2001:db8::2", "hello", "hello again"},
	}
	f := newFixer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := packetOf(t, tt.ip, tt.proto, tt.src, tt.dst, tt.before)
			want := packetOf(t, tt.ip, tt.proto, tt.src, tt.dst, tt.after)
			edited := append(orig[:len(orig)-len(tt.before):len(orig)-len(tt.before)], tt.after...)
			if got := f.fix(edited); !bytes.Equal(got, want) {
				t.Errorf("fixed\n%x\nwant\n%x", got, want)
			}
		})
	}
}

// Bytes that are no IP packet come back as they are.
func TestFixLeavesWhatItCannotRead(t *testing.T) {
	junk := bytes.Repeat([]byte{0xff}, 24)
	if got := newFixer().fix(junk); !bytes.Equal(got, junk) {
		t.Errorf("fix changed junk: %x", got)
	}
}
