package luabind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind/internal/memlimit"
)

// registryKey is where a Lua state keeps its Runtime, in the Lua registry.
const registryKey = "netlua.runtime"

// A Runtime is one Lua state with netlua's modules, its event loop and its
// cleanup ledger. All its methods run on the goroutine that owns it, except
// Interrupt, which any goroutine may call.
type Runtime struct {
	L      *lua.LState
	Loop   *Loop
	Ledger *Ledger
	Stdout io.Writer
	Stderr io.Writer

	runMu  sync.Mutex      // guards runCtx and cancel, which Rearm replaces
	runCtx context.Context // ends on Interrupt
	ctx    context.Context // runCtx, then a fresh one for cleanup
	cancel context.CancelCauseFunc
	funcs  map[*lua.LFunction]funcInfo
	defers []*lua.LFunction
	state  map[string]any // per-module state, by module name

	closeOnce sync.Once
	exit      *ExitError // set by os.exit
	memory    *memlimit.Watch
}

// funcInfo is what error messages say about a registered function.
type funcInfo struct {
	name   string
	method bool
}

// An Interrupt is the cause of a run ended by a signal.
type Interrupt struct{ Signal os.Signal }

func (i *Interrupt) Error() string { return "interrupted by " + i.Signal.String() }

// An ExitError is the cause of a run ended by os.exit(code).
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// The sizes of a Lua state, for scripts rather than toys: gopher-lua's
// defaults (256 calls, 5,120 stack slots, no growth) failed table.concat of
// 3,000 items and a recursion lua5.1 runs 16,000 deep. Both stacks start
// small and grow on demand, so startup allocates little; past a limit a
// script gets Lua's "stack overflow" error.
const (
	maxCalls   = 20000   // call depth, as Lua 5.1's LUAI_MAXCALLS
	stackSlots = 4096    // value-stack slots at startup
	maxSlots   = 1 << 22 // value-stack slots at most: 64 MiB of values
)

// newState makes a Lua state with netlua's sizes.
func newState() *lua.LState {
	return lua.NewState(lua.Options{
		CallStackSize:       maxCalls,
		MinimizeStackMemory: true, // frames allocated in segments as the depth grows
		RegistrySize:        stackSlots,
		RegistryMaxSize:     maxSlots,
	})
}

// New makes a Runtime: a Lua state with the standard libraries, the
// registered modules ready for require, and their globals installed.
// Modules are loaded lazily, so startup opens no socket.
func New() *Runtime {
	ctx, cancel := context.WithCancelCause(context.Background())
	rt := &Runtime{
		L:      newState(),
		Loop:   newLoop(),
		Ledger: &Ledger{},
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		runCtx: ctx,
		ctx:    ctx,
		cancel: cancel,
		funcs:  map[*lua.LFunction]funcInfo{},
		state:  map[string]any{},
	}
	L := rt.L
	// An invalid NETLUA_MEMORY is the command's to report; here it means
	// the default.
	ceiling, _ := memlimit.FromEnv()
	rt.memory = memlimit.Start(L.MemoryGuard(), ceiling)
	ud := L.NewUserData()
	ud.Value = rt
	L.SetField(L.Get(lua.RegistryIndex), registryKey, ud)
	L.SetContext(ctx)
	rt.replaceExit()
	rt.replacePrint()
	for _, m := range Modules() {
		for _, f := range m.Globals {
			if f.Fn == nil {
				continue // a module written in Lua sets its globals when it loads
			}
			L.SetGlobal(f.Name, rt.function(f, false))
		}
		L.PreloadModule(m.Name, rt.loader(m))
	}
	return rt
}

// CheckMemorySetting returns the error of an invalid NETLUA_MEMORY (the
// memory ceiling of each runtime), for a command to report before it runs
// anything; New falls back to the default ceiling.
func CheckMemorySetting() error {
	_, err := memlimit.FromEnv()
	return err
}

// runtimeOf returns the Runtime that owns L (or a coroutine of it).
func runtimeOf(L *lua.LState) *Runtime {
	ud, _ := L.GetField(L.Get(lua.RegistryIndex), registryKey).(*lua.LUserData)
	if ud == nil {
		panic("luabind: Lua state has no runtime")
	}
	return ud.Value.(*Runtime)
}

