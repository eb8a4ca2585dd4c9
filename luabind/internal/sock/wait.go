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
func (c *Conn) WaitReadable(ctx context.Context, end time.Time) error {
	c.Watch(ctx)
	c.mu.RLock()
	defer c.mu.RUnlock()
	if err := c.stopped(); err != nil {
		return err
	}
	return c.wait(&c.rx.wait, unix.POLLIN, end)
}
