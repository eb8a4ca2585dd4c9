package childbind

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"syscall"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/child"
)

// A handle is a spawned program as Lua holds it.
type handle struct {
	p    *child.Process
	what string // "proc.spawn sleep (pid 4242)"
}

// String is what tostring shows: proc.spawn sleep (pid 4242), running.
func (h *handle) String() string {
	if status, ended := h.p.Status(); ended {
		return fmt.Sprintf("%s, ended with %d", h.what, status)
	}
	return h.what + ", running"
}

func init() {
	Type.Methods = []luabind.Func{
		{Name: "wait", Sig: "process:wait([timeout]) -> status", Fn: processWait,
			Types: luabind.Types{"timeout": "number", "status": "integer|nil"},
			Doc:   "waits until the program ends, running the loop meanwhile (timers, on() callbacks, watchers, nfqueue verdicts go on), and returns its exit status (128+N after signal N); nil when timeout seconds pass first or a callback calls loop.stop()"},
		{Name: "kill", Sig: "process:kill([signal]) -> sent", Fn: processKill,
			Types: luabind.Types{"signal": "string|integer", "sent": "boolean"},
			Doc:   "sends signal (default \"TERM\"; a name such as \"KILL\" or \"SIGINT\", or a number) to the program's process group; false when it had already ended"},
		{Name: "read", Sig: "process:read() -> output, cut", Fn: processRead,
			Types: luabind.Types{"output": "string", "cut": "integer"},
			Doc:   "returns the output (stdout and stderr merged) so far, without consuming it; cut is how many earlier bytes were dropped to keep within max_output (0 when none)"},
	}
}

// Type is the Lua type of a spawned program's handle. The proc module
// lists it; lab's host:spawn returns it too.
var Type = &luabind.Type{
	Name: "proc.process",
	Doc:  "a program running beside the loop (proc.spawn, host:spawn); killed, with its process group, when the script ends",
	Fields: []luabind.Field{
		{Name: "pid", Type: "integer", Doc: "its process id as netlua sees it (in a lab host it has another number inside)"},
		{Name: "running", Type: "boolean", Doc: "true until it has ended"},
		{Name: "status", Type: "integer", Doc: "its exit status once it has ended (128+N after signal N), else nil"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		p := v.(*handle).p
		status, ended := p.Status()
		switch key {
		case "pid":
			return lua.LNumber(p.Pid())
		case "running":
			return lua.LBool(!ended)
		case "status":
			if ended {
				return lua.LNumber(status)
			}
		}
		return lua.LNil
	},
}

func checkHandle(L *lua.LState, n int) *handle {
	return luabind.CheckObject[*handle](L, n, Type)
}

// processWait implements process:wait([timeout]).
func processWait(L *lua.LState) int {
	h := checkHandle(L, 1)
	d := optTimeout(L, 2)
	if _, ended := h.p.Status(); !ended && d != 0 {
		rt := luabind.RuntimeOf(L)
		ctx, cancel := rt.Context(), context.CancelFunc(func() {})
		if d > 0 {
			ctx, cancel = context.WithTimeout(ctx, d)
		}
		err := rt.Loop.RunUntil(L, ctx, h.p.Done())
		cancel()
		if err != nil && (rt.Context().Err() != nil || !errors.Is(err, context.DeadlineExceeded)) {
			luabind.RaiseRunError(L, err)
		}
	}
	if status, ended := h.p.Status(); ended {
		L.Push(lua.LNumber(status))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// optTimeout returns optional argument n in seconds: -1 when absent or
// nil (no timeout).
func optTimeout(L *lua.LState, n int) time.Duration {
	if L.Get(n) == lua.LNil {
		return -1
	}
	s := luabind.CheckNumber(L, n)
	if math.IsNaN(s) || s < 0 || s > 1e9 {
		luabind.ArgError(L, n, "timeout must be 0 or more seconds")
	}
	return time.Duration(s * float64(time.Second))
}

// processKill implements process:kill([signal]).
func processKill(L *lua.LState) int {
	h := checkHandle(L, 1)
	sig := checkSignal(L, 2)
	sent, err := h.p.Signal(sig)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "proc.kill", Object: h.what, Err: err})
	}
	L.Push(lua.LBool(sent))
	return 1
}

// checkSignal reads argument n as a signal: absent is SIGTERM; a name
// with or without SIG ("KILL", "SIGINT", any case); or a number.
func checkSignal(L *lua.LState, n int) syscall.Signal {
	switch v := L.Get(n).(type) {
	case *lua.LNilType:
		return syscall.SIGTERM
	case lua.LNumber:
		if v != lua.LNumber(math.Trunc(float64(v))) || v < 1 || v > 64 {
			luabind.ArgError(L, n, fmt.Sprintf("no signal %v", v))
		}
		return syscall.Signal(v)
	case lua.LString:
		name := strings.ToUpper(string(v))
		if !strings.HasPrefix(name, "SIG") {
			name = "SIG" + name
		}
		if sig := unix.SignalNum(name); sig != 0 {
			return sig
		}
		luabind.ArgError(L, n, fmt.Sprintf("unknown signal %q", string(v)))
	default:
		luabind.TypeError(L, n, "signal name or number")
	}
	return 0
}

// processRead implements process:read().
func processRead(L *lua.LState) int {
	out, cut := checkHandle(L, 1).p.Output()
	L.Push(lua.LString(out))
	L.Push(lua.LNumber(cut))
	return 2
}
