package sock

import (
	"context"
	"encoding/binary"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// A waiter is one side of a Conn, receiving or sending, as its calls wait:
// an eventfd that wakes them, and the context of the last call that had to
// wait. Each side watches its own call's context, so the end of a context
// (^C of the statement that made the call) wakes that call and no other:
// an on() reader receiving under the runtime's lifetime goes on when a
// send of a later statement is interrupted, and a blocked send wakes on
// its own statement's ^C whatever the reader watches.
//
// A context is watched with context.AfterFunc, not a goroutine per call,
// and only when a call must wait: a call that finds its packet queued or
// room to send costs no more than its system call. Watching the same
// context again costs a compare; a new one costs one AfterFunc.
type waiter struct {
	wake int // eventfd, readable once the watched context has ended or Close wants waiters back

	// mu guards what follows, and wake against its close. It is taken
	// after Conn.mu, never before: the AfterFunc takes only mu.
	mu    sync.Mutex
	ctx   context.Context // the last context a call of this side waited under
	stop  func() bool     // stops the AfterFunc watching ctx
	gen   uint64          // which watch may signal
	ended bool            // ctx has ended and signalled wake
	shut  bool            // Close has closed wake

	poll waitState
}

// waitState is what a ppoll needs, kept in the waiter so that waiting
// allocates nothing.
type waitState struct {
	fds [2]unix.PollFd
	ts  unix.Timespec
}

// open makes the waiter's eventfd.
func (w *waiter) open() error {
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	w.wake = fd
	return err
}

// watch makes the end of ctx wake this side's waits, in place of the
// context watched before. A signal left by an ended context is taken back
// first, so that ctx's waits sleep.
func (w *waiter) watch(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.shut || ctx == w.ctx {
		return
	}
	if w.stop != nil {
		w.stop()
	}
	if w.ended {
		var buf [8]byte
		unix.Read(w.wake, buf[:])
		w.ended = false
	}
	w.gen++
	gen := w.gen
	w.ctx = ctx
	w.stop = context.AfterFunc(ctx, func() { w.interrupt(gen) })
}

// interrupt is the AfterFunc of watch number gen: it wakes the waits of
// that watch, for good, unless a newer watch has replaced it.
func (w *waiter) interrupt(gen uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if gen == w.gen && !w.shut {
		w.ended = true
		w.signalLocked()
	}
}

// signal wakes this side's waits: Close calls it before it closes the
// socket.
func (w *waiter) signal() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.shut {
		w.signalLocked()
	}
}

// signalLocked makes the eventfd readable.
func (w *waiter) signalLocked() { Signal(w.wake) }

// Signal makes the eventfd fd readable, adding one to its count.
func Signal(fd int) {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	unix.Write(fd, one[:])
}

// close stops watching and closes the eventfd, once no call waits.
func (w *waiter) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.shut {
		return
	}
	if w.stop != nil {
		w.stop()
	}
	w.shut = true
	unix.Close(w.wake)
}

// waitFor waits on side w of the Conn until the descriptor has one of
// events, end passes (never when end is zero), ctx ends or the Conn is
// closed. It returns nil when woken (the caller tries its call again),
// os.ErrDeadlineExceeded after end, ctx's cause once it has ended, and
// net.ErrClosed once the Conn is closing. The caller holds c.mu for
// reading. A context that ended before watch's AfterFunc was set still
// wakes the wait: the AfterFunc runs at once.
func (c *Conn) waitFor(ctx context.Context, w *waiter, events int16, end time.Time) error {
	w.watch(ctx)
	if err := c.stopped(ctx); err != nil {
		return err
	}
	return c.wait(w, events, end)
}
