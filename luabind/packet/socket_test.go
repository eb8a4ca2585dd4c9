package packet

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// exp is the local experimental EtherType of labtest.Frame.
const exp = 0x88b5

func TestOpenNamesTheInterfacesThatExist(t *testing.T) {
	a, _ := pair(t)
	_, err := Open("eth9", Config{NetNS: a.NetNS()})
	var noIf *netns.NoInterfaceError
	if !errors.As(err, &noIf) {
		t.Fatalf("Open(eth9): %v, want a NoInterfaceError", err)
	}
	if got, want := err.Error(), "no such interface (have: lo, veth0)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSendRecv(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: 0x88b6})
	sb := openOn(t, b, Config{Proto: exp})
	for i := range 5 {
		frame := labtest.Frame(a, b, byte(i))
		if n, err := sa.Send(context.Background(), frame); err != nil || n != len(frame) {
			t.Fatalf("Send: %d, %v", n, err)
		}
		got, info, err := sb.Recv(context.Background(), time.Second)
		if err != nil {
			t.Fatalf("Recv: %v", err)
		}
		if !bytes.Equal(got, frame) {
			t.Errorf("frame %d: got % x, want % x", i, got, frame)
		}
		checkInfo(t, info, b.Ifindex, Host, a.MAC, len(frame))
	}
}

// checkInfo checks what the kernel said of a received frame.
func checkInfo(t *testing.T, info Info, ifindex int, pt PktType, src net.HardwareAddr, length int) {
	t.Helper()
	if info.Ifindex != ifindex || info.Proto != exp || info.PktType != pt || info.Len != length {
		t.Errorf("info = %+v, want ifindex %d, proto %#x, %s, len %d", info, ifindex, exp, pt, length)
	}
	if info.Src().String() != src.String() {
		t.Errorf("src %s, want %s", info.Src(), src)
	}
	if d := time.Since(info.TS); d < 0 || d > 2*time.Second {
		t.Errorf("ts %v is %v from now", info.TS, d)
	}
}

func TestRecvTimeouts(t *testing.T) {
	a, _ := pair(t)
	s := openOn(t, a, Config{Proto: exp})
	for _, timeout := range []time.Duration{0, 50 * time.Millisecond} {
		start := time.Now()
		_, _, err := s.Recv(context.Background(), timeout)
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("Recv(%v): %v, want a timeout", timeout, err)
		}
		if d := time.Since(start); d < timeout || d > timeout+time.Second {
			t.Errorf("Recv(%v) took %v", timeout, d)
		}
	}
}

// The end of the context and Close both wake a blocked Recv at once.
func TestRecvInterrupted(t *testing.T) {
	a, _ := pair(t)
	tests := []struct {
		name string
		stop func(s *Socket, cancel context.CancelCauseFunc)
		want error
	}{
		{"context", func(_ *Socket, cancel context.CancelCauseFunc) { cancel(errStop) }, errStop},
		{"close", func(s *Socket, _ context.CancelCauseFunc) { s.Close() }, net.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openOn(t, a, Config{Proto: exp})
			ctx, cancel := context.WithCancelCause(context.Background())
			done := make(chan error)
			go func() {
				_, _, err := s.Recv(ctx, sock.Forever)
				done <- err
			}()
			time.Sleep(50 * time.Millisecond)
			tt.stop(s, cancel)
			select {
			case err := <-done:
				if !errors.Is(err, tt.want) {
					t.Errorf("Recv: %v, want %v", err, tt.want)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("Recv still blocked")
			}
		})
	}
}

var errStop = errors.New("stop")

func TestSendSizes(t *testing.T) {
	a, b := pair(t)
	s := openOn(t, a, Config{Proto: 0x88b6})
	frame := make([]byte, 1515)
	copy(frame, labtest.Frame(a, b, 0))
	_, err := s.Send(context.Background(), frame)
	want := "frame of 1515 bytes is over the limit of 1514 bytes (MTU 1500 + 14-byte link header)"
	if err == nil || err.Error() != want || !errors.Is(err, unix.EMSGSIZE) {
		t.Errorf("Send(1515 bytes): %v, want %q", err, want)
	}
	if _, err := s.Send(context.Background(), frame[:1514]); err != nil {
		t.Errorf("Send(1514 bytes): %v", err)
	}
	if _, err := s.Send(context.Background(), frame[:10]); err == nil || !strings.Contains(err.Error(), "frame of 10 bytes is under the minimum of 14 bytes") {
		t.Errorf("Send(10 bytes): %v", err)
	}
}

