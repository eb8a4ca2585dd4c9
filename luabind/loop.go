package luabind

import (
	"container/heap"
	"context"
	"sync"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// A Job is work posted to the loop from another goroutine. It runs on the
// Lua thread; an error it returns ends the loop as a script error, and so
// does a Go panic in it ("loop: internal error: ...").
type Job func(L *lua.LState) error

// A Loop runs timers and posted jobs on the goroutine that owns the Lua
// state. It is alive while a timer is pending or a Hold is kept.
type Loop struct {
	jobs    chan Job
	wake    chan struct{}
	done    chan struct{} // closed when the runtime closes
	timers  timerHeap
	seq     uint64
	holds   atomic.Int64
	stopped bool
	running int
}

func newLoop() *Loop {
	return &Loop{
		jobs: make(chan Job, 256),
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
}

// Post hands job to the loop. It may be called from any goroutine and
// blocks while the queue is full; it returns false, dropping the job, once
// the runtime has closed.
func (lp *Loop) Post(job Job) bool {
	select {
	case lp.jobs <- job:
		return true
	case <-lp.done:
		return false
	}
}

// Hold keeps the loop alive until the returned release is called, as a
// watcher does while its socket is open. release is idempotent and may be
// called from any goroutine.
func (lp *Loop) Hold() (release func()) {
	lp.holds.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			lp.holds.Add(-1)
			select {
			case lp.wake <- struct{}{}:
			default:
			}
		})
	}
}

// Stop makes the running loop return after the current callback. Outside
// a running loop it does nothing: a later Run runs.
func (lp *Loop) Stop() {
	if lp.running > 0 {
		lp.stopped = true
	}
}

// alive reports whether anything could still produce work.
func (lp *Loop) alive() bool {
	return len(lp.timers) > 0 || lp.holds.Load() > 0 || len(lp.jobs) > 0
}

// Run runs timers and jobs until nothing is alive, Stop is called, a
// callback fails or ctx ends. It runs on the Lua thread only.
func (lp *Loop) Run(L *lua.LState, ctx context.Context) error {
	return lp.run(L, ctx, nil)
}

// RunUntil runs timers and jobs, as Run does, until done is closed, even
// while nothing is alive: a call that waits for something (a process's
// end) runs it so that the script's callbacks go on meanwhile. It also
// returns when Stop is called (done may then still be open), a callback
// fails or ctx ends. It may run inside a callback of a running loop.
func (lp *Loop) RunUntil(L *lua.LState, ctx context.Context, done <-chan struct{}) error {
	return lp.run(L, ctx, done)
}

// run is Run when done is nil, else RunUntil.
func (lp *Loop) run(L *lua.LState, ctx context.Context, done <-chan struct{}) error {
	lp.running++
	defer func() { lp.running--; lp.stopped = false }()
	wait := time.NewTimer(time.Hour)
	defer wait.Stop()
	for !lp.stopped {
		if err := lp.fireDue(L); err != nil || lp.stopped {
			return err
		}
		if done == nil && !lp.alive() {
			return nil
		}
		var timerC <-chan time.Time
		if len(lp.timers) > 0 {
			wait.Reset(time.Until(lp.timers[0].when))
			timerC = wait.C
		}
		select {
		case job := <-lp.jobs:
			if err := safely("loop", func() error { return job(L) }); err != nil {
				return err
			}
		case <-timerC:
		case <-lp.wake:
		case <-done:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	return nil
}

// fireDue runs every timer whose time has come, earliest (then oldest) first.
func (lp *Loop) fireDue(L *lua.LState) error {
	now := time.Now()
	for len(lp.timers) > 0 && !lp.timers[0].when.After(now) && !lp.stopped {
		t := lp.timers[0]
		if t.every > 0 {
			t.when = t.when.Add(t.every)
			if t.when.Before(now) {
				t.when = now.Add(t.every)
			}
			heap.Fix(&lp.timers, 0)
		} else {
			heap.Pop(&lp.timers)
		}
		if err := safely("timer", func() error { return t.fire(L, t) }); err != nil {
			return err
		}
	}
	return nil
}

// A Timer is a pending after or every callback.
type Timer struct {
	when  time.Time
	every time.Duration // 0 for one shot
	seq   uint64
	index int // in the heap; -1 once removed
	loop  *Loop
	fire  func(L *lua.LState, t *Timer) error
}

// Schedule arranges for fire to run after d, and then every `every` if
// every > 0. It runs on the Lua thread only.
func (lp *Loop) Schedule(d, every time.Duration, fire func(L *lua.LState, t *Timer) error) *Timer {
	lp.seq++
	t := &Timer{when: time.Now().Add(d), every: every, seq: lp.seq, loop: lp, fire: fire}
	heap.Push(&lp.timers, t)
	return t
}

// Cancel removes the timer; it is idempotent and safe inside its own callback.
func (t *Timer) Cancel() {
	if t.index >= 0 && t.index < len(t.loop.timers) && t.loop.timers[t.index] == t {
		heap.Remove(&t.loop.timers, t.index)
	}
	t.index = -1
	t.every = 0
}

// Pending reports whether the timer will still fire.
func (t *Timer) Pending() bool { return t.index >= 0 }

type timerHeap []*Timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].seq < h[j].seq
	}
	return h[i].when.Before(h[j].when)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}

// RaiseRunError raises in L the error of a loop run (Run, RunUntil) made
// by a Lua call, such as loop.run: a callback's Lua error is raised again
// with its own value, anything else (an interrupt) with its text.
func RaiseRunError(L *lua.LState, err error) {
	if apiErr, ok := err.(*lua.ApiError); ok {
		L.Error(apiErr.Object, 0)
	}
	L.RaiseError("%s", err.Error())
}
