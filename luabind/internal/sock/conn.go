package sock

import (
	"context"
	"encoding/binary"
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
// Sends and receives do not allocate. A send and a receive may run at the
// same time (a reader goroutine and the Lua thread); two receives may not.
type Conn struct {
	fd   int
	wake int // eventfd, readable once Close or an interruption wants waiters back

	// mu keeps the descriptors open while calls use them: calls hold it
	// for reading, Close for writing, so a reused descriptor number is
	// never written to.
	mu      sync.RWMutex
	closed  bool
	closing atomic.Bool
	stamped atomic.Bool // SO_TIMESTAMPNS is on

	watchMu     sync.Mutex // guards what follows; taken before mu, never after
	watched     context.Context
	stopWatch   func() bool
	gen         uint64 // which watch may interrupt
	interrupted atomic.Bool

	rx recvState
	tx waitState
}

// New takes over fd, an open socket, and makes it non-blocking. Close
// closes it. On error fd is closed.
func New(fd int) (*Conn, error) {
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("fcntl", err)
	}
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(fd)
		return nil, os.NewSyscallError("eventfd", err)
	}
	return &Conn{fd: fd, wake: wake}, nil
}

// Watch makes the end of ctx interrupt whatever the Conn is blocked in,
// and every later call, until another context is watched. Recv watches
// the context it is given; call Watch to cover blocking sends too.
func (c *Conn) Watch(ctx context.Context) {
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	if c.closing.Load() || ctx == c.watched {
		return
	}
	if c.stopWatch != nil {
		c.stopWatch()
	}
	if c.interrupted.Swap(false) {
		c.drainWake()
	}
	c.gen++
	gen := c.gen
	c.watched = ctx
	c.stopWatch = context.AfterFunc(ctx, func() { c.interrupt(gen) })
}

// Rewatch watches ctx in place of a watched context that has ended, and
// reports whether it did: a call that failed for that end may be tried
// again. A runtime moves on to a new context after an interrupt (the next
// statement at the prompt, deferred functions at exit), and calls that
// take no context, as Write, would otherwise fail with the old one's cause.
func (c *Conn) Rewatch(ctx context.Context) bool {
	if !c.interrupted.Load() || c.closing.Load() || ctx.Err() != nil {
		return false
	}
	c.watchMu.Lock()
	stale := c.watched != ctx
	c.watchMu.Unlock()
	if stale {
		c.Watch(ctx)
	}
	return stale
}

// interrupt wakes every waiter for good, until another context is
// watched: no goroutine waits per receive.
func (c *Conn) interrupt(gen uint64) {
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	if gen != c.gen {
		return
	}
	c.interrupted.Store(true)
	c.signal()
}

// signal makes the eventfd readable.
func (c *Conn) signal() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if !c.closed {
		var one [8]byte
		binary.NativeEndian.PutUint64(one[:], 1)
		unix.Write(c.wake, one[:])
	}
}

// drainWake makes the eventfd unreadable again.
func (c *Conn) drainWake() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if !c.closed {
		var buf [8]byte
		unix.Read(c.wake, buf[:])
	}
}

// stopped is the error of a call made once Close or the end of the
// watched context asked calls to stop, or nil.
func (c *Conn) stopped() error {
	if c.closing.Load() {
		return net.ErrClosed
	}
	if c.interrupted.Load() {
		c.watchMu.Lock()
		defer c.watchMu.Unlock()
		return context.Cause(c.watched)
	}
	return nil
}

// waitState is what a ppoll needs, kept in the Conn so that waiting
// allocates nothing.
type waitState struct {
	fds [2]unix.PollFd
	ts  unix.Timespec
}

// wait waits in ppoll(2) until the descriptor has one of events, the
// eventfd is signalled or end passes (never when end is zero). With no
// events it leaves the descriptor out, whose errors poll would report
// anyway. It returns os.ErrDeadlineExceeded after end; the caller checks
// stopped.
func (c *Conn) wait(w *waitState, events int16, end time.Time) error {
	fd := int32(c.fd)
	if events == 0 {
		fd = -1 // ppoll skips it
	}
	w.fds[0] = unix.PollFd{Fd: fd, Events: events}
	w.fds[1] = unix.PollFd{Fd: int32(c.wake), Events: unix.POLLIN}
	var ts *unix.Timespec
	if !end.IsZero() {
		d := time.Until(end)
		if d <= 0 {
			return os.ErrDeadlineExceeded
		}
		w.ts = unix.NsecToTimespec(int64(d))
		ts = &w.ts
	}
	if _, err := unix.Ppoll(w.fds[:], ts, nil); err != nil && err != unix.EINTR {
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
	c.signal()
	c.mu.Lock()
	c.closed = true
	err := unix.Close(c.fd)
	unix.Close(c.wake)
	c.mu.Unlock()
	c.watchMu.Lock()
	if c.stopWatch != nil {
		c.stopWatch()
	}
	c.watchMu.Unlock()
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
