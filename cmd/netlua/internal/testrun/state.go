package testrun

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/cmd/netlua/internal/run"
	"github.com/netlua/netlua/luabind"
)

// A testState is one fresh runtime in which a test file's top level runs,
// then at most one of the tests it defines, so that tests share nothing:
// not globals, not sockets, not lab namespaces.
type testState struct {
	rt   *luabind.Runtime
	path string
	out  bytes.Buffer // what the state printed
	mod  *lua.LTable  // the module test

	mu     sync.Mutex // guards picked, which the runner reads on a timeout
	picked *testDef
}

// A testDef is a test the file's top level defined.
type testDef struct {
	index int
	name  string
	where string
	fn    lua.LValue
}

// A timeoutError is the cause of a test interrupted by --timeout.
type timeoutError struct{ limit time.Duration }

func (e *timeoutError) Error() string { return fmt.Sprintf("timed out after %v", e.limit) }

// newTestState makes a fresh runtime with mods for a test of the file at
// path. The runner gives every state the same mods, so that the modules
// written in Lua are compiled once (see luabind.New).
func newTestState(path string, mods []*luabind.Module) *testState {
	s := &testState{rt: luabind.New(mods...), path: path}
	s.rt.Stdout, s.rt.Stderr = &s.out, &s.out
	return s
}

// run loads the file, runs its top level, runs the test pick chooses from
// those it defined (if any: pick returns -1 for none), and closes the
// runtime. It returns the test's result, or the file's when the file did
// not load, or nil.
func (s *testState) run(src []byte, pick func(names []string) int) (res *testResult) {
	start := time.Now()
	defer func() { res = s.finish(res, recover(), start) }()
	defs, err := s.load(src)
	if err != nil {
		res = &testResult{File: s.path}
		res.fail(s.errorOf(err))
	} else if i := pick(names(defs)); i >= 0 {
		res = s.call(defs[i])
	}
	return res
}

// finish closes the runtime, whatever happened, and completes res with
// what the cleanup and a Go panic (a bug of the runner: never shown to
// users as a Go trace) add to it.
func (s *testState) finish(res *testResult, panicked any, start time.Time) *testResult {
	problem := func(f testFailure) {
		if res == nil {
			res = &testResult{File: s.path}
		}
		res.fail(f)
	}
	if panicked != nil {
		problem(testFailure{Message: fmt.Sprintf("netlua test: internal error: %v", panicked), Error: true})
	}
	_, exited := s.rt.Exited()
	for _, err := range run.Unjoin(s.rt.Close()) {
		problem(errorFailure("cleanup: " + s.rt.Report(err)))
	}
	if code, ok := s.rt.Exited(); ok && !exited {
		problem(testFailure{Message: fmt.Sprintf("%s: a deferred function called os.exit(%d)", s.path, code), Error: true})
	}
	if res != nil {
		res.Elapsed, res.Output = time.Since(start), s.out.String()
	}
	return res
}

// load runs the harness and the file's top level, and returns the tests
// it defined.
func (s *testState) load(src []byte) ([]testDef, error) {
	L := s.rt.L
	if err := L.CallByParam(lua.P{Fn: L.GetGlobal("require"), NRet: 1, Protect: true}, lua.LString("test")); err != nil {
		return nil, err
	}
	s.mod = L.CheckTable(-1)
	L.Pop(1)
	chunk, err := s.rt.Load(bytes.NewReader(src), s.path)
	if err != nil {
		return nil, err
	}
	run.SetArgs(L, s.path, nil)
	run.AddScriptDir(L, s.path)
	if err := s.rt.Call(chunk); err != nil {
		return nil, err
	}
	return s.defs(), nil
}

// defs reads test.tests.
func (s *testState) defs() []testDef {
	var defs []testDef
	list, _ := s.mod.RawGetString("tests").(*lua.LTable)
	for i := 1; list != nil && i <= list.Len(); i++ {
		if d, ok := list.RawGetInt(i).(*lua.LTable); ok {
			defs = append(defs, testDef{index: len(defs), name: lua.LVAsString(d.RawGetString("name")),
				where: lua.LVAsString(d.RawGetString("where")), fn: d.RawGetString("fn")})
		}
	}
	return defs
}

