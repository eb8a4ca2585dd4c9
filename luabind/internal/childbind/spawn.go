// Package childbind is the Lua side of programs that run beside the event
// loop, which the proc and lab modules share (proc.spawn, host:spawn),
// beside their core in package child: the argv argument, the options of
// spawn, the process handle (wait, kill, read, pid, running, status), the
// on_exit callback through the loop and the ledger entry that kills the
// program when the script ends.
package childbind

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/child"
)

// DefaultKeep is how many bytes of a program's output its handle keeps
// unless max_output says otherwise: the last ones.
const DefaultKeep = 1 << 20

// SpawnTypes are the types of a spawn function's signature:
// "spawn(argv [, opts]) -> process" or its method form.
var SpawnTypes = luabind.Types{
	"argv":    "string[]",
	"opts":    "{ stdin?: string, on_exit?: fun(status: integer), max_output?: integer }",
	"process": "proc.process",
}

// SpawnOptions is what a spawn function's doc says of its options.
const SpawnOptions = "opts: stdin (a string; else /dev/null), on_exit = fn(status), called on the loop once it ends (and keeping the loop alive until then; not when the script's end kills it), max_output (bytes of output kept, the last ones; default 1 MiB)"

// Spawn implements a spawn function: the command at argument n, its
// options at n+1. start forks the program, where the caller runs it (a
// lab host, this namespace). op names the call in errors ("proc.spawn"),
// object what it acted on ("" or a host). It pushes the handle.
func Spawn(L *lua.LState, n int, op, object string, start func(*exec.Cmd) error) int {
	argv := CheckArgv(L, n)
	o := luabind.CheckOptions(L, n+1, "stdin", "on_exit", "max_output")
	stdin := o.String("stdin", "")
	keep := o.Int("max_output", DefaultKeep)
	if keep < 1 {
		o.Error("max_output", "must be positive")
	}
	var onExit *lua.LFunction
	switch v := o.Value("on_exit").(type) {
	case *lua.LNilType:
	case *lua.LFunction:
		onExit = v
	default:
		o.Error("on_exit", "expects a function, got "+v.Type().String())
	}
	// No context: the ledger kills the program, which must outlive the
	// statement that started it.
	cmd := child.Command(context.Background(), argv, stdin)
	p, err := child.Start(cmd, keep, start)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: op, Object: object, Err: err})
	}
	h := track(L, p, op+" "+argv[0]+" (pid "+strconv.Itoa(p.Pid())+")", onExit)
	L.Push(luabind.NewObject(L, Type, h))
	return 1
}

// track registers the process in the runtime's ledger, which kills it at
// the script's end, and watches for its end: it calls on_exit on the loop
// (which stays alive until then) and drops the ledger entry once the
// program is reaped and its output drained.
func track(L *lua.LState, p *child.Process, what string, onExit *lua.LFunction) *handle {
	rt := luabind.RuntimeOf(L)
	undo := rt.Ledger.Add(what, p.Close)
	release := func() {}
	if onExit != nil {
		release = rt.Loop.Hold()
	}
	go func() {
		<-p.Done()
		status, _ := p.Status()
		posted := onExit != nil && rt.Loop.Post(func(*lua.LState) error {
			defer release()
			return rt.Call(onExit, lua.LNumber(status))
		})
		if !posted {
			release()
		}
		<-p.Drained()
		undo.Run()
	}()
	return &handle{p: p, what: what}
}

// CheckArgv reads argument n as a command: a non-empty array of strings
// (numbers are written as Lua writes them).
func CheckArgv(L *lua.LState, n int) []string {
	t := luabind.CheckTable(L, n)
	argv := make([]string, 0, t.Len())
	for i := 1; i <= t.Len(); i++ {
		switch v := t.RawGetInt(i).(type) {
		case lua.LString, lua.LNumber:
			argv = append(argv, v.String())
		default:
			luabind.ArgError(L, n, fmt.Sprintf("command word %d is a %s, want a string", i, v.Type()))
		}
	}
	if len(argv) == 0 {
		luabind.ArgError(L, n, "empty command")
	}
	return argv
}
