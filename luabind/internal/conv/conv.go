package conv

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// A Sender sends one request. It is called from one goroutine at a time,
// never the caller's.
type Sender func(ctx context.Context, data []byte) error

// A Receiver returns the next received frame and the kernel's receive
// time, waiting until one comes or ctx ends. The bytes need stay valid
// only until its next call. A nil frame with a nil error is skipped (a
// frame the receiver sorts out, such as one this host sent).
type Receiver func(ctx context.Context) (data []byte, ts time.Time, err error)

// A Matcher tells which request a received frame answers. Run calls it
// on its own goroutine only.
type Matcher interface {
	// Request returns the hash bucket of request i (frame.Hashret).
	Request(i int) uint64
	// Reply parses a received frame and returns its hash bucket; false
	// drops the frame.
	Reply(data []byte) (uint64, bool)
	// Answers reports whether the frame last given to Reply answers
	// request i.
	Answers(i int) bool
}

// Options are Scapy's options of sr.
type Options struct {
	// Timeout is how long to wait for replies after the last send of a
	// round.
	Timeout time.Duration
	// Inter is the pause between two sends; 0 sends at full speed.
	Inter time.Duration
	// Retry is how many more rounds resend the unanswered requests; a
	// negative Retry repeats rounds until -Retry rounds in a row bring
	// no new answer.
	Retry int
	// Multi lets a request take every answer that comes, not only the
	// first; rounds then always last until their timeout.
	Multi bool
}

// An Answer is a reply to a request.
type Answer struct {
	Request int       // index of the request answered
	Reply   []byte    // the reply's bytes, its own
	TS      time.Time // the kernel's receive time of the reply
	// RTT is TS minus the time the request was last sent: the clock
	// just before its send's system call, as the reply can come before
	// the call returns (a veth delivers to the peer inside it), and a
	// kernel transmit timestamp would cost a receive per send.
	RTT time.Duration
}

// A Result is what a conversation got: answers in the order they came,
// and the indexes of the requests nobody answered, in request order.
type Result struct {
	Answers    []Answer
	Unanswered []int
	Sent       int // frames sent, retries included
}

// maxQueued bounds the received frames waiting to be matched.
const maxQueued = 1 << 20

// ErrQueueFull is the error of a conversation whose receivers got more
// frames than the matching kept up with, maxQueued of them.
var ErrQueueFull = errors.New("more than a million received frames waiting to be matched")

// Run sends the n requests of m with send (data(i) is request i's
// bytes), matches what the receivers get against them, and returns the
// answers and the unanswered. The end of ctx stops it: it returns what it
// got with ctx's cause. A panic in m (an error in a Lua rule) stops the
// goroutines before it goes on.
func Run(ctx context.Context, n int, data func(i int) []byte, send Sender, recv []Receiver, m Matcher, opt Options) (Result, error) {
	if n == 0 {
		return Result{}, nil
	}
	c := newConversation(n, m, opt)
	rctx, stop := context.WithCancel(ctx)
	q := startReaders(rctx, recv)
	defer q.wait()
	defer stop()
	err := c.rounds(ctx, q, func(ctx context.Context, order []int, mark func(int)) error {
		return sendRound(ctx, order, data, send, opt.Inter, mark)
	})
	return c.result(), err
}

// sendRound sends the requests of order, calling mark(k) before the
// send of the k-th, so that a reply coming at once finds it marked.
func sendRound(ctx context.Context, order []int, data func(int) []byte, send Sender, inter time.Duration, mark func(int)) error {
	var next time.Time
	for k, i := range order {
		if k > 0 && inter > 0 {
			if err := sleepUntil(ctx, next); err != nil {
				return err
			}
		}
		mark(k)
		next = time.Now().Add(inter)
		if err := send(ctx, data(i)); err != nil {
			return fmt.Errorf("request %d: %w", i+1, err)
		}
	}
	return nil
}

// sleepUntil waits until t or the end of ctx.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
