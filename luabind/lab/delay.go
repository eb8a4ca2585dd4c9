package lab

import (
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/netlua/netlua/luabind/internal/nfq"
)

// A delayQueue delays the packets of an NFQUEUE: it gives each its accept
// verdict delay ± jitter after it came, from a goroutine of its own that
// never waits for Lua. This is netlua's delay where the kernel has no
// netem. Holding the packet in the kernel's queue and sending only its
// verdict copies nothing back and keeps the packet on its own path
// (conntrack, the qdisc, the peer); a relay through a packet socket
// would copy every frame twice and hide the veth behind a second one.
//
// Packets leave in the order they came: a packet is due at the later of
// its own time and the packet before's, so jitter stretches gaps but
// never reorders (netem, without a rate, reorders). That keeps the
// kernel's batch verdict usable, which accepts every packet up to an ID
// in one message.
type delayQueue struct {
	q             *nfq.Queue
	timer         *hrTimer
	delay, jitter time.Duration
	limit         int
	early         time.Duration // how early the timer is set, and packets may go
	armed         time.Time     // when the timer is set to fire, zero if not ahead
	stop          chan struct{}
	done          chan struct{}
	closeOnce     sync.Once
	closeErr      error
}

// held is a packet waiting for its time.
type held struct {
	id  uint32
	due time.Time
}

// openDelayQueue binds a free queue in the host's namespace and starts
// releasing its packets.
func openDelayQueue(h *Host, delay, jitter time.Duration, limit int) (*delayQueue, error) {
	d := &delayQueue{delay: delay, jitter: jitter, limit: limit, early: startEarly,
		stop: make(chan struct{}), done: make(chan struct{})}
	timer, err := newHRTimer()
	if err != nil {
		return nil, err
	}
	q, err := nfq.Open(h.ns, nil)
	if err != nil {
		timer.Close()
		return nil, err
	}
	d.q, d.timer = q, timer
	go d.run()
	return d, nil
}

// run files packets as they come and accepts them when due.
func (d *delayQueue) run() {
	defer close(d.done)
	var fifo []held
	var buf []nfq.Packet
	for {
		select {
		case <-d.stop:
			return
		case <-d.q.Ready():
			buf = d.q.Take(buf)
			fifo = d.file(fifo, buf)
		case <-d.timer.C:
			d.learn(time.Now())
		}
		fifo = d.release(fifo)
		if len(fifo) > 0 {
			d.arm(fifo[0].due)
		}
	}
}

// file appends pkts to fifo, each due delay ± jitter after it came (to
// the consumer, which takes no turn of this goroutine) but not before
// the one ahead of it; past the limit a packet is dropped, as netem drops
// what its queue cannot hold.
func (d *delayQueue) file(fifo []held, pkts []nfq.Packet) []held {
	for _, p := range pkts {
		if len(fifo) >= d.limit {
			_ = d.q.Drop(p.ID)
			continue
		}
		due := p.Came.Add(d.delay)
		if d.jitter > 0 {
			due = due.Add(time.Duration(rand.Int64N(int64(2*d.jitter)+1)) - d.jitter)
		}
		if n := len(fifo); n > 0 && due.Before(fifo[n-1].due) {
			due = fifo[n-1].due
		}
		fifo = append(fifo, held{p.ID, due})
	}
	return fifo
}

// The timer is set early by what its wake-up and the verdict take, and
// packets due within that time go, so that they leave on time on average
// rather than always late: tens of microseconds on an idle machine, more
// on a busy one or under the race detector. The queue learns it from the
// timer's own lateness. (Polling the clock for the last microseconds
// instead does worse on a busy machine: the spinning thread loses its
// turn.) A packet thus leaves at most maxEarly+verdictCost early.
const (
	startEarly  = 75 * time.Microsecond  // before anything is learnt
	verdictCost = 25 * time.Microsecond  // from release to the packet on its way
	maxEarly    = 300 * time.Microsecond // a bound, so one stall teaches little
)

// arm sets the timer to fire early before due.
func (d *delayQueue) arm(due time.Time) {
	at := due.Add(-d.early)
	d.armed = time.Time{}
	if wait := time.Until(at); wait > 0 {
		d.armed = at
	}
	_ = d.timer.Set(time.Until(at))
}

// learn adjusts early to how late the timer fired at now: an average of
// the last few wake-ups' lateness, plus the verdict's cost. A tick from
// before the latest arming (or for a time already past) teaches nothing.
func (d *delayQueue) learn(now time.Time) {
	if d.armed.IsZero() || now.Before(d.armed) {
		return
	}
	lag := min(now.Sub(d.armed), maxEarly)
	d.early += (lag + verdictCost - d.early) / 8
	d.armed = time.Time{}
}

// release accepts the packets due now (or within early: the timer woke
// early on purpose) and returns the rest.
func (d *delayQueue) release(fifo []held) []held {
	now := time.Now().Add(d.early)
	n := 0
	for n < len(fifo) && !fifo[n].due.After(now) {
		d.q.Accept(fifo[n].id)
		n++
	}
	if n > 0 {
		_ = d.q.Flush()
	}
	return append(fifo[:0], fifo[n:]...)
}

// Close stops releasing and lets every packet still held pass.
func (d *delayQueue) Close() error {
	d.closeOnce.Do(func() {
		close(d.stop)
		<-d.done
		d.closeErr = errors.Join(d.q.Close(), d.timer.Close())
	})
	return d.closeErr
}
