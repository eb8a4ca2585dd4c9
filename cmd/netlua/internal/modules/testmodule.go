//go:build netluatest

package modules

import (
	"bufio"
	"io"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The test binary (built with -tags netluatest) carries a module of hooks
// that panic in Go where a bug in netlua would, so that tests can check
// that no Go panic reaches a user and that the cleanup still runs.
// testModules adds it to the modules the binary links (modules.go).
func testModules() []*luabind.Module {
	return []*luabind.Module{{
		Name: "netlua_test",
		Doc:  "test hooks, only in binaries built with -tags netluatest",
		Funcs: []luabind.Func{
			{Name: "panic", Sig: "panic()", Doc: "panics in Go, as a binding with a bug would", Fn: func(L *lua.LState) int {
				goPanic()
				return 0
			}},
			{Name: "panic_in_job", Sig: "panic_in_job()", Doc: "posts a loop job that panics in Go, as a reader's job with a bug would", Fn: func(L *lua.LState) int {
				luabind.RuntimeOf(L).Loop.Post(func(*lua.LState) error { goPanic(); return nil })
				return 0
			}},
			{Name: "panic_in_timer", Sig: "panic_in_timer(seconds)", Types: luabind.Types{"seconds": "number"}, Doc: "schedules a timer whose Go callback panics after seconds", Fn: func(L *lua.LState) int {
				d := time.Duration(luabind.CheckNumber(L, 1) * float64(time.Second))
				luabind.RuntimeOf(L).Loop.Schedule(d, 0, func(*lua.LState, *luabind.Timer) error { goPanic(); return nil })
				return 0
			}},
			{Name: "undo_prints", Sig: "undo_prints(text [, stream])", Types: luabind.Types{"text": "string", "stream": "string"}, Doc: "adds a ledger entry whose undo function writes text and a newline to standard output (or to stream \"stderr\"), to show that the ledger unwound", Fn: func(L *lua.LState) int {
				rt, text := luabind.RuntimeOf(L), luabind.CheckString(L, 1)
				toStderr := luabind.OptString(L, 2, "stdout") == "stderr"
				rt.Ledger.Add("netlua_test", func() error {
					w := rt.Stdout
					if toStderr {
						w = rt.Stderr
					}
					_, err := io.WriteString(w, text+"\n")
					return err
				})
				return 0
			}},
			{Name: "undo_waits", Sig: "undo_waits()", Doc: "adds a ledger entry whose undo function prints \"undo waits\", reads a line from standard input, then prints \"undo done\", so that a test can signal netlua while the ledger unwinds", Fn: func(L *lua.LState) int {
				rt := luabind.RuntimeOf(L)
				rt.Ledger.Add("netlua_test", func() error {
					io.WriteString(rt.Stdout, "undo waits\n")
					_, err := bufio.NewReader(os.Stdin).ReadString('\n')
					io.WriteString(rt.Stdout, "undo done\n")
					return err
				})
				return 0
			}},
			{Name: "panic_in_undo", Sig: "panic_in_undo()", Doc: "adds a ledger entry whose undo function panics in Go", Fn: func(L *lua.LState) int {
				luabind.RuntimeOf(L).Ledger.Add("netlua_test", func() error { goPanic(); return nil })
				return 0
			}},
		},
	}}
}

// goPanic indexes past the end of a slice, a bug's usual panic.
func goPanic() {
	var s []int
	_ = s[len(s)+3]
}
