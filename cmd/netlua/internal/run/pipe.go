package run

import (
	"errors"
	"io"
	"sync"
	"syscall"
)

// A PipeWriter is netlua's standard output or error. When a write finds
// the pipe closed (its reader, head -1 say, has left), it calls broken,
// once, and drops every later write, returning the same error: the
// script then ends through its cleanup with status 141, as a shell
// reports SIGPIPE, instead of being killed by it or getting an error for
// every print that follows. NotifySignals keeps SIGPIPE from killing the
// process, so that the write fails with EPIPE instead.
type PipeWriter struct {
	w      io.Writer
	broken func()

	mu  sync.Mutex // writes come from the Lua thread and progress goroutines
	err error      // the EPIPE that closed the pipe
}

// NewPipeWriter returns a PipeWriter writing to w that calls broken when
// the pipe behind w closes.
func NewPipeWriter(w io.Writer, broken func()) *PipeWriter {
	return &PipeWriter{w: w, broken: broken}
}

// Write writes b to the underlying writer, unless the pipe closed before.
func (p *PipeWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	if p.err != nil {
		p.mu.Unlock()
		return 0, p.err
	}
	n, err := p.w.Write(b)
	closed := errors.Is(err, syscall.EPIPE)
	if closed {
		p.err = err
	}
	p.mu.Unlock()
	if closed {
		p.broken() // unlocked: what it does may write here
	}
	return n, err
}
