//go:build netluatest

package main

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// The test binary (built with -tags netluatest) carries a module whose
// function panics, so tests can check that no Go panic reaches a user.
func init() {
	luabind.Register(&luabind.Module{
		Name: "netlua_test",
		Doc:  "test hooks, only in binaries built with -tags netluatest",
		Funcs: []luabind.Func{{
			Name: "panic", Sig: "panic()", Doc: "panics in Go, as a binding with a bug would",
			Fn: func(L *lua.LState) int {
				var s []int
				return s[L.GetTop()+3]
			},
		}},
	})
}
