package sock

import (
	"context"
	"errors"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is the kernel's struct mmsghdr, an element of the vectors of
// sendmmsg(2) and recvmmsg(2); x/sys/unix v0.48 has no type for it.
type mmsghdr struct {
	Hdr unix.Msghdr
	Len uint32 // bytes sent or received, set by the kernel
	_   [4]byte
}

// A Batch is the message vector of sendmmsg(2), made once and reused so
// that sending a batch allocates nothing. Message i sends one buffer, set
// with Set.
type Batch struct {
	msgs []mmsghdr
	iovs []unix.Iovec
}

// NewBatch makes a Batch of n messages, each sending nothing yet.
func NewBatch(n int) *Batch {
	b := &Batch{msgs: make([]mmsghdr, n), iovs: make([]unix.Iovec, n)}
	for i := range b.msgs {
		b.msgs[i].Hdr.Iov = &b.iovs[i]
		b.msgs[i].Hdr.Iovlen = 1
	}
	return b
}

// Len is how many messages the batch holds.
func (b *Batch) Len() int { return len(b.msgs) }

// Set makes message i send p. The batch keeps a pointer to p, not a copy:
// p must stay unchanged until the batch is sent.
func (b *Batch) Set(i int, p []byte) {
	b.iovs[i].Base = unsafe.SliceData(p)
	b.iovs[i].SetLen(len(p))
}

// SendBatch sends messages from to to-1 of b with one sendmmsg(2) on the
// bound or connected socket, and returns how many the kernel took. Like
// Write, it waits for room when the socket buffer is full (EAGAIN), until
// Close or the end of ctx.
//
// The kernel stops at the first message that fails and reports that
// error only when it is the first of the call: n > 0 with a nil error may
// mean message from+n failed, and sending again from there tells.
//
// It enters the kernel through Syscall, not RawSyscall as Write does: one
// call sends up to a whole batch, which takes long enough that the
// scheduler must know the thread is in the kernel, and the bookkeeping is
// shared by the batch.
func (c *Conn) SendBatch(ctx context.Context, b *Batch, from, to int) (n int, err error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for {
		if err := c.stopped(ctx); err != nil {
			return 0, err
		}
		r, _, e := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(c.fd), uintptr(unsafe.Pointer(&b.msgs[from])), uintptr(to-from), 0, 0, 0)
		switch e {
		case 0:
			return int(r), nil
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			if err := c.waitFor(ctx, &c.tx, unix.POLLOUT, time.Time{}); err != nil {
				return 0, err
			}
			continue
		}
		return 0, e
	}
}

// Pause waits until t, or less when Close or the end of ctx comes first,
// which it then returns (net.ErrClosed or ctx's cause). It waits in
// ppoll(2) on the sending side's eventfd, so pacing a send loop with it
// needs no goroutine and no timer of the runtime.
func (c *Conn) Pause(ctx context.Context, t time.Time) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for {
		// No events on the socket itself: a pending error (ENETDOWN
		// when the link goes down) would end every wait at once, and a
		// paced blast would spin until the link came back.
		err := c.waitFor(ctx, &c.tx, 0, t)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
