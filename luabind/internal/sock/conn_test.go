package sock

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/testlab"
)

// pair is two connected datagram sockets: a Conn and the raw other end.
func pair(t *testing.T) (*Conn, int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(fds[0])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); unix.Close(fds[1]) })
	return c, fds[1]
}

func TestWriteAndRecv(t *testing.T) {
	c, peer := pair(t)
	if n, err := c.Write(context.Background(), []byte("hello")); n != 5 || err != nil {
		t.Fatalf("Write: %d, %v", n, err)
	}
	buf := make([]byte, 16)
	if n, _ := unix.Read(peer, buf); string(buf[:n]) != "hello" {
		t.Errorf("peer read %q", buf[:n])
	}
	unix.Write(peer, []byte("a datagram longer than the buffer"))
	m, err := c.Recv(context.Background(), buf[:4], time.Second)
	if err != nil || m.N != 4 || m.Len != 33 || string(buf[:4]) != "a da" || m.Hops != -1 {
		t.Errorf("Recv: %+v, %v; want 4 of 33 bytes", m, err)
	}
}

func TestRecvTimeout(t *testing.T) {
	c, _ := pair(t)
	buf := make([]byte, 16)
	for _, d := range []time.Duration{0, 30 * time.Millisecond} {
		start := time.Now()
		if _, err := c.Recv(context.Background(), buf, d); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("Recv(%v): %v", d, err)
		}
		if e := time.Since(start); e < d || e > d+time.Second {
			t.Errorf("Recv(%v) took %v", d, e)
		}
	}
}

// Close and the end of the call's context wake a blocked Recv at once; a
// context that ended in one call leaves later calls alone.
func TestRecvWakes(t *testing.T) {
	c, peer := pair(t)
	buf := make([]byte, 16)
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() { time.Sleep(30 * time.Millisecond); cancel(errors.New("stop")) }()
	if _, err := c.Recv(ctx, buf, Forever); err == nil || err.Error() != "stop" {
		t.Errorf("Recv when the context ends: %v", err)
	}
	if _, err := c.Write(context.Background(), []byte("x")); err != nil {
		t.Errorf("Write after another call's context ended: %v", err)
	}
	unix.Write(peer, []byte("again"))
	if m, err := c.Recv(context.Background(), buf, time.Second); err != nil || string(buf[:m.N]) != "again" {
		t.Errorf("Recv with a new context: %v", err)
	}
	if _, err := c.Recv(context.Background(), buf, 0); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Recv of nothing with a new context: %v, want a timeout", err)
	}
	go func() { time.Sleep(30 * time.Millisecond); c.Close() }()
	if _, err := c.Recv(context.Background(), buf, Forever); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Recv when closed: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := c.Control(func(int) error { return nil }); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Control after Close: %v", err)
	}
}

// The receiving and the sending side each answer to their own call's
// context: the end of a send's context wakes the send and leaves a
// reader under another context waiting, and the reverse. This is ^C of
// a statement at the prompt beside an on() reader started earlier.
func TestSidesWatchTheirOwnContexts(t *testing.T) {
	c, peer := pair(t)
	c.SetInt(unix.SOL_SOCKET, unix.SO_SNDBUF, 4096, "SO_SNDBUF")
	msg := make([]byte, 1000)

	// A send interrupted: the reader goes on.
	got := recvAsync(c, context.Background())
	fill(t, c, msg)
	sendCtx, stopSend := context.WithCancelCause(context.Background())
	sent := sendAsync(c, sendCtx, msg)
	stopSend(errors.New("send interrupted"))
	if err := <-sent; err == nil || err.Error() != "send interrupted" {
		t.Fatalf("Write when its context ends: %v", err)
	}
	unix.Write(peer, []byte("for the reader"))
	if r := <-got; r.err != nil || r.data != "for the reader" {
		t.Errorf("the reader, after a send's context ended: %q, %v", r.data, r.err)
	}

	// A receive interrupted: the send goes on.
	sent = sendAsync(c, context.Background(), msg)
	recvCtx, stopRecv := context.WithCancelCause(context.Background())
	got = recvAsync(c, recvCtx)
	stopRecv(errors.New("recv interrupted"))
	if r := <-got; r.err == nil || r.err.Error() != "recv interrupted" {
		t.Fatalf("Recv when its context ends: %q, %v", r.data, r.err)
	}
	drain(peer)
	if err := <-sent; err != nil {
		t.Errorf("the send, after a receive's context ended: %v", err)
	}
}

// recvResult is what recvAsync got.
type recvResult struct {
	data string
	err  error
}

// recvAsync receives one datagram on c under ctx in a goroutine.
func recvAsync(c *Conn, ctx context.Context) <-chan recvResult {
	got := make(chan recvResult, 1)
	go func() {
		buf := make([]byte, 64)
		m, err := c.Recv(ctx, buf, Forever)
		got <- recvResult{string(buf[:m.N]), err}
	}()
	return got
}

