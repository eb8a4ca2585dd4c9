package luabind_test

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// newTestRuntime is a runtime printing to out, with a global blocked()
// that closes the returned channel, so that a test knows when the Lua code
// got where it blocks.
func newTestRuntime(t *testing.T, out *strings.Builder) (*luabind.Runtime, <-chan struct{}) {
	t.Helper()
	rt := luabind.New(luaModules()...)
	rt.Stdout = out
	blocked := make(chan struct{})
	rt.L.SetGlobal("blocked", rt.L.NewFunction(func(*lua.LState) int { close(blocked); return 0 }))
	return rt, blocked
}

// run loads code and runs it in rt.
func run(t *testing.T, rt *luabind.Runtime, code string) error {
	t.Helper()
	chunk, err := rt.Load(strings.NewReader(code), "t.lua")
	if err != nil {
		t.Fatal(err)
	}
	return rt.Run(chunk)
}

// closeWithin closes rt, failing the test if that takes 10 s.
func closeWithin(t *testing.T, rt *luabind.Runtime) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- rt.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Close still running after 10 s")
		return nil
	}
}

// During Close an Interrupt stops the deferred function running, and the
// rest of the cleanup goes on: the other deferred functions, the ledger.
// During the ledger it stops nothing.
func TestInterruptStopsOnlyTheDeferredFunctionRunning(t *testing.T) {
	var out strings.Builder
	rt, blocked := newTestRuntime(t, &out)
	var duringLedger bool
	rt.Ledger.Add("kernel object", func() error {
		duringLedger = rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGINT})
		out.WriteString("ledger\n")
		return nil
	})
	err := run(t, rt, `local loop = require 'loop'
loop.defer(function() print('first registered') end)
loop.defer(function() blocked() sleep(1e8) print('not reached') end)`)
	if err != nil {
		t.Fatal(err)
	}
	stopped := make(chan bool, 1)
	go func() {
		<-blocked
		stopped <- rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGTERM})
	}()
	err = closeWithin(t, rt)
	var intr *luabind.Interrupt
	var deferred *luabind.DeferredError
	if !errors.As(err, &deferred) || !errors.As(err, &intr) || intr.Signal != syscall.SIGTERM {
		t.Errorf("Close: %v, want the deferred function's interrupt", err)
	}
	// The interrupt may land in sleep or just before it, as the VM reaches
	// the call: either way it is line 3's.
	if msg := luabind.Report(err); !strings.HasPrefix(msg, "t.lua:3: ") || !strings.Contains(msg, "interrupted (SIGTERM)") {
		t.Errorf("report %q does not say where and why", msg)
	}
	if !<-stopped || duringLedger {
		t.Errorf("Interrupt reported %v in a deferred function and %v in the ledger, want true and false", !duringLedger, duringLedger)
	}
	if out.String() != "first registered\nledger\n" {
		t.Errorf("output %q, want the other deferred function, then the ledger", out.String())
	}
}

// os.exit in a deferred function ends it, not the cleanup, and is the
// exit code, not an error; pcall does not catch it.
func TestOSExitInADeferredFunction(t *testing.T) {
	var out strings.Builder
	rt, _ := newTestRuntime(t, &out)
	rt.Ledger.Add("kernel object", func() error { out.WriteString("ledger\n"); return nil })
	err := run(t, rt, `local loop = require 'loop'
loop.defer(function() print('first registered') end)
loop.defer(function() pcall(os.exit, 3) print('not reached') end)`)
	if err != nil {
		t.Fatal(err)
	}
	if err := closeWithin(t, rt); err != nil {
		t.Errorf("Close: %v", err)
	}
	if code, ok := rt.Exited(); code != 3 || !ok {
		t.Errorf("Exited() = %d, %v; want 3, true", code, ok)
	}
	if out.String() != "first registered\nledger\n" {
		t.Errorf("output %q", out.String())
	}
}

// A Go panic in a loop job or a timer ends the run with an error in Lua's
// form; Run does not panic.
func TestPanicInTheLoopEndsTheRun(t *testing.T) {
	tests := []struct {
		name  string
		setup func(rt *luabind.Runtime)
		want  string
	}{
		{"job", func(rt *luabind.Runtime) {
			rt.Loop.Post(func(*lua.LState) error {
				var m map[string]int
				//lint:ignore SA5000 the job must fail with a Go runtime error, not a plain panic
				m["x"] = 1
				return nil
			})
		}, "loop: internal error: assignment to entry in nil map (a bug in netlua; please report it with the script)"},
		{"timer", func(rt *luabind.Runtime) {
			rt.Loop.Schedule(0, 0, func(*lua.LState, *luabind.Timer) error { panic("boom") })
		}, "timer: internal error: boom (a bug in netlua; please report it with the script)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			rt, _ := newTestRuntime(t, &out)
			defer rt.Close()
			tt.setup(rt)
			if err := run(t, rt, `print('main chunk')`); err == nil || err.Error() != tt.want {
				t.Errorf("Run: %v, want %q", err, tt.want)
			}
		})
	}
}

// A coroutine runs under the context of the code resuming it: made by an
// earlier statement, it stops on an interrupt of the current one; made
// by the script, it runs in a deferred function after an interrupt.
func TestCoroutinesFollowTheResumersContext(t *testing.T) {
	var out strings.Builder
	rt, blocked := newTestRuntime(t, &out)
	if err := run(t, rt, `spin = coroutine.wrap(function() blocked() while true do end end)`); err != nil {
		t.Fatal(err)
	}
	rt.Rearm()
	go func() {
		<-blocked
		rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGINT})
	}()
	done := make(chan error, 1)
	go func() {
		done <- run(t, rt, `co = coroutine.create(function() while true do coroutine.yield('resumed') end end)
spin()`)
	}()
	select {
	case err := <-done:
		var intr *luabind.Interrupt
		if !errors.As(err, &intr) {
			t.Errorf("spin(): %v, want the interrupt", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the interrupt did not stop a coroutine an earlier statement made")
	}
	rt.Rearm()
	if err := run(t, rt, `require('loop').defer(function() print(coroutine.resume(co)) end)`); err != nil {
		t.Fatal(err)
	}
	if err := closeWithin(t, rt); err != nil {
		t.Errorf("Close: %v", err)
	}
	if out.String() != "true\tresumed\n" {
		t.Errorf("the deferred function resumed the coroutine: %q", out.String())
	}
}

// An Interrupt while the ledger unwinds stops nothing, and says so, even
// when the run ended by itself: nothing runs under the run's context
// during Close.
func TestInterruptDuringTheLedgerStopsNothing(t *testing.T) {
	var out strings.Builder
	rt, _ := newTestRuntime(t, &out)
	stopped := true
	rt.Ledger.Add("kernel object", func() error {
		stopped = rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGINT})
		return nil
	})
	if err := run(t, rt, `print('ended by itself')`); err != nil {
		t.Fatal(err)
	}
	if err := closeWithin(t, rt); err != nil {
		t.Errorf("Close: %v", err)
	}
	if stopped {
		t.Error("Interrupt during the ledger reported that it stopped something")
	}
}
