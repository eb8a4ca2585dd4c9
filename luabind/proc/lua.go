package proc

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/child"
	"github.com/netlua/netlua/luabind/internal/childbind"
)

// Module returns the Lua module "proc", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "proc",
		Doc:  "programs that run beside the event loop, killed when the script ends",
		Funcs: []luabind.Func{
			{Name: "spawn", Sig: "spawn(argv [, opts]) -> process", Fn: spawn, Types: childbind.SpawnTypes,
				Doc: "starts argv (looked up in $PATH) in netlua's namespaces and returns at once: the loop keeps running while it does; it is killed, with its process group, when the script ends, however it ends; on kill -9 of netlua the program itself still dies (its parent-death signal), not what it started; " + childbind.SpawnOptions},
		},
		Types: []*luabind.Type{childbind.Type},
	}
}

// spawn implements proc.spawn(argv [, opts]).
func spawn(L *lua.LState) int {
	return childbind.Spawn(L, 1, "proc.spawn", "", forker(L).Start)
}

// forker returns the runtime's forker, started on first use; the ledger
// ends it (and so its thread) after the programs it started.
func forker(L *lua.LState) *child.Forker {
	rt := luabind.RuntimeOf(L)
	return rt.State("proc", func() any {
		f := child.NewForker()
		rt.Ledger.Add("proc forker", f.Close)
		return f
	}).(*child.Forker)
}
