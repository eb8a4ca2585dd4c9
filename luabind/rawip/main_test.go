package rawip

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }

// openIn opens a raw socket in e's namespace, closed when the test ends.
func openIn(t testing.TB, e *lab.End, cfg Config) *Socket {
	t.Helper()
	cfg.NetNS = e.NetNS()
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// echoRequest is an ICMP echo request (type 8, or 128 for ICMPv6) with
// id, seq and 56 bytes of data; the checksum is right for ICMPv4, and the
// kernel computes ICMPv6's.
func echoRequest(typ byte, id, seq uint16) []byte {
	b := make([]byte, 64)
	b[0] = typ
	b[4], b[5], b[6], b[7] = byte(id>>8), byte(id), byte(seq>>8), byte(seq)
	for i := 8; i < len(b); i++ {
		b[i] = byte(i)
	}
	var sum uint32
	for i := 0; i < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	c := ^uint16(sum)
	b[2], b[3] = byte(c>>8), byte(c)
	return b
}

var icmp = unix.IPPROTO_ICMP