// sendAsync writes msg on c under ctx in a goroutine.
func sendAsync(c *Conn, ctx context.Context, msg []byte) <-chan error {
	done := make(chan error, 1)
	go func() { _, err := c.Write(ctx, msg); done <- err }()
	return done
}

// drain reads what is queued on the raw socket fd.
func drain(fd int) {
	buf := make([]byte, 2000)
	for {
		if _, _, err := unix.Recvfrom(fd, buf, unix.MSG_DONTWAIT); err != nil {
			return
		}
	}
}

// Once a wait's context has ended, a wait under a new one sleeps again:
// the eventfd's signal is taken back.
func TestNewContextRearmsTheWait(t *testing.T) {
	c, _ := pair(t)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("stop"))
	if err := c.Pause(ctx, time.Now().Add(time.Hour)); err == nil || err.Error() != "stop" {
		t.Fatalf("Pause under an ended context: %v", err)
	}
	if !readable(t, c.tx.wake, 10*time.Second) { // its AfterFunc runs on a goroutine of its own
		t.Fatal("the ended context did not signal the sending side's eventfd")
	}
	if readable(t, c.rx.wake, 0) {
		t.Error("the end of a send's context signalled the receiving side")
	}
	if err := c.Pause(context.Background(), time.Now().Add(10*time.Millisecond)); err != nil {
		t.Fatalf("Pause under a new context: %v", err)
	}
	if readable(t, c.tx.wake, 0) {
		t.Error("the eventfd is still signalled under a new context: waits would spin")
	}
}

// readable reports whether fd polls readable within timeout.
func readable(t *testing.T, fd int, timeout time.Duration) bool {
	t.Helper()
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, int(timeout.Milliseconds()))
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// A full socket buffer makes Write wait for room, until it drains or
// Close ends the wait.
func TestWriteWaitsForRoom(t *testing.T) {
	c, peer := pair(t)
	c.SetInt(unix.SOL_SOCKET, unix.SO_SNDBUF, 4096, "SO_SNDBUF")
	msg := make([]byte, 1000)
	done := make(chan error)
	fill(t, c, msg)
	go func() { _, err := c.Write(context.Background(), msg); done <- err }()
	time.Sleep(30 * time.Millisecond)
	drain(peer) // the writer wakes once less than half the buffer is in use
	if err := <-done; err != nil {
		t.Errorf("Write after the buffer drained: %v", err)
	}
	fill(t, c, msg)
	go func() { _, err := c.Write(context.Background(), msg); done <- err }()
	time.Sleep(30 * time.Millisecond)
	c.Close()
	if err := <-done; !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write when closed: %v", err)
	}
}

// fill writes msg until the socket buffer is full.
func fill(t *testing.T, c *Conn, msg []byte) {
	t.Helper()
	for i := 0; ; i++ {
		n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(c.fd), uintptr(sliceAddr(msg)), uintptr(len(msg)))
		if e == unix.EAGAIN {
			return
		}
		if e != 0 || int(n) != len(msg) || i > 10000 {
			t.Fatalf("filling the buffer: %v", e)
		}
	}
}

// Lookup looks in the namespace of the calling thread: in a fresh one,
// only lo is there, whatever the machine's own namespace holds.
func TestLookup(t *testing.T) {
	testlab.Privileged(t)
	ns, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	err = InNS(ns, func() error {
		_, err := Lookup("nosuch0")
		var noIf *netns.NoInterfaceError
		if !errors.As(err, &noIf) || noIf.Name != "nosuch0" || err.Error() != "no such interface (have: lo)" {
			t.Errorf("Lookup(nosuch0): %v, want only lo listed", err)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Lookup(nosuch0): %v does not match fs.ErrNotExist, as rtnl's lookups do", err)
		}
		if ifi, err := Lookup("lo"); err != nil || ifi.Name != "lo" {
			t.Errorf("Lookup(lo): %v, %v", ifi, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLookupEmptyName(t *testing.T) {
	if _, err := Lookup(""); err == nil {
		t.Error("Lookup of an empty name did not fail")
	}
}

func TestSizeError(t *testing.T) {
	long := &SizeError{What: "frame", Len: 1600, Limit: 1514, Why: "MTU 1500 + 14-byte link header"}
	short := &SizeError{What: "packet", Len: 5, Limit: 20, Short: true, Why: "an IPv4 header"}
	if long.Error() != "frame of 1600 bytes is over the limit of 1514 bytes (MTU 1500 + 14-byte link header)" || !errors.Is(long, unix.EMSGSIZE) {
		t.Errorf("long: %v", long)
	}
	if short.Error() != "packet of 5 bytes is under the minimum of 20 bytes (an IPv4 header)" || !errors.Is(short, unix.EINVAL) {
		t.Errorf("short: %v", short)
	}
}