func TestClosed(t *testing.T) {
	a, b := pair(t)
	s := openOn(t, a, Config{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Send(context.Background(), labtest.Frame(a, b, 0)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Send: %v", err)
	}
	if _, _, err := s.Recv(context.Background(), 0); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Recv: %v", err)
	}
	if _, err := s.Stats(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Stats: %v", err)
	}
}

// Promiscuous mode is a membership of the socket: the interface's
// promiscuity counts it while the socket is open, and drops it after.
func TestPromiscEndsWithTheSocket(t *testing.T) {
	a, _ := pair(t)
	s := openOn(t, a, Config{Promisc: true})
	if got := promiscuity(t, a.Ifname, a); got != "1" {
		t.Errorf("promiscuity %s while open, want 1", got)
	}
	s.Close()
	if got := promiscuity(t, a.Ifname, a); got != "0" {
		t.Errorf("promiscuity %s after close, want 0", got)
	}
}

// promiscuity is the interface's promiscuity count, from ip -d link.
func promiscuity(t *testing.T, ifname string, e *lab.End) string {
	t.Helper()
	m := promiscuityRE.FindStringSubmatch(labtest.Run(t, e, "", "ip", "-d", "link", "show", ifname))
	if m == nil {
		t.Fatal("no promiscuity in ip -d link")
	}
	return m[1]
}

var promiscuityRE = regexp.MustCompile(`promiscuity (\d+)`)

func TestStatsCount(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: 0x88b6})
	sb := openOn(t, b, Config{Proto: exp})
	for round := 1; round <= 2; round++ {
		for i := range 10 {
			sa.Send(context.Background(), labtest.Frame(a, b, byte(i)))
		}
		st, err := sb.Stats()
		if err != nil {
			t.Fatal(err)
		}
		if want := (Stats{Received: uint64(10 * round)}); st != want {
			t.Errorf("round %d: stats %+v, want %+v (running totals)", round, st, want)
		}
	}
}

// onlySeq3 takes the frames whose last byte (of 64) is 3.
var onlySeq3 = []bpf.RawInstruction{
	{Op: 0x30, K: 63},       // ldb [63]
	{Op: 0x15, Jf: 1, K: 3}, // jeq #3, take, drop
	{Op: 0x06, K: 0x40000},  // ret #262144
	{Op: 0x06, K: 0},        // ret #0
}

func TestFilter(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: 0x88b6})
	tests := []struct {
		name string
		open []bpf.RawInstruction // at Open
		set  []bpf.RawInstruction // then with SetFilter, if not nil
		want []byte               // the seqs received
	}{
		{"at open", onlySeq3, nil, []byte{3}},
		{"set later", nil, onlySeq3, []byte{3}},
		{"removed", onlySeq3, []bpf.RawInstruction{}, []byte{0, 1, 2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := openOn(t, b, Config{Proto: exp, Filter: tt.open})
			if tt.set != nil {
				sa.Send(context.Background(), labtest.Frame(a, b, 3)) // queued under the old filter
				if err := sb.SetFilter(tt.set); err != nil {
					t.Fatal(err)
				}
			}
			for i := range 5 {
				sa.Send(context.Background(), labtest.Frame(a, b, byte(i)))
			}
			var got []byte
			for {
				f, _, err := sb.Recv(context.Background(), 100*time.Millisecond)
				if err != nil {
					break
				}
				got = append(got, f[63])
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("received seqs %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFilterRejected(t *testing.T) {
	a, _ := pair(t)
	bad := []bpf.RawInstruction{{Op: 0x15, Jt: 9, K: 1}} // a jump out of the program
	_, err := Open(a.Ifname, Config{NetNS: a.NetNS(), Filter: bad})
	if err == nil || !strings.Contains(err.Error(), "filter: the kernel rejected the BPF program: invalid argument") {
		t.Errorf("Open: %v", err)
	}
}

// SetFilter drops the queued frames beside a goroutine that receives (as
// an on() reader does) without touching its receive state: run with -race.
func TestSetFilterWhileReceiving(t *testing.T) {
	a, b := pair(t)
	sa, sb := openOn(t, a, Config{Proto: 0x88b6}), openOn(t, b, Config{Proto: exp})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		for {
			if _, _, err := sb.Recv(ctx, sock.Forever); err != nil {
				done <- err
				return
			}
		}
	}()
	for i := range 200 {
		sa.Send(context.Background(), labtest.Frame(a, b, byte(i)))
		if err := sb.SetFilter(nil); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("the receiver ended with %v, want the end of its context", err)
	}
}

// Close is prompt: the kernel's release of a packet socket waits out an
// RCU grace period (12 ms on average here), which Close leaves to the
// background. Closing 50 sockets takes under 1 ms each on average; then
// the namespace's /proc/net/packet soon lists none of them: the kernel
// did release them.
func TestCloseIsPrompt(t *testing.T) {
	a, _ := pair(t)
	const n = 50
	var socks []*Socket
	for i := range n {
		socks = append(socks, openOn(t, a, Config{Proto: exp, Promisc: i == 0}))
	}
	if got := packetSockets(t, a); got != n {
		t.Fatalf("/proc/net/packet lists %d sockets, want %d", got, n)
	}
	start := time.Now()
	for _, s := range socks {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	mean := time.Since(start) / n
	t.Logf("close: %v a socket", mean)
	if mean > time.Millisecond {
		t.Errorf("close took %v a socket, want under 1 ms", mean)
	}
	for end := time.Now().Add(5 * time.Second); packetSockets(t, a) > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("/proc/net/packet still lists %d sockets 5 s after close", packetSockets(t, a))
		}
	}
}

// packetSockets is how many packet sockets e's namespace has, from its
// /proc/net/packet (a header line, then a line a socket).
func packetSockets(t *testing.T, e *lab.End) int {
	t.Helper()
	return strings.Count(labtest.Run(t, e, "", "cat", "/proc/net/packet"), "\n") - 1
}
