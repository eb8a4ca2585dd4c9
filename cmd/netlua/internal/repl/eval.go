package repl

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/cmd/netlua/internal/run"
	"github.com/netlua/netlua/luabind"
)

// newSession makes the runtime of a prompt. In it, the name of a
// registered module reads as the module, so packet.open works without a
// require, as Node's prompt does with its built-in modules.
func newSession(mods []*luabind.Module, stdout, stderr io.Writer) *session {
	rt := luabind.New(mods...)
	out := &echoWriter{w: stdout}
	rt.Stdout, rt.Stderr = out, stderr
	s := &session{rt: rt, stdout: out, stderr: stderr}
	L := rt.L
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(autoRequire))
	L.SetMetatable(L.G.Global, mt)
	return s
}

// autoRequire is the __index of the prompt's globals: a registered
// module's name requires it, and the module becomes a global.
func autoRequire(L *lua.LState) int {
	name, ok := L.Get(2).(lua.LString)
	if _, registered := luabind.RuntimeOf(L).Modules().Lookup(string(name)); !ok || !registered {
		return 0
	}
	L.Push(L.GetGlobal("require"))
	L.Push(name)
	L.Call(1, 1)
	L.RawSet(L.G.Global, name, L.Get(-1))
	return 1
}

// feed takes one line. A complete statement runs; an incomplete one waits
// for the next line. leave is set when the session must end (os.exit,
// SIGTERM), with its exit status.
func (s *session) feed(line string) (status int, leave bool) {
	src := s.pending + line
	// The statement's own context, for its compile (a huge paste can take
	// seconds) and its run: ^C interrupts this statement only.
	s.rt.Rearm()
	s.setRunning(true)
	fn, err := s.compile(src)
	s.setRunning(false)
	if s.rt.Interrupted() != nil {
		s.pending = ""
		return s.failed(err)
	}
	if err != nil && incomplete(err) {
		s.pending = src + "\n"
		return 0, false
	}
	s.pending = ""
	if err != nil {
		fmt.Fprintln(s.stderr, err)
		return 0, false
	}
	if strings.TrimSpace(src) == "" {
		return 0, false
	}
	return s.run(fn)
}

// incomplete reports whether a chunk failed only for want of more input:
// lua.c's rule, a syntax error whose message ends in '<eof>'.
func incomplete(err error) bool {
	return strings.HasSuffix(err.Error(), "'<eof>'")
}

// compile reads =expr as return expr, and tries a line as an expression
// before taking it as a statement, so that 1+1 and f() print their values.
func (s *session) compile(src string) (*lua.LFunction, error) {
	if rest, ok := strings.CutPrefix(src, "="); ok {
		return s.rt.Load(strings.NewReader("return "+rest), "stdin")
	}
	if fn, err := s.rt.Load(strings.NewReader("return "+src), "stdin"); err == nil {
		return fn, nil
	}
	return s.rt.Load(strings.NewReader(src), "stdin")
}

// run calls the compiled statement, interruptible by SIGINT, and prints
// its values or its error. feed has given it its own context (Rearm).
func (s *session) run(fn *lua.LFunction) (status int, leave bool) {
	L := s.rt.L
	top := L.GetTop()
	s.stdout.last = s.stdout.last[:0]
	s.setRunning(true)
	L.Push(fn)
	err := L.PCall(0, lua.MultRet, nil)
	signalled := s.setRunning(false)
	defer L.SetTop(top)
	// pcall(os.exit, 3), which the prompt runs as return pcall(...), a
	// tail call, returns: no instruction ran after it to stop at the
	// ended context.
	if err != nil || s.rt.Interrupted() != nil {
		return s.failed(err)
	}
	if signalled {
		// A call took the ^C as its end (s:capture): the statement
		// completed. Its values go below the ^C the terminal echoed.
		fmt.Fprintln(s.stderr)
	}
	if L.GetTop() == top+1 && s.stdout.echoes(L.Get(-1)) {
		return 0, false
	}
	var vals []string
	for i := top + 1; i <= L.GetTop(); i++ {
		vals = append(vals, s.show(L.Get(i)))
	}
	if len(vals) > 0 {
		fmt.Fprintln(s.stdout, strings.Join(vals, "\t"))
	}
	return 0, false
}

// setRunning says whether a statement runs, and reports whether a
// signal came since the last call.
func (s *session) setRunning(running bool) (signalled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running = running
	signalled, s.signalled = s.signalled, false
	return signalled
}

