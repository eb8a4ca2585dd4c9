package lab

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
	lua "github.com/yuin/gopher-lua"
)

// labtest exposes luabind.NetNSArg and luabind.NetNSOption to the tests' Lua
// code, which hands them lab hosts and ends.
func labtestModule() *luabind.Module {
	return &luabind.Module{
		Name: "labtest",
		Doc:  "test hooks of the lab package",
		Funcs: []luabind.Func{
			{Name: "netns", Sig: "netns(v) -> string", Doc: "what NetNSArg makes of v", Fn: func(L *lua.LState) int {
				L.Push(lua.LString(describe(luabind.NetNSArg(L, "labtest.netns", L.Get(1)))))
				return 1
			}},
			{Name: "netns_opt", Sig: "netns_opt(opts) -> string", Doc: "what NetNSOption makes of opts", Fn: func(L *lua.LState) int {
				o := luabind.CheckOptions(L, 1, "netns")
				L.Push(lua.LString(describe(luabind.NetNSOption(o, "labtest.netns_opt"))))
				return 1
			}},
		},
	}
}

func describe(ns interface{ String() string }) string {
	if ns == nil || fmt.Sprint(ns) == "<nil>" {
		return "current"
	}
	return ns.String()
}

func TestNetNSArg(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, t = require "lab", require "labtest"
		local a, b = lab.pair{pin = true}
		local inside = a:exec{"readlink", "/proc/self/ns/net"}
		print(t.netns(nil), t.netns_opt{})
		print(t.netns(a) == inside:gsub("\n", ""), t.netns(a.host) == t.netns(a), t.netns(a) ~= t.netns(b))
		print(t.netns(a.netns) == t.netns(a), t.netns_opt{netns = b.netns} == t.netns(b), t.netns_opt{netns = b} == t.netns(b))
		print(t.netns("/proc/self/ns/net") ~= t.netns(a))
	`, luaModules()...)
	want := "current\tcurrent\ntrue\ttrue\ttrue\ntrue\ttrue\ttrue\ntrue\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestNetNSArgErrors(t *testing.T) {
	testlab.Privileged(t)
	tests := []struct{ name, code, want string }{
		{"missing name", `t.netns("netlua-no-such-ns")`, "labtest.netns: netns netlua-no-such-ns: no such network namespace (have: "},
		{"a number", `t.netns(5)`, "labtest.netns: netns: a lab host or end, or a namespace name expected, got number"},
		{"another userdata", `t.netns(newproxy and newproxy() or io.stdout)`, "labtest.netns: netns: a lab host or end, or a namespace name expected, got userdata"},
		{"option of a wrong type", `t.netns_opt{netns = 5}`, "bad argument #1 to 'netns_opt' (option 'netns' expects a lab host or end, or a namespace name, got number)"},
		{"not a namespace", `t.netns("/proc/self/status")`, "labtest.netns: netns /proc/self/status: netns.open: /proc/self/status: not a network namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testlab.RunLua(t, `local t = require "labtest"; `+tt.code, luaModules()...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant %q", err, tt.want)
			}
		})
	}
}
