package sock

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
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
	if n, err := c.Write([]byte("hello")); n != 5 || err != nil {
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

// Close and the end of the watched context wake a blocked Recv at once;
// a new context undoes an interruption.
func TestRecvWakes(t *testing.T) {
	c, peer := pair(t)
	buf := make([]byte, 16)
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() { time.Sleep(30 * time.Millisecond); cancel(errors.New("stop")) }()
	if _, err := c.Recv(ctx, buf, Forever); err == nil || err.Error() != "stop" {
		t.Errorf("Recv when the context ends: %v", err)
	}
	if _, err := c.Write([]byte("x")); err == nil || err.Error() != "stop" {
		t.Errorf("Write after the context ended: %v", err)
	}
	unix.Write(peer, []byte("again"))
	if m, err := c.Recv(context.Background(), buf, time.Second); err != nil || string(buf[:m.N]) != "again" {
		t.Errorf("Recv with a new context: %v", err)
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

// Rewatch moves a Conn that the end of one context interrupted on to a
// live one, so that Write works again; it does nothing otherwise.
func TestRewatch(t *testing.T) {
	c, _ := pair(t)
	if c.Rewatch(context.Background()) {
		t.Error("Rewatch of a Conn never interrupted reported a change")
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	c.Watch(ctx)
	cancel(errors.New("stop"))
	if _, err := c.Recv(ctx, make([]byte, 16), Forever); err == nil || err.Error() != "stop" {
		t.Fatalf("Recv when the context ends: %v", err)
	}
	if _, err := c.Write([]byte("x")); err == nil || err.Error() != "stop" {
		t.Fatalf("Write after the context ended: %v", err)
	}
	if c.Rewatch(ctx) {
		t.Error("Rewatch of the ended context itself reported a change")
	}
	if !c.Rewatch(context.Background()) {
		t.Fatal("Rewatch of a live context reported no change")
	}
	if _, err := c.Write([]byte("x")); err != nil {
		t.Errorf("Write after Rewatch: %v", err)
	}
	if c.Rewatch(context.Background()) {
		t.Error("a second Rewatch reported a change")
	}
}

// A full socket buffer makes Write wait for room, until it drains or
// Close ends the wait.
func TestWriteWaitsForRoom(t *testing.T) {
	c, peer := pair(t)
	c.SetInt(unix.SOL_SOCKET, unix.SO_SNDBUF, 4096, "SO_SNDBUF")
	msg := make([]byte, 1000)
	done := make(chan error)
	fill(t, c, msg)
	go func() { _, err := c.Write(msg); done <- err }()
	time.Sleep(30 * time.Millisecond)
	buf := make([]byte, 2000)
	for { // the writer wakes once less than half the buffer is in use
		if _, _, err := unix.Recvfrom(peer, buf, unix.MSG_DONTWAIT); err != nil {
			break
		}
	}
	if err := <-done; err != nil {
		t.Errorf("Write after the buffer drained: %v", err)
	}
	fill(t, c, msg)
	go func() { _, err := c.Write(msg); done <- err }()
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

func TestLookup(t *testing.T) {
	_, err := Lookup("nosuch0")
	var noIf *NoInterfaceError
	if !errors.As(err, &noIf) || !strings.HasPrefix(err.Error(), "no such interface (have: lo") {
		t.Errorf("Lookup(nosuch0): %v", err)
	}
	if ifi, err := Lookup("lo"); err != nil || ifi.Name != "lo" {
		t.Errorf("Lookup(lo): %v, %v", ifi, err)
	}
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
