package luabind_test

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// counter is a fast object for the tests of NewFastObject.
type counter struct{ n int }

var counterType = &luabind.Type{
	Name: "fasttest.counter",
	Doc:  "a counter",
	Fields: []luabind.Field{
		{Name: "name", Type: "string", Doc: "static"},
		{Name: "n", Type: "integer", Doc: "changes"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		if key == "n" {
			return lua.LNumber(v.(*counter).n)
		}
		return lua.LNil
	},
}

func init() {
	counterType.Methods = []luabind.Func{
		{Name: "add", Sig: "counter:add(k)", Doc: "adds k", Fn: func(L *lua.LState) int {
			luabind.CheckObject[*counter](L, 1, counterType).n += luabind.CheckInt(L, 2)
			return 0
		}},
	}
}

// fasttestModule returns the module "fasttest".
func fasttestModule() *luabind.Module {
	return &luabind.Module{
		Name: "fasttest",
		Doc:  "fast objects, for tests",
		Funcs: []luabind.Func{
			{Name: "counter", Sig: "counter(name) -> counter", Doc: "makes a counter", Fn: func(L *lua.LState) int {
				static := map[string]lua.LValue{"name": L.Get(1)}
				L.Push(luabind.NewFastObject(L, counterType, &counter{}, static))
				return 1
			}},
		},
		Types: []*luabind.Type{counterType},
	}
}

func TestFastObject(t *testing.T) {
	out := testlab.MustLua(t, `
		local f = require "fasttest"
		local a, b = f.counter("a"), f.counter("b")
		a:add(2); a:add(3); b:add(1)
		print(a.name, a.n, b.name, b.n, a.nope, getmetatable(a))
		print(pcall(a.add, a, "x"))
		print(pcall(a.add, 5, 1))
		print(tostring(a):match("^fasttest.counter"))
	`, luaModules()...)
	want := "a\t5\tb\t1\tnil\tfasttest.counter\n" +
		"false\t<string>:6: bad argument #1 to 'add' (number expected, got string)\n" +
		"false\t<string>:7: calling 'add' on bad self (fasttest.counter expected, got number)\n" +
		"fasttest.counter\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// A fast object's method call is a table lookup: no allocation.
func BenchmarkFastObjectCall(b *testing.B) {
	for _, mk := range []string{"counter", "slow"} {
		b.Run(mk, func(b *testing.B) {
			rt := luabind.New(luaModules()...)
			defer rt.Close()
			rt.L.SetGlobal("N", lua.LNumber(b.N))
			code := `local c = require("fasttest").counter("a"); for i = 1, N do c:add(1) end`
			if mk == "slow" {
				code = strings.Replace(code, `require("fasttest").counter("a")`, `require("checktest").thing()`, 1)
				code = strings.Replace(code, "c:add(1)", "c:poke(1)", 1)
			}
			fn, err := rt.L.LoadString(code)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			if err := rt.Run(fn); err != nil {
				b.Fatal(err)
			}
		})
	}
}