// RuntimeOf returns the Runtime that owns L, for bindings that need the
// loop, the ledger or the interrupt context.
func RuntimeOf(L *lua.LState) *Runtime { return runtimeOf(L) }

// Context ends when the run is interrupted (SIGINT, SIGTERM, os.exit).
// Blocking calls select on it so that a signal interrupts them. During
// Close it is a fresh context that signals do not end, so that deferred
// functions can sleep and wait: cleanup is never cut short.
func (rt *Runtime) Context() context.Context { return rt.ctx }

// Interrupt ends the run: the Lua code running stops at its next
// instruction and blocking calls return. Any goroutine may call it.
func (rt *Runtime) Interrupt(cause error) {
	rt.runMu.Lock()
	cancel := rt.cancel
	rt.runMu.Unlock()
	cancel(cause)
}

// Interrupted returns why the run was interrupted, or nil.
func (rt *Runtime) Interrupted() error {
	rt.runMu.Lock()
	ctx := rt.runCtx
	rt.runMu.Unlock()
	if ctx.Err() == nil {
		return nil
	}
	return context.Cause(ctx)
}

// Rearm gives the runtime a fresh run context, as a prompt does before
// each statement: an Interrupt then stops only that statement, and what
// earlier ones started (on() readers, watchers) goes on. Sockets watch the
// new context from their next call. It runs on the Lua thread, not during
// or after Close.
func (rt *Runtime) Rearm() {
	ctx, cancel := context.WithCancelCause(context.Background())
	rt.runMu.Lock()
	rt.runCtx, rt.ctx, rt.cancel = ctx, ctx, cancel
	rt.runMu.Unlock()
	rt.L.SetContext(ctx)
}

// State returns the per-runtime state of a module, making it with mk on
// first use, so that modules keep no global mutable state.
func (rt *Runtime) State(module string, mk func() any) any {
	s, ok := rt.state[module]
	if !ok {
		s = mk()
		rt.state[module] = s
	}
	return s
}

// function wraps a registered Go function: its name is known to argument
// errors, and a Go panic inside it becomes a Lua error instead of a crash.
func (rt *Runtime) function(f Func, method bool) *lua.LFunction {
	impl, name := f.Fn, f.Name
	fn := rt.L.NewFunction(func(L *lua.LState) int {
		defer recoverPanic(L, name)
		return impl(L)
	})
	rt.funcs[fn] = funcInfo{name: name, method: method}
	return fn
}

// recoverPanic turns a Go panic in a binding into a Lua error. Lua's own
// errors are panics of *lua.ApiError and pass through untouched.
func recoverPanic(L *lua.LState, name string) {
	r := recover()
	if r == nil {
		return
	}
	if _, ok := r.(*lua.ApiError); ok {
		panic(r)
	}
	L.RaiseError("%s: internal error: %v (a bug in netlua; please report it with the script)", name, r)
}

// loader builds a module's table the first time it is required.
func (rt *Runtime) loader(m *Module) lua.LGFunction {
	if m.Lua != "" {
		return rt.luaLoader(m)
	}
	return func(L *lua.LState) int {
		mod := L.NewTable()
		for _, f := range m.Funcs {
			mod.RawSetString(f.Name, rt.function(f, false))
		}
		if m.Open != nil {
			m.Open(L, mod)
		}
		L.Push(mod)
		return 1
	}
}

// luaLoader runs the source of a module written in Lua.
func (rt *Runtime) luaLoader(m *Module) lua.LGFunction {
	return func(L *lua.LState) int {
		chunk, err := rt.Load(strings.NewReader(m.Lua), "stdlib/"+m.Name+".lua")
		if err != nil {
			L.RaiseError("%v", err)
		}
		L.Push(chunk)
		L.Call(0, 1)
		return 1
	}
}

// Call calls fn with args in protected mode and returns its error, if any.
func (rt *Runtime) Call(fn lua.LValue, args ...lua.LValue) error {
	return rt.L.CallByParam(lua.P{Fn: fn, NRet: 0, Protect: true}, args...)
}

