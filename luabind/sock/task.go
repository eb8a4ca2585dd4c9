package sock

import (
	"errors"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/inet"
)

// Tasks: sock.go(fn, ...) runs fn in a coroutine whose blocking socket
// calls park on the event loop instead of blocking the script. A parked
// call yields with YieldAgain (gopher-lua patch 27) after recording what
// it waits for; a goroutine polls the socket, and the loop resumes the
// coroutine, which makes the call again: it finds its data, or raises its
// error, as any call.

// A task is a coroutine started by sock.go.
type task struct {
	th      *lua.LState
	fn      *lua.LFunction
	args    []lua.LValue
	started bool
	done    bool
	results []lua.LValue
	err     lua.LValue // fn's error with its traceback, or nil
	ended   float64    // loop.now() when fn returned
	park    *parking   // the call the task waits in, or nil
	onTask  bool       // the task waits for another (task:wait)
	waiters []func()   // called when the task ends: task:wait's
	release func()     // lets the loop end once the parked call is resumed
}

// parking is a socket call a task waits in: what it waits for, until
// when, and how far it got (bytes a send has written).
type parking struct {
	s        *socket
	call     string
	events   int16
	timeout  time.Duration
	end      time.Time
	expired  bool // the wait reached end: the call raises its timeout
	progress int
}

// tasks are the runtime's running tasks, by coroutine.
type tasks map[*lua.LState]*task

// tasksOf returns the task table of L's runtime.
func tasksOf(L *lua.LState) tasks {
	return luabind.RuntimeOf(L).State("sock", func() any { return tasks{} }).(tasks)
}

// taskOf is the task whose coroutine L is, or nil.
func taskOf(L *lua.LState) *task { return tasksOf(L)[L] }

// errParked says that the call was parked: the method yields with
// L.YieldAgain.
var errParked = errors.New("parked")

// tryParked is wait in a task: it tries the call, and when it would block it
// records the wait and returns errParked. progress is what an earlier try
// of the same parked call did. A call whose wait expired returns its
// timeout.
func (t *task) tryParked(s *socket, call string, events int16, timeout time.Duration, try func(progress *int) error) (int, error) {
	p := t.park
	if p == nil || p.s != s || p.call != call {
		p = &parking{s: s, call: call, events: events, timeout: timeout, end: inet.Deadline(timeout)}
	}
	t.park = nil
	err := try(&p.progress)
	switch {
	case err != inet.ErrWouldBlock:
		return p.progress, err
	case p.expired:
		return p.progress, &inet.TimeoutError{After: timeout}
	}
	t.park = p
	return p.progress, errParked
}

// resume runs the task's coroutine until it parks, yields or ends.
func (t *task) resume(L *lua.LState) error {
	rt := luabind.RuntimeOf(L)
	if t.release != nil {
		t.release()
		t.release = nil
	}
	t.onTask = false
	if ctx := L.Context(); ctx != nil && t.th.Context() != ctx {
		t.th.SetContext(ctx)
	}
	var st lua.ResumeState
	var err error
	var vals []lua.LValue
	if t.started {
		st, err, vals = L.Resume(t.th, nil)
	} else {
		t.started = true
		st, err, vals = L.Resume(t.th, t.fn, t.args...)
		t.args = nil
	}
	switch {
	case err != nil:
		t.finish(L, nil, t.traceback(L, err))
	case st == lua.ResumeOK:
		t.finish(L, vals, nil)
	case t.park != nil:
		return t.wait(rt)
	case t.onTask: // the awaited task's end resumes it
	default: // a plain coroutine.yield: go on at the loop's next turn
		t.release = rt.Loop.Hold()
		rt.Loop.Post(t.resume)
	}
	return nil
}

// wait polls the parked call's socket and resumes the task from the loop
// when it is ready, its wait ends or the socket closes.
func (t *task) wait(rt *luabind.Runtime) error {
	p := t.park
	t.release = rt.Loop.Hold()
	_, err := p.s.Watch(p.events, p.end, func(err error) bool {
		rt.Loop.Post(func(L *lua.LState) error {
			if errors.Is(err, os.ErrDeadlineExceeded) && t.park == p {
				p.expired = true
			}
			return t.resume(L)
		})
		return false
	})
	if err != nil { // closed meanwhile: the call raises it
		rt.Loop.Post(t.resume)
	}
	return nil
}

// finish records the end of the task and wakes its waiters.
func (t *task) finish(L *lua.LState, results []lua.LValue, err lua.LValue) {
	t.done, t.results, t.err, t.ended = true, results, err, monotonic()
	delete(tasksOf(L), t.th)
	for _, w := range t.waiters {
		w()
	}
	t.waiters = nil
}

// traceback is the error of fn with the traceback of its coroutine, as
// debug.traceback writes it.
func (t *task) traceback(L *lua.LState, err error) lua.LValue {
	var msg lua.LValue = lua.LString(err.Error())
	if api, ok := err.(*lua.ApiError); ok {
		msg = api.Object
	}
	if _, ok := msg.(lua.LString); !ok {
		return msg // an error value that is not a string stays as it is
	}
	dbg, ok := L.GetGlobal("debug").(*lua.LTable)
	if !ok {
		return msg
	}
	tb := dbg.RawGetString("traceback")
	if L.CallByParam(lua.P{Fn: tb, NRet: 1, Protect: true}, t.th, msg) != nil {
		return msg
	}
	v := L.Get(-1)
	L.Pop(1)
	return v
}

// monotonic is loop.now(): CLOCK_MONOTONIC in seconds.
func monotonic() float64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return float64(ts.Sec) + float64(ts.Nsec)/1e9
}
