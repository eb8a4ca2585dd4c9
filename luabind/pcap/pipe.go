package pcap

import (
	"context"
	"errors"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Capture files are often FIFOs and pipes (tcpdump -w fifo, /dev/stdin),
// whose opens and reads wait for a writer. A wait in open(2) or read(2)
// is one no signal ends (Go restarts the call), so the reader opens
// without blocking and lets the runtime's poller do the waiting, which
// the end of the caller's context cuts short.

// openRead opens name for reading without waiting for a FIFO's writer:
// with O_NONBLOCK, Go's poller takes a FIFO or pipe, and reads that find
// nothing park there instead of in read(2).
func openRead(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// awaitWriter waits until the FIFO f has something to read, or its
// writer has come and gone: a read before the writer comes would find
// the end of the file at once. A read deadline (see interrupter) ends
// the wait.
func awaitWriter(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var perr error
	err = rc.Read(func(fd uintptr) bool {
		fds := [1]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds[:], 0)
		if err != nil && err != unix.EINTR {
			perr = os.NewSyscallError("poll", err)
			return true
		}
		return n > 0 // POLLIN, or POLLHUP once the writer has closed
	})
	return errors.Join(err, perr)
}

// An interrupter ends the reads of a file that may wait (a FIFO, a pipe)
// when the context of the call reading it ends: it sets a read deadline
// in the past from a context.AfterFunc, made once per context, not per
// read.
type interrupter struct {
	f    *os.File
	mu   sync.Mutex // guards what follows
	ctx  context.Context
	stop func() bool
	gen  uint64 // which watch may set the deadline
}

// watch makes the end of ctx end f's reads, in place of the context
// watched before.
func (i *interrupter) watch(ctx context.Context) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if ctx == i.ctx {
		return
	}
	if i.stop != nil {
		i.stop()
		i.f.SetReadDeadline(time.Time{})
	}
	i.gen++
	gen := i.gen
	i.ctx = ctx
	i.stop = context.AfterFunc(ctx, func() {
		i.mu.Lock()
		defer i.mu.Unlock()
		if gen == i.gen {
			i.f.SetReadDeadline(time.Unix(1, 0))
		}
	})
}

// cause is the cause of the watched context if it has ended: a read that
// failed then failed for that, whatever its error says.
func (i *interrupter) cause() error {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.ctx == nil || i.ctx.Err() == nil {
		return nil
	}
	return context.Cause(i.ctx)
}

// close stops watching.
func (i *interrupter) close() {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.stop != nil {
		i.stop()
	}
}
