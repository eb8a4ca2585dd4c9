package sock

import (
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind"
)

// socket:on("readable"|"writable", fn) and the handle it returns.

var onMethod = luabind.Func{Name: "on", Sig: "socket:on(event, fn) -> handle", Fn: socketOn,
	Types: luabind.Types{"event": "\"readable\"|\"writable\"", "fn": "function", "handle": "sock.handle"},
	Doc: "calls fn(socket) through the event loop each time the socket is readable (data, a connection to accept, the end of the stream) or writable (room to send, a nonblock connect done), " +
		"until handle:cancel() or close(); as poll is level-triggered, fn is called again while the condition holds"}

var handleType = &luabind.Type{
	Name: "sock.handle",
	Doc:  "an on() callback of a socket",
	Fields: []luabind.Field{
		{Name: "active", Type: "boolean", Doc: "false after cancel() or the socket's close"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		if key == "active" {
			return lua.LBool(!v.(*handle).cancelled)
		}
		return lua.LNil
	},
}

func init() {
	handleType.Methods = []luabind.Func{
		{Name: "cancel", Sig: "handle:cancel()", Fn: handleCancel, Doc: "stops the callback; safe to call twice"},
	}
}

// A handle is a running on() callback.
type handle struct {
	cancelled bool
	stop      func() // ends the watch
	release   func() // lets the loop end
}

// cancel stops the callback, once.
func (h *handle) cancel() {
	if !h.cancelled {
		h.cancelled = true
		h.stop()
		h.release()
	}
}

var events = map[string]int16{"readable": unix.POLLIN, "writable": unix.POLLOUT}

func socketOn(L *lua.LState) int {
	s := check(L, "on")
	ev, ok := events[luabind.CheckString(L, 2)]
	if !ok {
		luabind.ArgError(L, 2, "use \"readable\" or \"writable\"")
	}
	fn := luabind.CheckFunction(L, 3)
	self := L.Get(1)
	rt := luabind.RuntimeOf(L)
	h := &handle{release: rt.Loop.Hold()}
	stop, err := s.Watch(ev, time.Time{}, func(err error) bool {
		if err != nil {
			rt.Loop.Post(func(*lua.LState) error { h.cancel(); return nil })
			return false
		}
		done := make(chan bool, 1)
		posted := rt.Loop.Post(func(*lua.LState) error {
			if h.cancelled {
				done <- false
				return nil
			}
			err := rt.Call(fn, self)
			done <- !h.cancelled
			return err
		})
		if !posted {
			return false
		}
		select {
		case more := <-done:
			return more
		case <-rt.Lifetime().Done():
			return false
		}
	})
	if err != nil {
		h.release()
		s.raise(L, "on", "", err)
	}
	h.stop = stop
	L.Push(luabind.NewObject(L, handleType, h))
	return 1
}

func handleCancel(L *lua.LState) int {
	luabind.CheckObject[*handle](L, 1, handleType).cancel()
	return 0
}
