package luabind

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/memlimit"
	"github.com/netlua/netlua/luabind/ledger"
)

// registryKey is where a Lua state keeps its Runtime, in the Lua registry.
const registryKey = "netlua.runtime"

// A Runtime is one Lua state with netlua's modules, its event loop and its
// cleanup ledger. All its methods run on the goroutine that owns it, except
// Interrupt, Interrupted and Exited, which any goroutine may call.
type Runtime struct {
	L      *lua.LState
	Loop   *Loop
	Ledger *ledger.Ledger
	Stdout io.Writer
	Stderr io.Writer

	runMu  sync.Mutex      // guards runCtx, cancel, ctx, deferred and exit
	runCtx context.Context // ends on Interrupt; Rearm replaces it
	ctx    context.Context // what Context returns: see there
	cancel context.CancelCauseFunc
	life   context.Context // ends when Close is done; see Lifetime
	end    context.CancelFunc
	funcs  map[*lua.LFunction]funcInfo
	defers []*lua.LFunction
	state  map[string]any // per-module state, by module name
	mods   *Set           // the modules require may load

	// stepwise is set once Rearm has run: statements run one by one, each
	// with its own context, as at a prompt (see TakeInterrupt).
	stepwise bool
	// took is set once a call of the statement has taken a SIGINT as its
	// own end: a statement takes one, so that the next ends it.
	took bool

	closeOnce sync.Once
	// deferred ends the context of the deferred function running during
	// Close; nil outside one.
	deferred context.CancelCauseFunc
	exit     *ExitError // set by os.exit: the last call's
	memory   *memlimit.Watch
}

// funcInfo is what error messages say about a registered function.
type funcInfo struct {
	name   string
	method bool
}

// An Interrupt is the cause of a run ended by a signal: SIGINT, SIGTERM,
// SIGHUP, or SIGPIPE when standard output or error is a pipe its reader
// closed.
type Interrupt struct{ Signal os.Signal }

// Error reads "interrupted (SIGINT)".
func (i *Interrupt) Error() string { return "interrupted (" + SignalName(i.Signal) + ")" }

// SignalName is the name of sig as kill -l and the C headers write it:
// SIGINT, SIGTERM.
func SignalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok {
		if name := unix.SignalName(s); name != "" {
			return name
		}
	}
	return sig.String()
}

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

