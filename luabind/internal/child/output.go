package child

import "sync"

// An Output keeps the last bytes written to it, up to a bound, and counts
// those it dropped. It is safe for concurrent use.
type Output struct {
	mu      sync.Mutex
	keep    int
	buf     []byte
	dropped int64
}

// NewOutput returns an Output that keeps the last keep bytes (at least 1).
func NewOutput(keep int) *Output {
	return &Output{keep: max(keep, 1)}
}

// Write appends b, dropping the oldest bytes beyond the bound. The buffer
// grows to twice the bound before it moves the kept bytes down, so each
// byte is copied a bounded number of times.
func (o *Output) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := len(b)
	if len(b) > o.keep {
		o.dropped += int64(len(o.buf) + len(b) - o.keep)
		o.buf = append(o.buf[:0], b[len(b)-o.keep:]...)
		return n, nil
	}
	o.buf = append(o.buf, b...)
	if excess := len(o.buf) - o.keep; excess > 0 && len(o.buf) >= 2*o.keep {
		o.dropped += int64(excess)
		o.buf = append(o.buf[:0], o.buf[excess:]...)
	}
	return n, nil
}

// Get returns the last bytes kept (at most the bound) and how many
// earlier bytes were dropped.
func (o *Output) Get() (string, int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if excess := len(o.buf) - o.keep; excess > 0 {
		return string(o.buf[excess:]), o.dropped + int64(excess)
	}
	return string(o.buf), o.dropped
}
