// Package loop is the Lua module "loop": timers, stop, run and deferred
// functions on netlua's event loop, and the globals sleep and now.
package loop

import (
	"context"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind"
)

// Module returns the Lua module "loop", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "loop",
		Doc:  "the event loop: timers, stop, run and functions deferred to exit",
		Funcs: []luabind.Func{
			{Name: "after", Sig: "after(seconds, fn) -> timer", Doc: "calls fn(timer) once, after seconds", Fn: after, Types: luabind.Types{"seconds": "number", "fn": "function", "timer": "loop.timer"}},
			{Name: "every", Sig: "every(seconds, fn) -> timer", Doc: "calls fn(timer) every seconds until timer:cancel()", Fn: every, Types: luabind.Types{"seconds": "number", "fn": "function", "timer": "loop.timer"}},
			{Name: "stop", Sig: "stop()", Doc: "leaves the running loop after the current callback; outside a running loop it does nothing", Fn: stop},
			{Name: "run", Sig: "run()", Doc: "runs the loop until nothing is alive or stop() (after the script's main chunk this happens by itself)", Fn: run},
			{Name: "time", Sig: "time() -> seconds", Doc: "the wall clock (CLOCK_REALTIME) in seconds since 1970 (float): the clock of packet timestamps (info.ts), to compare a send with them", Fn: wallTime, Types: luabind.Types{"seconds": "number"}},
			{Name: "defer", Sig: "defer(fn)", Doc: "calls fn when the script ends, however it ends (normal end, error, os.exit, a signal); newest first; a signal during fn stops fn, and the rest of the cleanup goes on", Fn: deferFn, Types: luabind.Types{"fn": "function"}},
		},
		Globals: []luabind.Func{
			{Name: "sleep", Sig: "sleep(seconds)", Doc: "blocks the script for seconds; a signal (SIGINT, SIGTERM, SIGHUP) interrupts it", Fn: sleep, Types: luabind.Types{"seconds": "number"}},
			{Name: "now", Sig: "now() -> seconds", Doc: "monotonic clock in seconds (float), for measuring intervals", Fn: now, Types: luabind.Types{"seconds": "number"}},
		},
		Types: []*luabind.Type{timerType},
	}
}

// checkSeconds returns argument n as a duration of at least min seconds.
func checkSeconds(L *lua.LState, n int, min float64) time.Duration {
	s := luabind.CheckNumber(L, n)
	if math.IsNaN(s) || s < min || s > 1e9 {
		if min > 0 {
			luabind.ArgError(L, n, "seconds must be greater than 0")
		}
		luabind.ArgError(L, n, "seconds must be 0 or more")
	}
	return time.Duration(s * float64(time.Second))
}

func after(L *lua.LState) int {
	return schedule(L, checkSeconds(L, 1, 0), 0)
}

func every(L *lua.LState) int {
	d := checkSeconds(L, 1, 1e-6)
	return schedule(L, d, d)
}

// schedule starts a timer calling argument 2 with its handle.
func schedule(L *lua.LState, d, interval time.Duration) int {
	fn := luabind.CheckFunction(L, 2)
	rt := luabind.RuntimeOf(L)
	var ud *lua.LUserData
	t := rt.Loop.Schedule(d, interval, func(L *lua.LState, _ *luabind.Timer) error {
		return rt.Call(fn, ud)
	})
	ud = luabind.NewObject(L, timerType, t)
	L.Push(ud)
	return 1
}

func stop(L *lua.LState) int {
	luabind.RuntimeOf(L).Loop.Stop()
	return 0
}

func run(L *lua.LState) int {
	rt := luabind.RuntimeOf(L)
	if err := rt.Loop.Run(L, rt.Context()); err != nil {
		luabind.RaiseRunError(L, err)
	}
	return 0
}

// deferFn implements loop.defer(fn); defer is a Go keyword.
func deferFn(L *lua.LState) int {
	luabind.RuntimeOf(L).Defer(luabind.CheckFunction(L, 1))
	return 0
}

func sleep(L *lua.LState) int {
	d := checkSeconds(L, 1, 0)
	rt := luabind.RuntimeOf(L)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-rt.Context().Done():
		L.RaiseError("sleep: %v", context.Cause(rt.Context()))
	}
	return 0
}

func now(L *lua.LState) int { return pushClock(L, "now", unix.CLOCK_MONOTONIC) }

// wallTime implements loop.time().
func wallTime(L *lua.LState) int { return pushClock(L, "loop.time", unix.CLOCK_REALTIME) }

// pushClock pushes clock's time in seconds.
func pushClock(L *lua.LState, op string, clock int32) int {
	var ts unix.Timespec
	if err := unix.ClockGettime(clock, &ts); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: op, Err: err})
	}
	L.Push(lua.LNumber(float64(ts.Sec) + float64(ts.Nsec)/1e9))
	return 1
}
