package sock

import (
	"context"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// A Conn is an open socket's descriptor as the modules use it.
//
// It stays out of the Go runtime's poller on purpose. A socket registered
// with epoll wakes the poller's thread each time the kernel frees a sent
// buffer (sock_def_write_space finds a sleeper: the epoll entry), which
// halves the send rate of a loop on a veth. A Conn sends and receives with
// direct system calls on its non-blocking descriptor, and waits, when it
// must, in ppoll(2) on the descriptor and an eventfd: poll's wait entry
// exists only while someone waits, and filters wakeups by event.
//
// Every call that may wait takes the context of its caller, and the end of
// that context wakes that call only (see waiter). Sends and receives do
// not allocate. A send and a receive may run at the same time (a reader
// goroutine and the Lua thread); two sends may not, nor two receives.
type Conn struct {
	fd int

	// mu keeps the descriptors open while calls use them: calls hold it
	// for reading, Close for writing, so a reused descriptor number is
	// never written to.
	mu      sync.RWMutex
	closed  bool
	closing atomic.Bool
	stamped atomic.Bool // SO_TIMESTAMPNS is on

	rx, tx waiter // the receiving and the sending side
	msg    recvState
}

// New takes over fd, an open socket, and makes it non-blocking. Close
// closes it. On error fd is closed.
func New(fd int) (*Conn, error) {
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("fcntl", err)
	}
	c := &Conn{fd: fd}
	if err := c.rx.open(); err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("eventfd", err)
	}
	if err := c.tx.open(); err != nil {
		unix.Close(c.rx.wake)
		unix.Close(fd)
		return nil, os.NewSyscallError("eventfd", err)
	}
	return c, nil
}

// stopped is the error of a call that must wait once Close or the end of
// its context asked it to stop, or nil.
func (c *Conn) stopped(ctx context.Context) error {
	if c.closing.Load() {
		return net.ErrClosed
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}

// wait waits in ppoll(2) until the descriptor has one of events, w's
// eventfd is signalled or end passes (never when end is zero). With no
// events it leaves the descriptor out, whose errors poll would report
// anyway. It returns os.ErrDeadlineExceeded after end; the caller checks
// stopped.
func (c *Conn) wait(w *waiter, events int16, end time.Time) error {
	fd := int32(c.fd)
	if events == 0 {
		fd = -1 // ppoll skips it
	}
	p := &w.poll
	p.fds[0] = unix.PollFd{Fd: fd, Events: events}
	p.fds[1] = unix.PollFd{Fd: int32(w.wake), Events: unix.POLLIN}
	var ts *unix.Timespec
	if !end.IsZero() {
		d := time.Until(end)
		if d <= 0 {
			return os.ErrDeadlineExceeded
		}
		p.ts = unix.NsecToTimespec(int64(d))
		ts = &p.ts
	}
	if _, err := unix.Ppoll(p.fds[:], ts, nil); err != nil && err != unix.EINTR {
		return os.NewSyscallError("ppoll", err)
	}
	return nil
}

// Control runs fn with the descriptor, for socket options.
func (c *Conn) Control(fn func(fd int) error) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed || c.closing.Load() {
		return net.ErrClosed
	}
	return fn(c.fd)
}

// Close closes the socket: calls blocked in it return net.ErrClosed, and
// so do later ones. It is idempotent.
func (c *Conn) Close() error {
	if !c.closing.CompareAndSwap(false, true) {
		return nil
	}
	c.rx.signal()
	c.tx.signal()
	c.mu.Lock()
	c.closed = true
	err := unix.Close(c.fd)
	c.mu.Unlock()
	c.rx.close()
	c.tx.close()
	if err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}

// Closed reports whether Close was called.
func (c *Conn) Closed() bool { return c.closing.Load() }

// Open makes a socket of the domain, type and protocol, non-blocking and
// closed on exec, in the calling thread's namespace (see InNS).
func Open(domain, typ, proto int) (*Conn, error) {
	fd, err := unix.Socket(domain, typ|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, proto)
	if err != nil {
		return nil, SyscallError("socket", err)
	}
	return New(fd)
}
