package luabind

import lua "github.com/yuin/gopher-lua"

// replaceCoroutines makes a coroutine run under the context of the code
// that resumes it. gopher-lua gives a coroutine, for good, a child of the
// context its creator had: a coroutine made by an earlier statement at
// the prompt then ignored ^C of the statement resuming it, and one the
// script made failed at once ("context canceled") in a deferred function
// after ^C.
func (rt *Runtime) replaceCoroutines() {
	L := rt.L
	co, ok := L.GetGlobal("coroutine").(*lua.LTable)
	if !ok {
		return
	}
	resume, ok := co.RawGetString("resume").(*lua.LFunction)
	wrap, ok2 := co.RawGetString("wrap").(*lua.LFunction)
	if !ok || !ok2 || !resume.IsG || !wrap.IsG {
		return
	}
	co.RawSetString("resume", L.NewFunction(func(L *lua.LState) int {
		follow(L, L.CheckThread(1))
		return resume.GFunction(L)
	}))
	co.RawSetString("wrap", L.NewFunction(func(L *lua.LState) int {
		n := wrap.GFunction(L)
		// The function wrap returns resumes the thread in its upvalue.
		aux := L.Get(-1).(*lua.LFunction)
		th := aux.Upvalues[0].Value().(*lua.LState)
		L.Pop(1)
		L.Push(L.NewClosure(func(L *lua.LState) int {
			follow(L, th)
			return aux.GFunction(L) // reads th from this closure's upvalue
		}, th))
		return n
	}))
}

// follow gives the coroutine th the context of L, which resumes it.
func follow(L, th *lua.LState) {
	switch ctx := L.Context(); {
	case ctx == nil:
		th.RemoveContext()
	case th.Context() != ctx:
		th.SetContext(ctx)
	}
}
