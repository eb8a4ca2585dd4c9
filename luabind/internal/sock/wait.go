package sock

import (
	"context"
	"time"

	"golang.org/x/sys/unix"
)

// WaitReadable waits until the socket has something to read, end passes
// (never when end is zero), ctx ends or the Conn is closed, for readers
// that take what arrives by another way than Recv: a packet socket's
// mapped receive ring. It returns nil once readable (or woken for nothing:
// the caller looks and waits again), os.ErrDeadlineExceeded after end,
// the cause of ctx once it has ended, and net.ErrClosed on a closed Conn.
// It may not run beside Recv.
//
// A pending error on the socket (ENETDOWN when the link goes down) is
// taken and dropped: no receive takes it in a ring's reader, and poll
// would report it at once to every wait, a reader spinning until its end.
func (c *Conn) WaitReadable(ctx context.Context, end time.Time) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if err := c.waitFor(ctx, &c.rx, unix.POLLIN, end); err != nil {
		return err
	}
	if c.rx.poll.fds[0].Revents&unix.POLLERR != 0 {
		unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR)
	}
	return nil
}

// Await waits until the socket has one of events (POLLIN waits on the
// receiving side, anything else on the sending side), end passes (never
// when end is zero), ctx ends or the Conn is closed, for callers that make
// their own system calls on the descriptor: a stream socket's accept,
// connect and read. It returns nil once woken (the caller tries its call
// again), os.ErrDeadlineExceeded after end, ctx's cause once it has ended
// and net.ErrClosed on a closed Conn. Pending errors are left on the
// socket for the caller's call to take (a refused connect's).
func (c *Conn) Await(ctx context.Context, events int16, end time.Time) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	w := &c.tx
	if events&unix.POLLIN != 0 {
		w = &c.rx
	}
	return c.waitFor(ctx, w, events, end)
}

// FD is the socket's descriptor, for system calls made under Control.
func (c *Conn) FD() int { return c.fd }