// Defer registers fn to run when the runtime closes, like Go's defer.
func (rt *Runtime) Defer(fn *lua.LFunction) { rt.defers = append(rt.defers, fn) }

// Run calls the main chunk with args, then runs the event loop while
// anything is alive, as Node and luvit do.
func (rt *Runtime) Run(chunk *lua.LFunction, args ...lua.LValue) error {
	if err := rt.L.CallByParam(lua.P{Fn: chunk, NRet: 0, Protect: true}, args...); err != nil {
		return rt.explain(err)
	}
	return rt.explain(rt.Loop.Run(rt.L, rt.ctx))
}

// explain replaces the VM's "context canceled" with the interrupt's cause.
func (rt *Runtime) explain(err error) error {
	if err == nil {
		return nil
	}
	if cause := rt.Interrupted(); cause != nil {
		return cause
	}
	return err
}

// Close runs the deferred Lua functions (newest first), then unwinds the
// ledger, whatever ended the run. It reports every failure and is
// idempotent.
func (rt *Runtime) Close() error {
	var errs []error
	rt.closeOnce.Do(func() {
		// Deferred functions must run even after SIGINT.
		rt.L.RemoveContext()
		rt.ctx = context.Background()
		for i := len(rt.defers) - 1; i >= 0; i-- {
			if err := rt.Call(rt.defers[i]); err != nil {
				errs = append(errs, fmt.Errorf("deferred function: %w", err))
			}
		}
		rt.defers = nil
		if err := rt.Ledger.Unwind(); err != nil {
			errs = append(errs, err)
		}
		close(rt.Loop.done)
		rt.cancel(errors.New("runtime closed"))
		rt.memory.Stop()
		rt.L.Close()
	})
	return errors.Join(errs...)
}

// replaceExit makes os.exit end the run through cleanup instead of killing
// the process with namespaces and rules still in place.
func (rt *Runtime) replaceExit() {
	osmod, ok := rt.L.GetGlobal("os").(*lua.LTable)
	if !ok {
		return
	}
	exit := Func{Name: "exit", Sig: "os.exit([code])", Doc: "ends the script after cleanup", Fn: func(L *lua.LState) int {
		code := 0
		switch v := L.Get(1).(type) {
		case lua.LBool:
			if !v {
				code = 1
			}
		case lua.LNumber:
			code = int(v)
		}
		rt.cancel(&ExitError{Code: code})
		L.RaiseError("exit %d", code)
		return 0
	}}
	osmod.RawSetString("exit", rt.function(exit, false))
}

// replacePrint makes print write to rt.Stdout, so tests and embedders can
// capture a script's output.
func (rt *Runtime) replacePrint() {
	print := Func{Name: "print", Sig: "print(...)", Doc: "writes its arguments, tab-separated, to standard output", Fn: func(L *lua.LState) int {
		var b []byte
		for i := 1; i <= L.GetTop(); i++ {
			if i > 1 {
				b = append(b, '\t')
			}
			b = append(b, L.ToStringMeta(L.Get(i)).String()...)
		}
		b = append(b, '\n')
		rt.Stdout.Write(b)
		return 0
	}}
	rt.L.SetGlobal("print", rt.function(print, false))
	rt.replaceWrite()
}

// replaceWrite makes io.write write to rt.Stdout too, as print does, so
// that captured output (netlua test, embedders) keeps both in order. It
// returns io.stdout, as Lua's does, for chained writes.
func (rt *Runtime) replaceWrite() {
	iomod, ok := rt.L.GetGlobal("io").(*lua.LTable)
	if !ok {
		return
	}
	stdout := iomod.RawGetString("stdout")
	write := Func{Name: "write", Sig: "io.write(...)", Doc: "writes strings and numbers to standard output", Fn: func(L *lua.LState) int {
		var b []byte
		for i := 1; i <= L.GetTop(); i++ {
			switch v := L.Get(i).(type) {
			case lua.LString:
				b = append(b, v...)
			case lua.LNumber:
				b = append(b, v.String()...)
			default:
				TypeError(L, i, "string")
			}
		}
		rt.Stdout.Write(b)
		L.Push(stdout)
		return 1
	}}
	iomod.RawSetString("write", rt.function(write, false))
}
