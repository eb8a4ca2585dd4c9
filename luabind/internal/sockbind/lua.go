package sockbind

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/gopanic"
	"github.com/netlua/netlua/luabind/internal/sock"
)

// CheckTimeout returns optional argument n, in seconds, as the timeout of
// a receive: absent or nil is Forever; 0 only takes what is queued.
func CheckTimeout(L *lua.LState, n int) time.Duration {
	if L.Get(n) == lua.LNil {
		return sock.Forever
	}
	s := luabind.CheckNumber(L, n)
	if math.IsNaN(s) || s < 0 || s > 1e9 {
		luabind.ArgError(L, n, "timeout must be 0 or more seconds")
	}
	return time.Duration(s * float64(time.Second))
}

// Seconds is t as Lua sees a timestamp: float seconds since the epoch, or
// nil for the zero time.
func Seconds(t time.Time) lua.LValue {
	if t.IsZero() {
		return lua.LNil
	}
	return lua.LNumber(float64(t.UnixNano()) / 1e9)
}

// deliverVia runs read in a new goroutine until it fails, and hands each
// value it returns to deliver on the Lua thread, through the event loop:
// this is how s:on(fn) works. The loop stays alive until stop is called
// (by the socket's close) or read fails. read gets the runtime's lifetime,
// not the run's context: the reader of an on() started at the prompt goes
// on when a later statement is interrupted. A read failure other than a
// closed socket or the runtime's close ends the script with an error
// naming op; so does a panic in read.
func deliverVia[T any](L *lua.LState, op string, read func(ctx context.Context) (T, error), deliver func(L *lua.LState, v T) error) (stop func()) {
	rt := luabind.RuntimeOf(L)
	ctx := rt.Lifetime()
	release := rt.Loop.Hold()
	go func() {
		defer release()
		defer func() {
			if r := recover(); r != nil {
				rt.Loop.Post(func(*lua.LState) error { return gopanic.Error(op, r) })
			}
		}()
		for {
			v, err := read(ctx)
			if err != nil {
				if !errors.Is(err, net.ErrClosed) && ctx.Err() == nil {
					rt.Loop.Post(func(*lua.LState) error { return fmt.Errorf("%s: %w", op, err) })
				}
				return
			}
			if !rt.Loop.Post(func(L *lua.LState) error { return deliver(L, v) }) {
				return
			}
		}
	}()
	return release
}

// Numbers keeps the Lua value of the last number it was asked for:
// boxing a number as an LValue allocates, and in a loop the sizes,
// interfaces and protocols of packets repeat. The zero value is ready.
type Numbers struct {
	n int
	v lua.LValue
}

// Value is n as a Lua value.
func (c *Numbers) Value(n int) lua.LValue {
	if c.v == nil || c.n != n {
		c.n, c.v = n, lua.LNumber(n)
	}
	return c.v
}
