package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind"
)

// Script runs the script, then the event loop, then the cleanup, and
// turns how it ended into an exit status.
func Script(inv Invocation, mods []*luabind.Module, stdin io.Reader, stdout, stderr io.Writer) int {
	rt := luabind.New(mods...)
	broken := func() { rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGPIPE}) }
	rt.Stdout, rt.Stderr = NewPipeWriter(stdout, broken), NewPipeWriter(stderr, broken)
	stopSignals := relaySignals(rt, stderr)
	defer stopSignals()

	name, src, err := source(rt.Context(), inv, stdin)
	var intr *luabind.Interrupt
	switch {
	case errors.As(err, &intr):
		return finish(rt, err, stderr)
	case err != nil:
		rt.Close()
		fmt.Fprintf(stderr, "netlua: %v\n", err)
		return cli.ExitUsage
	}
	chunk, err := rt.Load(bytes.NewReader(src), name)
	if err == nil {
		SetArgs(rt.L, name, inv.args)
		if inv.script != "" && inv.script != "-" {
			AddScriptDir(rt.L, inv.script)
		}
		err = rt.Run(chunk, scriptArgs(inv.args)...)
	}
	return finish(rt, err, stderr)
}

// source reads what the Invocation runs and names it for messages. A
// signal ends the wait for it (ctx's cause is the error then): a script
// typed at a terminal (netlua -), piped from a program still running or
// read from a FIFO would hold off ^C until its end.
func source(ctx context.Context, inv Invocation, stdin io.Reader) (string, []byte, error) {
	switch {
	case inv.hasCode:
		return "(command line)", []byte(inv.code), nil
	case inv.script == "-":
		src, err := untilDone(ctx, func() ([]byte, error) { return io.ReadAll(stdin) })
		return "stdin", src, err
	}
	src, err := untilDone(ctx, func() ([]byte, error) { return os.ReadFile(inv.script) })
	var intr *luabind.Interrupt
	if err != nil && !errors.As(err, &intr) {
		return "", nil, fmt.Errorf("cannot open %s: %v", inv.script, UnwrapPath(err))
	}
	return inv.script, src, err
}

// untilDone returns what read returns, or the cause of ctx if it ends
// first. The read then goes on, abandoned, until netlua exits.
func untilDone(ctx context.Context, read func() ([]byte, error)) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := read()
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// finish closes the runtime (deferred functions, cleanup ledger) and
// reports how the run ended.
func finish(rt *luabind.Runtime, err error, stderr io.Writer) int {
	status := cli.ExitOK
	var intr *luabind.Interrupt
	var exit *luabind.ExitError
	switch {
	case errors.As(err, &intr):
		status = InterruptStatus(intr)
	case errors.As(err, &exit):
		status = exit.Code
	case err != nil:
		fmt.Fprintln(stderr, rt.Report(err))
		status = cli.ExitError
	}
	return CloseRuntime(rt, status, stderr)
}

// CloseRuntime closes rt (deferred functions, cleanup ledger), reports
// what failed in the cleanup, and returns the exit status: the code of
// the last os.exit, else status. A failed cleanup turns 0 into 1, or into
// the signal's status when a signal stopped a deferred function.
func CloseRuntime(rt *luabind.Runtime, status int, stderr io.Writer) int {
	err := rt.Close()
	for _, e := range Unjoin(err) {
		fmt.Fprintf(stderr, "netlua: cleanup: %v\n", rt.Report(e))
	}
	if code, ok := rt.Exited(); ok {
		status = code
	}
	if err != nil && status == cli.ExitOK {
		status = cli.ExitError
		var intr *luabind.Interrupt
		if errors.As(err, &intr) {
			status = InterruptStatus(intr)
		}
	}
	return status
}

// Unjoin is the errors errors.Join joined in err (Close's), each to be
// reported on its own: Report shows one Lua error.
func Unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// SetArgs makes Lua's arg table: arg[0] the script, arg[1..] its
// arguments, arg[-1] the interpreter.
func SetArgs(L *lua.LState, name string, args []string) {
	t := L.NewTable()
	t.RawSetInt(-1, lua.LString(os.Args[0]))
	t.RawSetInt(0, lua.LString(name))
	for i, a := range args {
		t.RawSetInt(i+1, lua.LString(a))
	}
	L.SetGlobal("arg", t)
}

// AddScriptDir lets a script require modules that sit beside it.
func AddScriptDir(L *lua.LState, script string) {
	pkg, ok := L.GetGlobal("package").(*lua.LTable)
	if !ok {
		return
	}
	dir := filepath.Dir(script)
	path := filepath.Join(dir, "?.lua") + ";" + filepath.Join(dir, "?", "init.lua")
	pkg.RawSetString("path", lua.LString(path+";"+lua.LVAsString(pkg.RawGetString("path"))))
}

// scriptArgs are the arguments as the chunk's varargs (...).
func scriptArgs(args []string) []lua.LValue {
	vs := make([]lua.LValue, len(args))
	for i, a := range args {
		vs[i] = lua.LString(a)
	}
	return vs
}
