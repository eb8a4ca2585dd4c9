package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// runScript runs the script, then the event loop, then the cleanup, and
// turns how it ended into an exit status.
func runScript(inv invocation, stdin io.Reader, stdout, stderr io.Writer) int {
	rt := luabind.New()
	rt.Stdout, rt.Stderr = stdout, stderr
	stopSignals := relaySignals(rt, stderr)
	defer stopSignals()

	name, src, err := source(inv, stdin)
	if err != nil {
		rt.Close()
		fmt.Fprintf(stderr, "netlua: %v\n", err)
		return exitUsage
	}
	chunk, err := rt.Load(src, name)
	if err == nil {
		setArgs(rt.L, name, inv.args)
		if inv.script != "" && inv.script != "-" {
			addScriptDir(rt.L, inv.script)
		}
		err = rt.Run(chunk, scriptArgs(inv.args)...)
	}
	return finish(rt, err, stderr)
}

// source opens what the invocation runs and names it for messages.
func source(inv invocation, stdin io.Reader) (string, io.Reader, error) {
	switch {
	case inv.hasCode:
		return "(command line)", strings.NewReader(inv.code), nil
	case inv.script == "-":
		return "stdin", stdin, nil
	}
	src, err := os.ReadFile(inv.script)
	if err != nil {
		return "", nil, fmt.Errorf("cannot open %s: %v", inv.script, unwrapPath(err))
	}
	return inv.script, bytes.NewReader(src), nil
}

// finish closes the runtime (deferred functions, cleanup ledger) and
// reports how the run ended.
func finish(rt *luabind.Runtime, err error, stderr io.Writer) int {
	status := exitOK
	var intr *luabind.Interrupt
	var exit *luabind.ExitError
	switch {
	case errors.As(err, &intr):
		status = interruptStatus(intr)
	case errors.As(err, &exit):
		status = exit.Code
	case err != nil:
		fmt.Fprintln(stderr, luabind.Report(err))
		status = exitError
	}
	return closeRuntime(rt, status, stderr)
}

// closeRuntime closes rt (deferred functions, cleanup ledger) and returns
// status, or 1 in place of 0 when the cleanup failed, which it reports.
func closeRuntime(rt *luabind.Runtime, status int, stderr io.Writer) int {
	if err := rt.Close(); err != nil {
		fmt.Fprintf(stderr, "netlua: cleanup: %v\n", luabind.Report(err))
		if status == exitOK {
			status = exitError
		}
	}
	return status
}

// interruptStatus is the exit status after a signal ended the run: 143
// for SIGTERM, 130 for SIGINT.
func interruptStatus(intr *luabind.Interrupt) int {
	if intr.Signal == syscall.SIGTERM {
		return exitTERM
	}
	return exitSIGINT
}

// relaySignals turns the first SIGINT or SIGTERM into an interrupt of the
// run. Later ones only say that cleanup is under way: cleanup is never
// skipped.
func relaySignals(rt *luabind.Runtime, stderr io.Writer) (stop func()) {
	return onSignals(func(sig os.Signal) { rt.Interrupt(&luabind.Interrupt{Signal: sig}) }, stderr)
}

// onSignals calls interrupt on the first SIGINT or SIGTERM, and on later
// ones says that cleanup is under way.
func onSignals(interrupt func(os.Signal), stderr io.Writer) (stop func()) {
	first := true
	return notifySignals(func(sig os.Signal) {
		if first {
			interrupt(sig)
			first = false
			return
		}
		fmt.Fprintln(stderr, "netlua: cleaning up, please wait")
	})
}

// notifySignals calls handle for each SIGINT and SIGTERM, one at a time on
// a goroutine of its own, until stop is called. The signals no longer
// kill the process meanwhile.
func notifySignals(handle func(os.Signal)) (stop func()) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-ch:
				handle(sig)
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

// setArgs makes Lua's arg table: arg[0] the script, arg[1..] its
// arguments, arg[-1] the interpreter.
func setArgs(L *lua.LState, name string, args []string) {
	t := L.NewTable()
	t.RawSetInt(-1, lua.LString(os.Args[0]))
	t.RawSetInt(0, lua.LString(name))
	for i, a := range args {
		t.RawSetInt(i+1, lua.LString(a))
	}
	L.SetGlobal("arg", t)
}

// addScriptDir lets a script require modules that sit beside it.
func addScriptDir(L *lua.LState, script string) {
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