// New makes a Runtime: a Lua state with the standard libraries, mods
// ready for require, and their globals installed. Modules are loaded
// lazily, so startup opens no socket. A module written in Lua is compiled
// once per Module value, so runtimes made from the same values share it.
func New(mods ...*Module) *Runtime {
	ctx, cancel := context.WithCancelCause(context.Background())
	life, end := context.WithCancel(context.Background())
	rt := &Runtime{
		L:      newState(),
		Loop:   newLoop(),
		Ledger: &ledger.Ledger{},
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		runCtx: ctx,
		ctx:    ctx,
		cancel: cancel,
		life:   life,
		end:    end,
		funcs:  map[*lua.LFunction]funcInfo{},
		state:  map[string]any{},
		mods:   NewSet(mods...),
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
	rt.replaceOutput()
	rt.replaceCoroutines()
	for _, m := range rt.mods.sorted {
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

// Modules is the set of modules the runtime was made with.
func (rt *Runtime) Modules() *Set { return rt.mods }

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

// Context is the context the current Lua call should honour. Blocking
// calls select on it so that a signal interrupts them.
//
// While the script runs (or, at a prompt, a statement) it ends when the
// run is interrupted: SIGINT, SIGTERM, SIGHUP, a closed output pipe,
// os.exit. During Close each deferred function runs under a context of
// its own, which an Interrupt then ends: a signal during cleanup stops the
// deferred function running (a sleep, a wait), and the rest of the cleanup
// goes on. While the ledger unwinds, in Go, nothing ends it.
func (rt *Runtime) Context() context.Context {
	rt.runMu.Lock()
	defer rt.runMu.Unlock()
	return rt.ctx
}

// Lifetime ends when the runtime has closed, and never on Interrupt. It is
// the context of work that outlives the statement that started it, such
// as the reader of s:on(fn): at the prompt, ^C of a later statement (a new
// run context, see Rearm) must leave it running. Such work ends with its
// own object (the ledger closes it), or with the runtime at the latest.
func (rt *Runtime) Lifetime() context.Context { return rt.life }

// Interrupt ends the run with cause: the Lua code running stops at its
// next instruction and blocking calls return. During Close it ends the
// deferred function running instead, if one is. Any goroutine may call it.
// It reports whether it stopped anything: false when no deferred function
// is running during Close (the ledger unwinds), or when the run was
// already interrupted and is still winding down, so that a caller can say
// the cleanup is under way.
func (rt *Runtime) Interrupt(cause error) bool {
	rt.runMu.Lock()
	defer rt.runMu.Unlock()
	stopped := false
	if rt.runCtx.Err() == nil {
		rt.cancel(cause)
		// During Close, ctx is a deferred function's or none: nothing
		// runs under the run's context then, and ending it stops nothing.
		stopped = rt.ctx == rt.runCtx
	}
	if rt.deferred != nil {
		rt.deferred(cause)
		rt.deferred = nil
		stopped = true
	}
	return stopped
}

// Interrupted returns why the run was interrupted, or nil. An Interrupt
// during Close counts too: it ends the run's context as well as the
// deferred function's.
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
	rt.rearm()
	rt.took = false
}

// rearm gives the runtime a fresh run context.
func (rt *Runtime) rearm() {
	ctx, cancel := context.WithCancelCause(context.Background())
	rt.runMu.Lock()
	rt.runCtx, rt.ctx, rt.cancel = ctx, ctx, cancel
	rt.runMu.Unlock()
	rt.L.SetContext(ctx)
	rt.stepwise = true
}

// TakeInterrupt is for a call that ^C ends early with a result, as it
// ends s:capture and s:blast, which return what they did. Where the
// runtime runs statement by statement (a prompt, see Rearm), the call
// takes the SIGINT as its own end: the statement goes on under a fresh
// context, so that the result is assigned or shown, and a second ^C
// interrupts the rest, wherever it lands (a statement takes one SIGINT:
// in a loop of captures the second ends the loop). It reports whether it
// took it. In a script, or for SIGTERM or os.exit, it does nothing: they
// end the run as ever. L is the calling thread, which may be a coroutine.
func (rt *Runtime) TakeInterrupt(L *lua.LState) bool {
	var intr *Interrupt
	rt.runMu.Lock()
	running := rt.ctx == rt.runCtx // not a deferred function's context
	rt.runMu.Unlock()
	if !rt.stepwise || rt.took || !running || !errors.As(rt.Interrupted(), &intr) || intr.Signal != os.Interrupt {
		return false
	}
	rt.rearm()
	rt.took = true
	L.SetContext(rt.Context())
	return true
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
		if proto := m.compiled(); proto != nil {
			L.Push(L.NewFunctionFromProto(proto))
		} else {
			chunk, err := rt.Load(strings.NewReader(m.Lua), m.chunkName())
			if err != nil {
				L.RaiseError("%v", err)
			}
			L.Push(chunk)
		}
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
// anything is alive, as Node and luvit do. No Go panic escapes it: one in
// netlua's code ends the run with an error in Lua's form.
func (rt *Runtime) Run(chunk *lua.LFunction, args ...lua.LValue) error {
	err := safely("netlua", func() error {
		if err := rt.L.CallByParam(lua.P{Fn: chunk, NRet: 0, Protect: true}, args...); err != nil {
			return err
		}
		return rt.Loop.Run(rt.L, rt.Context())
	})
	return rt.explain(err)
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
// idempotent. A signal during a deferred function stops that function
// (see Context); os.exit in one ends it and sets the exit status (see
// Exited): either way the other deferred functions and the ledger run.
// No Go panic escapes Close.
func (rt *Runtime) Close() error {
	var errs []error
	rt.closeOnce.Do(func() {
		errs = append(errs, safely("netlua: cleanup", func() error {
			for i := len(rt.defers) - 1; i >= 0; i-- {
				if err := rt.runDeferred(rt.defers[i]); err != nil {
					errs = append(errs, err)
				}
			}
			return nil
		}))
		rt.defers = nil
		// The ledger is Go code that ends by itself: nothing interrupts it.
		rt.L.RemoveContext()
		rt.runMu.Lock()
		rt.ctx = context.Background()
		rt.runMu.Unlock()
		errs = append(errs, rt.Ledger.Unwind())
		close(rt.Loop.done)
		rt.cancel(errors.New("runtime closed"))
		rt.end()
		rt.memory.Stop()
		rt.L.Close()
	})
	return errors.Join(errs...)
}

// runDeferred calls fn under a context of its own, which Interrupt ends.
func (rt *Runtime) runDeferred(fn *lua.LFunction) error {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	rt.runMu.Lock()
	rt.ctx, rt.deferred = ctx, cancel
	rt.runMu.Unlock()
	rt.L.SetContext(ctx)
	err := rt.Call(fn)
	rt.runMu.Lock()
	rt.deferred = nil
	rt.runMu.Unlock()
	cause := context.Cause(ctx)
	var exit *ExitError
	switch {
	case err == nil || errors.As(cause, &exit):
		return nil
	case cause != nil:
		return &DeferredError{Err: interruptedHere(err, cause), Interrupt: cause}
	}
	return &DeferredError{Err: err}
}

// A DeferredError is the failure of a deferred function: its error, with
// the traceback, and the interrupt that stopped it, if one did.
type DeferredError struct {
	Err       error
	Interrupt error // an *Interrupt, or nil when the function failed by itself
}

func (e *DeferredError) Error() string { return "deferred function: " + e.Err.Error() }

// Unwrap returns the error and the interrupt, for errors.As.
func (e *DeferredError) Unwrap() []error {
	if e.Interrupt == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Interrupt}
}

// interruptedHere is the Lua error err, where the VM stopped at an ended
// context, saying why: "t.lua:3: interrupted (SIGINT)", not "context
// canceled".
func interruptedHere(err, cause error) error {
	var apiErr *lua.ApiError
	if !errors.As(err, &apiErr) {
		return err
	}
	msg, ok := apiErr.Object.(lua.LString)
	if !ok {
		return err
	}
	where, found := strings.CutSuffix(string(msg), context.Canceled.Error())
	if !found {
		return err
	}
	return &lua.ApiError{Type: apiErr.Type, Object: lua.LString(where + cause.Error()), StackTrace: apiErr.StackTrace, Cause: apiErr.Cause}
}
