package sock

import (
	"time"

	lua "github.com/yuin/gopher-lua"
)

// wait runs try, a call that never blocks, until it does not return
// inet.ErrWouldBlock, and returns the progress try recorded (bytes sent):
//   - a nonblock socket tries once;
//   - in a task's coroutine, where the call can yield again, a call that
//     would block parks the task (errParked: the method returns
//     L.YieldAgain(), and is called again once the socket is ready);
//   - otherwise the Lua thread waits for events between tries, at most
//     timeout, interrupted by the end of the statement's context (^C).
func (s *socket) wait(L *lua.LState, call string, events int16, timeout time.Duration, try func(progress *int) error) (int, error) {
	var progress int
	if s.nonblock {
		err := try(&progress)
		return progress, err
	}
	if t := taskOf(L); t != nil && L.CanYieldAgain() {
		return t.tryParked(s, call, events, timeout, try)
	}
	err := s.Block(s.Context(), events, timeout, func() error { return try(&progress) })
	return progress, err
}
