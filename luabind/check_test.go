package luabind_test

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// thing is a userdata type for the tests of argument checks.
var thingType = &luabind.Type{Name: "checktest.thing", Doc: "a test object"}

func init() {
	thingType.Methods = []luabind.Func{
		{Name: "poke", Sig: "thing:poke(n)", Doc: "checks that n is a number", Fn: func(L *lua.LState) int {
			luabind.CheckObject[*int](L, 1, thingType)
			luabind.CheckNumber(L, 2)
			return 0
		}},
	}
}

// checktestModule returns the module "checktest".
func checktestModule() *luabind.Module {
	return &luabind.Module{
		Name: "checktest",
		Doc:  "functions that check their arguments, for tests",
		Funcs: []luabind.Func{
			{Name: "open", Sig: "open(ifname [, opts])", Doc: "checks a string and an option table", Fn: func(L *lua.LState) int {
				luabind.CheckString(L, 1)
				o := luabind.CheckOptions(L, 2, "promisc", "proto", "count")
				o.Bool("promisc", false)
				o.String("proto", "all")
				o.Int("count", 1)
				return 0
			}},
			{Name: "int", Sig: "int(n)", Doc: "checks an integer", Fn: func(L *lua.LState) int {
				L.Push(lua.LNumber(luabind.CheckInt(L, 1)))
				return 1
			}},
			{Name: "thing", Sig: "thing() -> thing", Doc: "makes a thing", Fn: func(L *lua.LState) int {
				L.Push(luabind.NewObject(L, thingType, new(int)))
				return 1
			}},
		},
		Types: []*luabind.Type{thingType},
	}
}

func TestArgumentErrors(t *testing.T) {
	tests := []struct{ code, want string }{
		{`checktest.open()`, "bad argument #1 to 'open' (string expected, got no value)"},
		{`checktest.open(nil)`, "bad argument #1 to 'open' (string expected, got nil)"},
		{`checktest.open(5)`, "bad argument #1 to 'open' (string expected, got number)"},
		{`checktest.open("veth0", 3)`, "bad argument #2 to 'open' (table expected, got number)"},
		{`checktest.open("veth0", { promsc = true })`, "bad argument #2 to 'open' (unknown option 'promsc', have: count, promisc, proto)"},
		{`checktest.open("veth0", { promisc = "yes" })`, "bad argument #2 to 'open' (option 'promisc' expects a boolean, got string)"},
		{`checktest.open("veth0", { count = 1.5 })`, "bad argument #2 to 'open' (option 'count' expects an integer, got number)"},
		{`checktest.open("veth0", { [1] = true })`, "bad argument #2 to 'open' (option names are strings, got number 1)"},
		{`checktest.int(2.5)`, "bad argument #1 to 'int' (number has no integer representation)"},
		{`local f = checktest.open; f(true)`, "bad argument #1 to 'open' (string expected, got boolean)"},
		{`checktest.thing():poke("x")`, "bad argument #1 to 'poke' (number expected, got string)"},
		{`local t = checktest.thing(); t.poke({}, 1)`, "calling 'poke' on bad self (checktest.thing expected, got table)"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			_, err := testlab.RunLua(t, "local checktest = require 'checktest'\n"+tt.code, luaModules()...)
			if err == nil {
				t.Fatal("no error")
			}
			if msg := luabind.Report(err); !strings.Contains(msg, ":2: "+tt.want) {
				t.Errorf("got  %s\nwant <chunk>:2: %s", msg, tt.want)
			}
		})
	}
}

func TestChecksAccept(t *testing.T) {
	out := testlab.MustLua(t, `local c = require 'checktest'
c.open("veth0") c.open("veth0", nil) c.open("veth0", { promisc = true, proto = "ipv4", count = 3 })
c.thing():poke(1)
print(c.int(42), tostring(c.thing()):match("^checktest.thing"))`, luaModules()...)
	if out != "42\tchecktest.thing\n" {
		t.Errorf("got %q", out)
	}
}
