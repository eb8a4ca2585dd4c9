package sock

import (
	"time"

	lua "github.com/yuin/gopher-lua"

)

// wait runs try, a call that never blocks, until it does not return
// inet.ErrWouldBlock: a nonblock socket tries once; otherwise the Lua
// thread waits for events between tries, at most timeout, interrupted by
// the end of the statement's context (^C).
func (s *socket) wait(L *lua.LState, call string, events int16, timeout time.Duration, try func() error) error {
	if s.nonblock {
		return try()
	}
	return s.Block(s.Context(), events, timeout, try)
}
