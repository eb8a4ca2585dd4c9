package luabind_test

import (
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// BenchmarkLuaLoop is the VM's instruction loop in a runtime: one op is one
// iteration of a Lua loop of arithmetic, a table store and a call, about
// 15 instructions. It prices what the loop checks per instruction (the
// interrupt context, the memory ceiling).
func BenchmarkLuaLoop(b *testing.B) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	rt.L.SetGlobal("N", lua.LNumber(b.N))
	fn, err := rt.L.LoadString(`
		local function f(x) return x + 1 end
		local t, s = {}, 0
		for i = 1, N do
			s = s + f(i) % 7
			t[i % 64 + 1] = s
		end`)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if err := rt.Run(fn); err != nil {
		b.Fatal(err)
	}
}