// test is the test the state picked to run, or nil; the runner may ask
// while the state runs.
func (s *testState) test() *testDef {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.picked
}

// ran is the index of the test the state picked, or -1.
func (s *testState) ran() int {
	if d := s.test(); d != nil {
		return d.index
	}
	return -1
}

func names(defs []testDef) []string {
	ns := make([]string, len(defs))
	for i, d := range defs {
		ns[i] = d.name
	}
	return ns
}

// call runs one test: fn(t), where t is test.new(name).
func (s *testState) call(d testDef) *testResult {
	s.mu.Lock()
	s.picked = &d
	s.mu.Unlock()
	res := &testResult{File: s.path, Name: d.name, Where: d.where}
	L := s.rt.L
	if err := L.CallByParam(lua.P{Fn: s.mod.RawGetString("new"), NRet: 1, Protect: true}, lua.LString(d.name)); err != nil {
		res.fail(s.errorOf(err))
		return res
	}
	t := L.CheckTable(-1)
	L.Pop(1)
	err := L.CallByParam(lua.P{Fn: d.fn, NRet: 0, Protect: true}, t)
	if cause := s.rt.Interrupted(); err == nil && cause != nil {
		// return pcall(os.exit, 3), a tail call, returns: no
		// instruction ran after it to stop at the ended context.
		err = cause
	}
	readT(res, t)
	var apiErr *lua.ApiError
	if err != nil && !(errors.As(err, &apiErr) && apiErr.Object == t) { // raising t stops the test
		res.fail(s.errorOf(err))
	}
	return res
}

// errorOf is the failure of an error that ended a test or the file's top
// level: the error and its traceback, or why the state was interrupted.
func (s *testState) errorOf(err error) testFailure {
	var timeout *timeoutError
	var exit *luabind.ExitError
	cause := s.rt.Interrupted()
	switch {
	case errors.As(cause, &timeout):
		f := errorFailure(s.rt.Report(err))
		where := luaWhere.FindString(f.Message) // the line it was at
		if where == "" {
			where = s.path + ": "
		}
		f.Message = where + "test " + timeout.Error() + " (--timeout)"
		return f
	case errors.As(cause, &exit):
		return testFailure{Message: fmt.Sprintf("%s: the test called os.exit(%d)", s.path, exit.Code), Error: true}
	case cause != nil:
		return testFailure{Message: s.path + ": " + cause.Error(), Error: true}
	}
	return errorFailure(s.rt.Report(err))
}

// luaWhere is the "file:line: " that starts a Lua error message.
var luaWhere = regexp.MustCompile(`^[^\s:][^:]*:\d+: `)

// readT copies what t recorded into res.
func readT(res *testResult, t *lua.LTable) {
	failures, _ := t.RawGetString("failures").(*lua.LTable)
	for i := 1; failures != nil && i <= failures.Len(); i++ {
		if f, ok := failures.RawGetInt(i).(*lua.LTable); ok {
			res.fail(checkFailure(f))
		}
	}
	if why, ok := t.RawGetString("skipped").(lua.LString); ok && res.Status != testFailed {
		res.Status = testSkipped
		res.Skip = lua.LVAsString(t.RawGetString("skipped_at")) + ": " + string(why)
	}
}

// checkFailure is a failure t recorded: { where, msg, got, want, detail, kind }.
func checkFailure(f *lua.LTable) testFailure {
	where, msg := lua.LVAsString(f.RawGetString("where")), lua.LVAsString(f.RawGetString("msg"))
	got, want := optString(f, "got"), optString(f, "want")
	if lua.LVAsString(f.RawGetString("kind")) == "bytes" && got != nil && want != nil {
		return bytesFailure(where, msg, []byte(*got), []byte(*want))
	}
	tf := testFailure{Message: where + ": " + msg, Detail: gotWant(got, want)}
	if detail := optString(f, "detail"); detail != nil {
		tf.Detail = append(tf.Detail, splitLines(*detail, "  ")...)
	}
	return tf
}

// optString is field key of t when it is a string.
func optString(t *lua.LTable, key string) *string {
	if s, ok := t.RawGetString(key).(lua.LString); ok {
		v := string(s)
		return &v
	}
	return nil
}
