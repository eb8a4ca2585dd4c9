package sock

import (
	"strconv"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// sock.go and sock.task: the Lua side of tasks (see task.go).

var goFunc = luabind.Func{Name: "go", Sig: "go(fn, ...) -> task", Fn: goTask,
	Types: luabind.Types{"fn": "function", "task": "sock.task"},
	Doc:   "runs fn(...) in a coroutine at once, until its first wait: a blocking socket call in it parks the coroutine on the event loop instead of blocking the script, and it goes on when the socket is ready"}

var taskType = &luabind.Type{
	Name: "sock.task",
	Doc:  "a function running in a coroutine started by sock.go",
	Fields: []luabind.Field{
		{Name: "done", Type: "boolean", Doc: "true once the function returned or failed"},
		{Name: "finished_at", Type: "number", Doc: "the time (loop.now() seconds) the function returned or failed, or nil"},
	},
	Get: taskGet,
}

func init() { taskType.Methods = taskMethods }

var taskMethods = []luabind.Func{
	{Name: "wait", Sig: "task:wait([timeout]) -> ...", Fn: taskWait,
		Types: luabind.Types{"timeout": "number", "...": "any"},
		Doc:   "runs the event loop until the task ends, at most timeout seconds, and returns its function's results or raises its error (with the coroutine's traceback); in another task it parks that task until this one ends (the timeout does not apply)"},
}

// goTask implements sock.go(fn, ...).
func goTask(L *lua.LState) int {
	fn := luabind.CheckFunction(L, 1)
	th, _ := L.NewThread()
	t := &task{th: th, fn: fn}
	for i := 2; i <= L.GetTop(); i++ {
		t.args = append(t.args, L.Get(i))
	}
	tasksOf(L)[th] = t
	ud := luabind.NewObject(L, taskType, t)
	if err := t.resume(L); err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "sock.go", Err: err})
	}
	L.Push(ud)
	return 1
}

func taskGet(L *lua.LState, v any, key string) lua.LValue {
	t := v.(*task)
	switch key {
	case "done":
		return lua.LBool(t.done)
	case "finished_at":
		if t.done {
			return lua.LNumber(t.ended)
		}
	}
	return lua.LNil
}

// taskWait implements task:wait([timeout]).
func taskWait(L *lua.LState) int {
	t := luabind.CheckObject[*task](L, 1, taskType)
	timeout := sockbind.CheckTimeout(L, 2)
	if !t.done {
		if self := taskOf(L); self != nil && L.CanYieldAgain() {
			return parkOnTask(L, self, t)
		}
		runUntilDone(L, t, timeout)
	}
	if !t.done {
		luabind.Errorf(L, "sock.task:wait", "timed out after %s s", strconv.FormatFloat(timeout.Seconds(), 'g', -1, 64))
	}
	return t.push(L)
}

// push returns the task's results, or raises its error.
func (t *task) push(L *lua.LState) int {
	if t.err != nil {
		L.Error(t.err, 0)
	}
	for _, v := range t.results {
		L.Push(v)
	}
	return len(t.results)
}

// runUntilDone runs the event loop until t ends or timeout passes.
func runUntilDone(L *lua.LState, t *task, timeout time.Duration) {
	rt := luabind.RuntimeOf(L)
	stop := make(chan struct{})
	closed := false
	end := func() {
		if !closed {
			closed = true
			close(stop)
		}
	}
	t.waiters = append(t.waiters, end)
	if timeout >= 0 {
		tm := rt.Loop.Schedule(timeout, 0, func(*lua.LState, *luabind.Timer) error { end(); return nil })
		defer tm.Cancel()
	}
	if err := rt.Loop.RunUntil(L, rt.Context(), stop); err != nil {
		luabind.Raise(L, err)
	}
}

// parkOnTask parks self, a task waiting for t, until t ends.
func parkOnTask(L *lua.LState, self, t *task) int {
	rt := luabind.RuntimeOf(L)
	self.release = rt.Loop.Hold()
	self.onTask = true
	t.waiters = append(t.waiters, func() { rt.Loop.Post(self.resume) })
	return L.YieldAgain()
}
