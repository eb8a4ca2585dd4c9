package luabind_test

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// newTestRuntime is a runtime printing to out, with a global blocked()
// that closes the returned channel, so that a test knows when the Lua code
// got where it blocks.
func newTestRuntime(t *testing.T, out *strings.Builder) (*luabind.Runtime, <-chan struct{}) {
	t.Helper()
	rt := luabind.New()
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
