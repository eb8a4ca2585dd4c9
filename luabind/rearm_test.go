package luabind_test

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind"
)

// After an interrupt, Rearm lets the same state run again; a later
// interrupt stops only what runs under the new context.
func TestRearmAfterInterrupt(t *testing.T) {
	rt := luabind.New()
	defer rt.Close()
	run := func(code string) error {
		chunk, err := rt.Load(strings.NewReader(code), "t.lua")
		if err != nil {
			t.Fatal(err)
		}
		return rt.Run(chunk)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGINT})
	}()
	var intr *luabind.Interrupt
	if err := run("x = 1; sleep(10)"); !errors.As(err, &intr) {
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
