package testrun

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"

	"github.com/netlua/netlua/luabind"
)

// luaModules holds the modules written in Lua (stdlib/), compiled once
// per run: parsing them again in every test's state was most of its cost.
// gopher-lua lets states share a compiled chunk.
type luaModules map[string]*lua.FunctionProto

// compileLuaModules compiles every registered module written in Lua. One
// that does not compile is left out: require then reports the error.
func compileLuaModules() luaModules {
	protos := luaModules{}
	for _, m := range luabind.Modules() {
		if m.Lua == "" {
			continue
		}
		name := "stdlib/" + m.Name + ".lua"
		chunk, err := parse.Parse(strings.NewReader(m.Lua), name)
		if err != nil {
			continue
		}
		if proto, err := lua.Compile(chunk, name); err == nil {
			protos[m.Name] = proto
		}
	}
	return protos
}

// preload makes require load the compiled modules in L.
func (ms luaModules) preload(L *lua.LState) {
	preload, ok := L.GetField(L.GetField(L.Get(lua.GlobalsIndex), "package"), "preload").(*lua.LTable)
	if !ok {
		return
	}
	for name, proto := range ms {
		preload.RawSetString(name, L.NewFunctionFromProto(proto))
	}
}
