package conv

import (
	"context"
	"slices"
	"sync/atomic"
	"time"
)

// A conversation is the matching state of Run.
type conversation struct {
	m        Matcher
	opt      Options
	n        int
	buckets  map[uint64][]int // pending requests by hash, in send order
	answered []bool
	round    []int          // the requests of the current round, in send order
	pos      []int          // each request's place in its round
	marked   atomic.Int64   // how many of the round's requests are sent or being sent
	sentAt   []atomic.Int64 // when each request was last sent (Unix ns), written by the sender
	answers  []Answer
	timed    int // answers up to there have their RTT
	left     int // requests of the round not answered yet
	sent     int
	spare    []frame
}

func newConversation(n int, m Matcher, opt Options) *conversation {
	c := &conversation{m: m, opt: opt, n: n, answered: make([]bool, n), pos: make([]int, n), sentAt: make([]atomic.Int64, n)}
	c.round = make([]int, n)
	for i := range c.round {
		c.round[i] = i
	}
	return c
}

// A roundSender sends the requests of order, calling mark(k) before
// sending the k-th.
type roundSender func(ctx context.Context, order []int, mark func(k int)) error

// rounds runs the first round and the retries, as Scapy's sndrcv: a
// negative Retry starts over each time a round brings something new.
func (c *conversation) rounds(ctx context.Context, q *queue, send roundSender) error {
	retry, autostop := c.opt.Retry, 0
	if retry < 0 {
		retry, autostop = -retry, -retry
	}
	for retry >= 0 {
		if err := c.runRound(ctx, q, send); err != nil {
			return err
		}
		remain := c.unanswered(c.round)
		if autostop > 0 && len(remain) > 0 && len(remain) != len(c.round) {
			retry = autostop
		}
		c.round = remain
		if len(c.round) == 0 {
			break
		}
		retry--
	}
	return nil
}

// unanswered are the requests of list with no answer.
func (c *conversation) unanswered(list []int) []int {
	var out []int
	for _, i := range list {
		if !c.answered[i] {
			out = append(out, i)
		}
	}
	return out
}

// runRound sends the round's requests in a goroutine and matches what
// comes until Timeout after the last send, or until every request has
// its answer (without Multi). The sender ends before it returns, also
// when the Matcher panics.
func (c *conversation) runRound(ctx context.Context, q *queue, send roundSender) error {
	c.startRound()
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	var sendErr error
	mark := func(k int) {
		c.sentAt[c.round[k]].Store(time.Now().UnixNano())
		c.marked.Store(int64(k + 1))
	}
	go func() {
		defer close(done)
		sendErr = send(sctx, c.round, mark)
	}()
	defer func() {
		cancel()
		<-done
		c.sent += int(c.marked.Load())
		c.finishRTT()
	}()
	return c.listen(ctx, q, done, &sendErr)
}

// startRound buckets the round's requests by hash.
func (c *conversation) startRound() {
	c.buckets = make(map[uint64][]int, len(c.round))
	for k, i := range c.round {
		c.pos[i] = k
		h := c.m.Request(i)
		c.buckets[h] = append(c.buckets[h], i)
	}
	c.marked.Store(0)
	c.left = len(c.round)
}

// listen matches queued frames until the round ends: Timeout after done
// is closed (the sender has finished, with *sendErr), or once every
// request of the round has its answer, without Multi.
func (c *conversation) listen(ctx context.Context, q *queue, done <-chan struct{}, sendErr *error) error {
	var expired <-chan time.Time
	for {
		if err := c.drain(q); err != nil {
			return err
		}
		if expired != nil && c.left == 0 && !c.opt.Multi {
			return nil
		}
		select {
		case <-q.ready:
		case <-done:
			if *sendErr != nil {
				return *sendErr
			}
			done = nil
			timer := time.NewTimer(c.opt.Timeout)
			defer timer.Stop()
			expired = timer.C
		case <-expired:
			return c.drain(q) // what came up to the deadline
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// drain matches the frames queued.
func (c *conversation) drain(q *queue) error {
	frames, err := q.take(c.spare)
	for _, f := range frames {
		c.match(f)
	}
	clear(frames) // let the chunks go
	c.spare = frames
	return err
}

// match looks for the requests f answers, in f's bucket, in send order.
// A frame received before a request was sent (queued before the call,
// or a late answer to an earlier send) is no answer to it.
func (c *conversation) match(f frame) {
	h, ok := c.m.Reply(f.data)
	if !ok {
		return
	}
	bucket := c.buckets[h]
	sent, ts := int(c.marked.Load()), f.ts.UnixNano()
	for k, i := range bucket {
		if c.pos[i] >= sent || ts < c.sentAt[i].Load() || !c.m.Answers(i) {
			continue
		}
		c.answers = append(c.answers, Answer{Request: i, Reply: f.data, TS: f.ts})
		if !c.answered[i] {
			c.left--
		}
		c.answered[i] = true
		if !c.opt.Multi {
			c.buckets[h] = slices.Delete(bucket, k, k+1)
		}
		return
	}
}

// finishRTT computes the round trip times of the answers that have none.
func (c *conversation) finishRTT() {
	for k := c.timed; k < len(c.answers); k++ {
		a := &c.answers[k]
		a.RTT = time.Duration(a.TS.UnixNano() - c.sentAt[a.Request].Load())
	}
	c.timed = len(c.answers)
}

// result is the answers and the unanswered, in request order.
func (c *conversation) result() Result {
	all := make([]int, c.n)
	for i := range all {
		all[i] = i
	}
	return Result{Answers: c.answers, Unanswered: c.unanswered(all), Sent: c.sent}
}
