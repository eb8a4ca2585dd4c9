package inet

import (
	"context"
	"net/netip"
	"testing"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }

// tcpPair is a TCP connection across a lab pair: c in a, s in b.
func tcpPair(tb testing.TB) (c, s *Socket) {
	tb.Helper()
	a, b := labtest.Pair(tb)
	l, err := Open(Config{Type: TCP, NetNS: b.NetNS()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { l.Close() })
	ap := netip.AddrPortFrom(b.Addr.Addr(), 7300)
	if err := l.Bind(ap); err != nil {
		tb.Fatal(err)
	}
	if err := l.Listen(1); err != nil {
		tb.Fatal(err)
	}
	if c, err = Open(Config{Type: TCP, NetNS: a.NetNS()}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Connect(ctx, ap, Forever); err != nil {
		tb.Fatal(err)
	}
	if s, _, err = l.Accept(ctx, Forever); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return c, s
}

// roundTrip sends msg from c to s and back, into buf.
func roundTrip(tb testing.TB, c, s *Socket, msg, buf []byte) {
	hop(tb, c, s, msg, buf)
	hop(tb, s, c, msg, buf)
}

// hop sends msg from x and receives it whole in y, into buf.
func hop(tb testing.TB, x, y *Socket, msg, buf []byte) {
	ctx := context.Background()
	if _, err := x.Send(ctx, msg, Forever); err != nil {
		tb.Fatal(err)
	}
	for got := 0; got < len(msg); {
		n, err := y.Recv(ctx, buf[got:], Forever)
		if err != nil || n == 0 {
			tb.Fatalf("recv: %d, %v", n, err)
		}
		got += n
	}
}

// The hot path allocates nothing: a TCP send and receive, blocking.
func TestHotPathAllocatesNothing(t *testing.T) {
	c, s := tcpPair(t)
	msg, buf := make([]byte, 64), make([]byte, 64)
	if n := testing.AllocsPerRun(200, func() { roundTrip(t, c, s, msg, buf) }); n != 0 {
		t.Errorf("a TCP round trip allocates %.1f times", n)
	}
}

// A UDP sendto to the address of the last and a recvfrom allocate
// nothing either.
func TestUDPHotPathAllocatesNothing(t *testing.T) {
	a, b := labtest.Pair(t)
	to := netip.AddrPortFrom(b.Addr.Addr(), 7301)
	x, err := Open(Config{Type: UDP, NetNS: a.NetNS()})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	y, err := Open(Config{Type: UDP, NetNS: b.NetNS()})
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	if err := y.Bind(to); err != nil {
		t.Fatal(err)
	}
	msg, buf := make([]byte, 64), make([]byte, 64)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := x.SendTo(ctx, msg, to, Forever); err != nil {
			t.Fatal(err)
		}
		if n, from, err := y.RecvFrom(ctx, buf, Forever); err != nil || n != 64 || from.Addr() != a.Addr.Addr() {
			t.Fatalf("recvfrom: %d from %s, %v", n, from, err)
		}
	})
	if allocs != 0 {
		t.Errorf("a UDP sendto and recvfrom allocate %.1f times", allocs)
	}
}

// BenchmarkTCPRoundTrip is a 64-byte ping-pong over a lab veth pair, both
// ends in this goroutine: sock_echo.lua's hot path without Lua.
func BenchmarkTCPRoundTrip(b *testing.B) {
	c, s := tcpPair(b)
	msg, buf := make([]byte, 64), make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		roundTrip(b, c, s, msg, buf)
	}
}
