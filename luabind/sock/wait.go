package sock

import (
	"errors"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/inet"
)

// wait runs try, a call that never blocks, until it does not return
// inet.ErrWouldBlock, and returns the progress try recorded (bytes sent):
//   - a nonblock socket tries once;
//   - in a task's coroutine, where the call can yield again, a call that
//     would block parks the task (errParked: the method returns
//     L.YieldAgain(), and is called again once the socket is ready);
//   - while tasks wait, the Lua thread runs the event loop between
//     tries, so that they go on (a task accepts the connection the main
//     thread makes and waits to read from);
//   - otherwise the Lua thread waits for events between tries, at most
//     timeout, interrupted by the end of the statement's context (^C).
func (s *socket) wait(L *lua.LState, call string, events int16, timeout time.Duration, try func(progress *int) error) (int, error) {
	var progress int
	if s.nonblock {
		err := try(&progress)
		return progress, err
	}
	tasks := tasksOf(L)
	if t := tasks[L]; t != nil && L.CanYieldAgain() {
		return t.tryParked(s, call, events, timeout, try)
	}
	if len(tasks) > 0 {
		return s.runLoop(L, events, timeout, try)
	}
	err := s.Block(s.Context(), events, timeout, func() error { return try(&progress) })
	return progress, err
}

// runLoop is wait running the event loop between tries, until the socket
// is ready or timeout passes.
func (s *socket) runLoop(L *lua.LState, events int16, timeout time.Duration, try func(progress *int) error) (int, error) {
	rt := luabind.RuntimeOf(L)
	end := inet.Deadline(timeout)
	var progress int
	for {
		err := try(&progress)
		if err != inet.ErrWouldBlock {
			return progress, err
		}
		done := make(chan struct{})
		var expired bool // written before done is closed
		stop, err := s.Watch(events, end, func(err error) bool {
			expired = errors.Is(err, os.ErrDeadlineExceeded)
			close(done)
			return false
		})
		if err != nil {
			return progress, err
		}
		err = rt.Loop.RunUntil(L, s.Context(), done)
		stop()
		if err != nil {
			return progress, err
		}
		if expired {
			return progress, &inet.TimeoutError{After: timeout}
		}
	}
}
