package luabind_test

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// counter is an object with methods and fields, for the tests of
// NewObject: its name never changes and is boxed when it is made, as a
// socket's ifname is.
type counter struct {
	static luabind.Static
	n      int
}

var counterType = &luabind.Type{
	Name: "objtest.counter",
	Doc:  "a counter",
	Fields: []luabind.Field{
		{Name: "name", Type: "string", Doc: "static"},
		{Name: "n", Type: "integer", Doc: "changes"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		c := v.(*counter)
		if key == "n" {
			return lua.LNumber(c.n)
		}
		return c.static.Get(key)
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

// objtestModule makes counters.
func objtestModule() *luabind.Module {
	return &luabind.Module{
		Name: "objtest",
		Doc:  "objects, for tests",
		Funcs: []luabind.Func{
			{Name: "counter", Sig: "counter(name) -> counter", Doc: "makes a counter", Fn: func(L *lua.LState) int {
				name := L.Get(1)
				static := luabind.NewStatic(counterType, func(string) lua.LValue { return name }, "n")
				L.Push(luabind.NewObject(L, counterType, &counter{static: static}))
				return 1
			}},
		},
		Types: []*luabind.Type{counterType},
	}
}

func TestObject(t *testing.T) {
	out := testlab.MustLua(t, `
		local f = require "objtest"
		local a, b = f.counter("a"), f.counter("b")
		a:add(2); a:add(3); b:add(1)
		print(a.name, a.n, b.name, b.n, a.nope, getmetatable(a))
		print(pcall(a.add, a, "x"))
		print(pcall(a.add, 5, 1))
		print(tostring(a):match("^objtest.counter"))
	`, luaModules()...)
	want := "a\t5\tb\t1\tnil\tobjtest.counter\n" +
		"false\t<string>:6: bad argument #1 to 'add' (number expected, got string)\n" +
		"false\t<string>:7: calling 'add' on bad self (objtest.counter expected, got number)\n" +
		"objtest.counter\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// Objects of a type share one metatable, and calling their methods or
// reading their fields allocates nothing, whether the type has fields
// (counter) or not (thing).
func TestObjectsShareMetatable(t *testing.T) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	if err := rt.L.DoString(`
		local o, c = require "objtest", require "checktest"
		a, b, th = o.counter("a"), o.counter("b"), c.thing()
		function calls() local a, th = a, th; for i = 1, 1000 do a:add(1); th:poke(1); local _ = a.name end end`); err != nil {
		t.Fatal(err)
	}
	a, b := rt.L.GetGlobal("a").(*lua.LUserData), rt.L.GetGlobal("b").(*lua.LUserData)
	if a.Metatable != b.Metatable {
		t.Error("two counters have metatables of their own")
	}
	calls := rt.L.GetGlobal("calls")
	allocs := testing.AllocsPerRun(3, func() {
		if err := rt.L.CallByParam(lua.P{Fn: calls, Protect: true}); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 100 {
		t.Errorf("%.0f allocations for 3,000 method calls and field reads, want none", allocs)
	}
}

// BenchmarkObjectCall is a method call on an object with fields (counter:
// __index is a Go function) and on one without (thing: __index is the
// methods table). Neither allocates.
func BenchmarkObjectCall(b *testing.B) {
	for _, mk := range []string{"counter", "thing"} {
		b.Run(mk, func(b *testing.B) {
			rt := luabind.New(luaModules()...)
			defer rt.Close()
			rt.L.SetGlobal("N", lua.LNumber(b.N))
			code := `local c = require("objtest").counter("a"); for i = 1, N do c:add(1) end`
			if mk == "thing" {
				code = strings.Replace(code, `require("objtest").counter("a")`, `require("checktest").thing()`, 1)
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
