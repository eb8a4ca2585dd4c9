package conv

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"testing"
	"time"
)

// net is a fake link: requests are 4-byte numbers; the peer answers
// request i (on its k-th send, k from 1) with reply(i, k) copies of "i"
// with the high bit set, delivered inside the send, as a veth delivers
// before sendto returns.
type net struct {
	mu    sync.Mutex
	sends map[uint32]int
	reply func(i uint32, k int) int
	in    chan []byte
}

func newNet(reply func(i uint32, k int) int) *net {
	return &net{sends: map[uint32]int{}, reply: reply, in: make(chan []byte, 1<<16)}
}

func (n *net) send(ctx context.Context, data []byte) error {
	i := binary.BigEndian.Uint32(data)
	n.mu.Lock()
	n.sends[i]++
	k := n.sends[i]
	n.mu.Unlock()
	for range n.reply(i, k) {
		n.in <- binary.BigEndian.AppendUint32(nil, i|1<<31)
	}
	return nil
}

func (n *net) recv(ctx context.Context) ([]byte, time.Time, error) {
	select {
	case b := <-n.in:
		return b, time.Now(), nil
	case <-ctx.Done():
		return nil, time.Time{}, ctx.Err()
	}
}

func (n *net) count(i uint32) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.sends[i]
}

// matcher matches reply i|1<<31 to request i, in buckets of i mod 7.
type matcher struct{ last uint32 }

func (m *matcher) Request(i int) uint64 { return uint64(i % 7) }

func (m *matcher) Reply(data []byte) (uint64, bool) {
	v := binary.BigEndian.Uint32(data)
	if v&(1<<31) == 0 {
		return 0, false
	}
	m.last = v &^ (1 << 31)
	return uint64(m.last % 7), true
}

func (m *matcher) Answers(i int) bool { return uint32(i) == m.last }