// failed reports a statement's error. An interrupt by SIGINT ends only the
// statement; os.exit and other signals (SIGTERM, SIGHUP, SIGPIPE for a
// closed standard output) end the session.
func (s *session) failed(err error) (status int, leave bool) {
	var intr *luabind.Interrupt
	var exit *luabind.ExitError
	cause := s.rt.Interrupted()
	switch {
	case errors.As(cause, &exit):
		return exit.Code, true
	case errors.As(cause, &intr) && intr.Signal != syscall.SIGINT:
		return run.InterruptStatus(intr), true
	case cause != nil:
		fmt.Fprintln(s.stderr, "\ninterrupted")
	default:
		fmt.Fprintln(s.stderr, s.rt.Report(err))
	}
	return 0, false
}

// show renders a value for the prompt: text as it is, binary strings and
// tables as pp.format writes them, a userdata by its type's show method or
// its module's show function (frame.show for parsed frames), anything else
// as tostring does.
func (s *session) show(v lua.LValue) string {
	switch v := v.(type) {
	case lua.LString:
		if isText(string(v)) {
			return string(v)
		}
		return s.callString("pp", "format", v)
	case *lua.LTable:
		if s.rt.L.GetMetaField(v, "__tostring") == lua.LNil {
			return s.callString("pp", "format", v)
		}
	case *lua.LUserData:
		if out, ok := s.showObject(v); ok {
			return out
		}
	}
	return s.rt.L.ToStringMeta(v).String()
}

// showObject renders a userdata with the show method of its registered
// type, or the show function of its module, if there is one.
func (s *session) showObject(ud *lua.LUserData) (string, bool) {
	m, t := registeredType(s.rt.Modules(), ud)
	switch {
	case t != nil && hasFunc(t.Methods, "show"):
		return s.callMethod(ud, "show"), true
	case m != nil && hasFunc(m.Funcs, "show"):
		return s.callString(m.Name, "show", ud), true
	}
	return "", false
}

func hasFunc(fs []luabind.Func, name string) bool {
	for _, f := range fs {
		if f.Name == name {
			return true
		}
	}
	return false
}

// callString returns module.fn(v) as a string; on an error, tostring(v).
// What fn prints is dropped: frame.show prints the text it returns.
func (s *session) callString(module, fn string, v lua.LValue) string {
	L := s.rt.L
	s.rt.Stdout = io.Discard
	defer func() { s.rt.Stdout = s.stdout }()
	out, err := protect(L, func() lua.LValue {
		mod := call(L, L.GetGlobal("require"), lua.LString(module))
		return call(L, L.GetField(mod, fn), v)
	})
	if err != nil {
		return L.ToStringMeta(v).String()
	}
	return out.String()
}

// callMethod returns v:name() as a string; on an error, tostring(v).
func (s *session) callMethod(v lua.LValue, name string) string {
	L := s.rt.L
	out, err := protect(L, func() lua.LValue { return call(L, L.GetField(v, name), v) })
	if err != nil {
		return L.ToStringMeta(v).String()
	}
	return out.String()
}

// call calls fn with args and returns its first result.
func call(L *lua.LState, fn lua.LValue, args ...lua.LValue) lua.LValue {
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	L.Call(len(args), 1)
	v := L.Get(-1)
	L.Pop(1)
	return v
}

// protect runs f on the Lua thread in protected mode: a Lua error in it
// (a bad __index, a failing show) is returned, not raised.
func protect(L *lua.LState, f func() lua.LValue) (lua.LValue, error) {
	var out lua.LValue = lua.LNil
	err := L.CallByParam(lua.P{Fn: L.NewFunction(func(L *lua.LState) int {
		out = f()
		return 0
	}), Protect: true})
	return out, err
}

// isText reports whether s reads as text: UTF-8 without control
// characters other than tab and newline.
func isText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
			return false
		}
	}
	return true
}

// echoWriter is the prompt's standard output. It keeps the last write of
// the statement running, so that a function that prints the text it
// returns (frame.show, frame.hexdump) does not show it twice.
type echoWriter struct {
	w    io.Writer
	last []byte
}

// echoLimit is the longest write an echoWriter keeps.
const echoLimit = 1 << 20

func (e *echoWriter) Write(p []byte) (int, error) {
	e.last = e.last[:0]
	if len(p) <= echoLimit {
		e.last = append(e.last, p...)
	}
	return e.w.Write(p)
}

// echoes reports whether v is the text last written, give or take the
// final newline.
func (e *echoWriter) echoes(v lua.LValue) bool {
	s, ok := v.(lua.LString)
	if !ok || len(e.last) == 0 {
		return false
	}
	last := string(e.last)
	return last == string(s) || last == string(s)+"\n"
}
