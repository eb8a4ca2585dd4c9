package rawip

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// An echo request from a is answered by b: the reply starts at its IPv4
// header, comes from b, with b's TTL and a kernel timestamp.
func TestEchoIPv4(t *testing.T) {
	a, b := labtest.Pair(t)
	s := openIn(t, a, Config{Proto: icmp})
	req := echoRequest(8, 4242, 1)
	if n, err := s.SendTo(context.Background(), req, b.Addr.Addr()); err != nil || n != len(req) {
		t.Fatalf("SendTo: %d, %v", n, err)
	}
	sent := time.Now()
	for {
		data, info, err := s.Recv(context.Background(), time.Second)
		if err != nil {
			t.Fatalf("Recv: %v", err)
		}
		if len(data) < 28 || data[20] != 0 || data[24] != 0x10 || data[25] != 0x92 {
			continue // not our reply
		}
		if info.Src != b.Addr.Addr() || info.TTL != 64 || info.Len != 84 || len(data) != 84 {
			t.Errorf("info %+v, %d bytes; want from %s, ttl 64, 84 bytes", info, len(data), b.Addr.Addr())
		}
		if d := info.TS.Sub(sent); d < -time.Second || d > time.Second {
			t.Errorf("ts %v is %v from the send", info.TS, d)
		}
		return
	}
}

// IPv6 raw sockets get no IP header: the hop limit comes in a control
// message, and the kernel computes the ICMPv6 checksum. On loopback the
// socket sees its own request (with its hop limit, 7) and the reply
// (with the kernel's, 64).
func TestEchoIPv6(t *testing.T) {
	a, _ := labtest.Pair(t)
	s := openIn(t, a, Config{Family: 6, Proto: unix.IPPROTO_ICMPV6, TTL: 7})
	if _, err := s.SendTo(context.Background(), echoRequest(128, 77, 1), netip.MustParseAddr("::1")); err != nil {
		t.Fatal(err)
	}
	hops := map[byte]int{}
	for len(hops) < 2 {
		data, info, err := s.Recv(context.Background(), time.Second)
		if err != nil {
			t.Fatalf("Recv: %v (got %v)", err, hops)
		}
		if info.Src != netip.MustParseAddr("::1") || len(data) != 64 {
			t.Errorf("info %+v, %d bytes; want from ::1, 64 bytes", info, len(data))
		}
		hops[data[0]] = info.TTL
	}
	if hops[128] != 7 || hops[129] != 64 {
		t.Errorf("hop limits by type: %v, want 128: 7, 129: 64", hops)
	}
}

func TestOpenErrors(t *testing.T) {
	a, _ := labtest.Pair(t)
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Proto: icmp, Device: "veth9"}, "no such interface (have: lo, veth0)"},
		{Config{Proto: icmp, Family: 5}, "family 5: use 4 or 6"},
		{Config{Proto: 300}, "protocol 300: an IP protocol is 0 to 255"},
		{Config{Proto: icmp, Family: 6, HdrIncl: true}, "hdrincl is for IPv4 sockets: IPv6 raw sockets send no IP header"},
		{Config{Proto: icmp, TTL: 256}, "ttl 256: use 1 to 255"},
	}
	for _, tt := range tests {
		tt.cfg.NetNS = a.NetNS()
		if _, err := Open(tt.cfg); err == nil || err.Error() != tt.want {
			t.Errorf("Open(%+v): %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

func TestSendToErrors(t *testing.T) {
	a, b := labtest.Pair(t)
	s4 := openIn(t, a, Config{Proto: icmp})
	s6 := openIn(t, a, Config{Family: 6, Proto: unix.IPPROTO_ICMPV6})
	raw := openIn(t, a, Config{Proto: unix.IPPROTO_RAW})
	tests := []struct {
		s    *Socket
		b    []byte
		dst  string
		want string
	}{
		{s4, echoRequest(8, 1, 1), "2001:db8::1", "IPv6 address for an IPv4 socket (family 4)"},
		{s6, echoRequest(128, 1, 1), "198.18.0.2", "IPv4 address for an IPv6 socket (family 6)"},
		{raw, make([]byte, 19), b.Addr.Addr().String(), "packet of 19 bytes is under the minimum of 20 bytes (an IPv4 header: with hdrincl the packet starts with one)"},
	}
	for _, tt := range tests {
		if _, err := tt.s.SendTo(context.Background(), tt.b, netip.MustParseAddr(tt.dst)); err == nil || err.Error() != tt.want {
			t.Errorf("SendTo(%s): %v, want %q", tt.dst, err, tt.want)
		}
	}
	// An IPv4-mapped address is IPv4.
	if _, err := s4.SendTo(context.Background(), echoRequest(8, 1, 1), netip.MustParseAddr("::ffff:"+b.Addr.Addr().String())); err != nil {
		t.Errorf("SendTo(IPv4-mapped): %v", err)
	}
}

// A socket bound to a device receives only what comes through it.
func TestDevice(t *testing.T) {
	a, b := labtest.Pair(t)
	onLo := openIn(t, b, Config{Proto: icmp, Device: "lo"})
	onVeth := openIn(t, b, Config{Proto: icmp, Device: b.Ifname})
	if onVeth.Device() != b.Ifname {
		t.Errorf("Device() = %q", onVeth.Device())
	}
	sa := openIn(t, a, Config{Proto: icmp})
	sa.SendTo(context.Background(), echoRequest(8, 9, 9), b.Addr.Addr())
	if _, info, err := onVeth.Recv(context.Background(), time.Second); err != nil || info.Src != a.Addr.Addr() {
		t.Errorf("on %s: %+v, %v", b.Ifname, info, err)
	}
	if _, _, err := onLo.Recv(context.Background(), 100*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("on lo: %v, want a timeout", err)
	}
}

func TestClosedAndInterrupted(t *testing.T) {
	a, b := labtest.Pair(t)
	s := openIn(t, a, Config{Proto: icmp})
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel(errors.New("stop")) }()
	if _, _, err := s.Recv(ctx, sock.Forever); err == nil || err.Error() != "stop" {
		t.Errorf("Recv after the context ended: %v", err)
	}
	s.Close()
	if _, err := s.SendTo(context.Background(), echoRequest(8, 1, 1), b.Addr.Addr()); !errors.Is(err, net.ErrClosed) {
		t.Errorf("SendTo after Close: %v", err)
	}
	if !strings.Contains(s.String(), "(closed)") {
		t.Errorf("String() = %q", s.String())
	}
}
