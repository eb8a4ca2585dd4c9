package luabind_test

import (
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/netlua/netlua/luabind"
)

// After an interrupt, Rearm lets the same state run again; a later
// interrupt stops only what runs under the new context.
func TestRearmAfterInterrupt(t *testing.T) {
	var out strings.Builder
	rt, blocked := newTestRuntime(t, &out)
	defer rt.Close()
	run := func(code string) error {
		// Loading honours the context too: an interrupted runtime
		// neither compiles nor runs more code before Rearm.
		chunk, err := rt.Load(strings.NewReader(code), "t.lua")
		if err != nil {
			return err
		}
		return rt.Run(chunk)
	}
	go func() {
		<-blocked
		rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGINT})
	}()
	var intr *luabind.Interrupt
	if err := run("x = 1; blocked(); sleep(10)"); !errors.As(err, &intr) {
		t.Fatalf("sleep: %v, want the interrupt", err)
	}
	if err := run("x = x + 1"); err == nil {
		t.Fatal("an interrupted runtime ran more code before Rearm")
	}
	rt.Rearm()
	if rt.Interrupted() != nil {
		t.Errorf("still interrupted after Rearm: %v", rt.Interrupted())
	}
	if err := run("x = x + 1; sleep(0.01)"); err != nil {
		t.Fatalf("after Rearm: %v", err)
	}
	if x := rt.L.GetGlobal("x").String(); x != "2" {
		t.Errorf("x = %s, want 2: the state was kept", x)
	}
}

// A call that ^C ends with a result takes the SIGINT at a prompt (after
// Rearm), and the statement goes on; in a script, and for SIGTERM, the
// interrupt stays and ends the run.
func TestTakeInterrupt(t *testing.T) {
	tests := []struct {
		name   string
		rearm  bool
		signal syscall.Signal
		taken  bool
	}{
		{"prompt, SIGINT", true, syscall.SIGINT, true},
		{"prompt, SIGTERM", true, syscall.SIGTERM, false},
		{"script, SIGINT", false, syscall.SIGINT, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := luabind.New(luaModules()...)
			defer rt.Close()
			if tt.rearm {
				rt.Rearm()
			}
			if rt.TakeInterrupt(rt.L) {
				t.Fatal("took an interrupt before there was one")
			}
			rt.Interrupt(&luabind.Interrupt{Signal: tt.signal})
			if got := rt.TakeInterrupt(rt.L); got != tt.taken {
				t.Fatalf("TakeInterrupt: %v, want %v", got, tt.taken)
			}
			if interrupted := rt.Interrupted() != nil; interrupted == tt.taken {
				t.Errorf("interrupted afterwards: %v", interrupted)
			}
		})
	}
}

// A statement takes one SIGINT: a second in the same statement stays and
// ends it, and the next statement (Rearm) may take one again.
func TestTakeInterruptOncePerStatement(t *testing.T) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	rt.Rearm()
	for i, want := range []bool{true, false} {
		rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGINT})
		if got := rt.TakeInterrupt(rt.L); got != want {
			t.Fatalf("SIGINT %d of the statement: TakeInterrupt %v, want %v", i+1, got, want)
		}
	}
	if rt.Interrupted() == nil {
		t.Error("the second SIGINT did not stay")
	}
	rt.Rearm()
	rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGINT})
	if !rt.TakeInterrupt(rt.L) {
		t.Error("the next statement's SIGINT was not taken")
	}
}