func run(t *testing.T, n int, link *net, opt Options) Result {
	t.Helper()
	data := func(i int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(i)) }
	res, err := Run(context.Background(), n, data, link.send, []Receiver{link.recv}, &matcher{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Every third request goes unanswered; the rest are answered once, and
// the round ends at once when all that can be are (no Multi).
func TestAnsweredAndUnanswered(t *testing.T) {
	link := newNet(func(i uint32, k int) int { return b2i(i%3 != 0) })
	res := run(t, 1000, link, Options{Timeout: 50 * time.Millisecond})
	if len(res.Answers) != 666 || len(res.Unanswered) != 334 || res.Sent != 1000 {
		t.Fatalf("%d answers, %d unanswered, %d sent", len(res.Answers), len(res.Unanswered), res.Sent)
	}
	for _, a := range res.Answers {
		if a.Request%3 == 0 || a.RTT < 0 || a.RTT > time.Second {
			t.Errorf("answer to %d, rtt %v", a.Request, a.RTT)
		}
	}
	for k, i := range res.Unanswered {
		if i != 3*k {
			t.Fatalf("unanswered[%d] = %d", k, i)
		}
	}
}

// Retry resends only the unanswered: the peer answers odd requests on
// their second send only.
func TestRetryResendsUnanswered(t *testing.T) {
	link := newNet(func(i uint32, k int) int { return b2i(i%2 == 0 || k == 2) })
	res := run(t, 100, link, Options{Timeout: 20 * time.Millisecond, Retry: 3})
	if len(res.Answers) != 100 || res.Sent != 150 {
		t.Fatalf("%d answers, %d sent", len(res.Answers), res.Sent)
	}
	for i := range uint32(100) {
		if want := 1 + int(i%2); link.count(i) != want {
			t.Errorf("request %d sent %d times, want %d", i, link.count(i), want)
		}
	}
}

// A negative retry goes on while rounds bring answers, and stops after
// -Retry rounds in a row that bring none: request i is answered on its
// i-th send, up to 4; 9 is never.
func TestNegativeRetry(t *testing.T) {
	link := newNet(func(i uint32, k int) int { return b2i(i < 9 && k == max(int(i), 1)) })
	res := run(t, 10, link, Options{Timeout: 5 * time.Millisecond, Retry: -2})
	if len(res.Answers) != 9 || len(res.Unanswered) != 1 {
		t.Fatalf("%d answers, %d unanswered", len(res.Answers), len(res.Unanswered))
	}
	// Rounds 1..8 each answer something; rounds 9 and 10 answer nothing.
	if got := link.count(9); got != 10 {
		t.Errorf("request 9 sent %d times, want 10", got)
	}
}

// With Multi a request takes every answer, and the round lasts its
// timeout.
func TestMulti(t *testing.T) {
	link := newNet(func(i uint32, k int) int { return 3 })
	res := run(t, 10, link, Options{Timeout: 20 * time.Millisecond, Multi: true})
	if len(res.Answers) != 30 || len(res.Unanswered) != 0 {
		t.Fatalf("%d answers, %d unanswered", len(res.Answers), len(res.Unanswered))
	}
	link = newNet(func(i uint32, k int) int { return 3 })
	if res := run(t, 10, link, Options{Timeout: 20 * time.Millisecond}); len(res.Answers) != 10 {
		t.Fatalf("without multi: %d answers", len(res.Answers))
	}
}

// Inter spaces the sends.
func TestInter(t *testing.T) {
	link := newNet(func(i uint32, k int) int { return 1 })
	start := time.Now()
	run(t, 5, link, Options{Inter: 20 * time.Millisecond})
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("5 sends 20 ms apart took %v", d)
	}
}

// The end of the context stops a conversation waiting for its timeout.
func TestCancel(t *testing.T) {
	link := newNet(func(i uint32, k int) int { return 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	data := func(i int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(i)) }
	start := time.Now()
	res, err := Run(ctx, 3, data, link.send, []Receiver{link.recv}, &matcher{}, Options{Timeout: time.Hour})
	if !errors.Is(err, context.DeadlineExceeded) || len(res.Unanswered) != 3 || time.Since(start) > 10*time.Second {
		t.Fatalf("err %v, %d unanswered after %v", err, len(res.Unanswered), time.Since(start))
	}
}

// A receiver's failure ends the conversation with it.
func TestReceiverError(t *testing.T) {
	link := newNet(func(i uint32, k int) int { return 0 })
	boom := errors.New("boom")
	fail := func(ctx context.Context) ([]byte, time.Time, error) { return nil, time.Time{}, boom }
	data := func(i int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(i)) }
	_, err := Run(context.Background(), 3, data, link.send, []Receiver{fail}, &matcher{}, Options{Timeout: time.Hour})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// A reply received before its request was sent (queued before the call,
// as a late answer to an earlier one is) is no answer to it, even read
// after the send.
func TestStaleReply(t *testing.T) {
	link := newNet(func(i uint32, k int) int { return b2i(i == 1) })
	stale := binary.BigEndian.AppendUint32(nil, 0|1<<31)
	staleTS := time.Now().Add(-time.Second)
	sent := false
	recv := func(ctx context.Context) ([]byte, time.Time, error) {
		if !sent {
			for link.count(0) == 0 {
				time.Sleep(time.Millisecond)
			}
			sent = true
			return stale, staleTS, nil
		}
		return link.recv(ctx)
	}
	data := func(i int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(i)) }
	res, err := Run(context.Background(), 2, data, link.send, []Receiver{recv}, &matcher{}, Options{Timeout: 50 * time.Millisecond})
	if err != nil || len(res.Answers) != 1 || res.Answers[0].Request != 1 || len(res.Unanswered) != 1 || res.Unanswered[0] != 0 {
		t.Fatalf("err %v, answers %+v, unanswered %v", err, res.Answers, res.Unanswered)
	}
}
