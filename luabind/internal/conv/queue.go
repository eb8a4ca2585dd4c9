package conv

import (
	"context"
	"errors"
	"sync"
	"time"
)

// A frame is a received frame waiting to be matched.
type frame struct {
	data []byte
	ts   time.Time
}

// A queue takes what the receivers read to the matching goroutine. It
// has no bound but maxQueued: a receiver never waits for the matching,
// so the kernel's buffer never fills behind a slow match.
type queue struct {
	mu     sync.Mutex
	frames []frame
	err    error         // the first receiver's failure
	ready  chan struct{} // signalled when frames or err are new
	wg     sync.WaitGroup
}

// startReaders starts a goroutine for each receiver, reading until ctx
// ends.
func startReaders(ctx context.Context, recv []Receiver) *queue {
	q := &queue{ready: make(chan struct{}, 1)}
	for _, r := range recv {
		q.wg.Add(1)
		go q.read(ctx, r)
	}
	return q
}

// read runs one receiver, copying each frame into chunks of its own so
// that a frame costs no allocation of its own.
func (q *queue) read(ctx context.Context, recv Receiver) {
	defer q.wg.Done()
	var chunk []byte
	for {
		data, ts, err := recv(ctx)
		if err != nil {
			if ctx.Err() == nil {
				q.fail(err)
			}
			return
		}
		if data == nil {
			continue
		}
		if cap(chunk)-len(chunk) < len(data) {
			chunk = make([]byte, 0, max(64<<10, len(data)))
		}
		start := len(chunk)
		chunk = append(chunk, data...)
		if !q.push(frame{data: chunk[start:len(chunk):len(chunk)], ts: ts}) {
			return
		}
	}
}

// push queues f and signals the matching; false when the queue is full.
func (q *queue) push(f frame) bool {
	q.mu.Lock()
	full := len(q.frames) >= maxQueued
	if full {
		q.err = errors.Join(q.err, ErrQueueFull)
	} else {
		q.frames = append(q.frames, f)
	}
	q.mu.Unlock()
	q.signal()
	return !full
}

// fail records a receiver's failure for the matching to return.
func (q *queue) fail(err error) {
	q.mu.Lock()
	if q.err == nil {
		q.err = err
	}
	q.mu.Unlock()
	q.signal()
}

func (q *queue) signal() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// take returns the frames queued, swapping in spare for the next ones,
// and a receiver's failure.
func (q *queue) take(spare []frame) ([]frame, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	got := q.frames
	q.frames = spare[:0]
	return got, q.err
}

// wait waits for the readers to end, once their context has.
func (q *queue) wait() { q.wg.Wait() }
