package luabind_test

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// TestStateSizedForScripts runs what lua5.1 runs and gopher-lua's default
// sizes did not: long tables through the stack, a deep recursion.
func TestStateSizedForScripts(t *testing.T) {
	out := testlab.MustLua(t, `
		local t = {}
		for i = 1, 100000 do t[i] = i % 10 end
		print(#table.concat(t, ","))
		local u = {}
		for i = 1, 7000 do u[i] = i end
		print(select("#", unpack(u)))
		print(#string.format(string.rep("%d", 5000), unpack(u, 1, 5000)))
		local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end
		print(f(15000))
	`, luaModules()...)
	want := "199999\n7000\n18893\n15000\n"
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// TestStackOverflowIsALuaError: past the limits, a Lua error pcall
// catches, and the state still works.
func TestStackOverflowIsALuaError(t *testing.T) {
	out := testlab.MustLua(t, `
		local function f() return 1 + f() end
		local ok, err = pcall(f)
		print(ok, err)
		local function g(n) local ok, e = pcall(g, n + 1) return "x" end
		print(pcall(g, 1))
		print(pcall(unpack, {}, 1, 1e8))
	`, luaModules()...)
	lines := strings.Split(out, "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "false\t") || !strings.HasSuffix(lines[0], "stack overflow") ||
		lines[1] != "true\tx" || !strings.HasSuffix(lines[2], "too many results to unpack") {
		t.Errorf("got %q", out)
	}
}
