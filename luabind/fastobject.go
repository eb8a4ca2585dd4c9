package luabind

import lua "github.com/yuin/gopher-lua"

// NewFastObject is NewObject for objects on hot paths, such as a socket
// whose send runs in a Lua loop. NewObject's metatable, shared by the
// type, finds methods and fields with a Go __index function: a call per
// s:send, which costs a Go call frame, an allocation and, interleaved
// with system calls, ~200 ns a call. A fast object has a metatable of its
// own whose __index is a table holding the type's methods and the fields
// given in static (values that never change, such as s.ifname), so Lua
// finds them with a table lookup. Other fields still come from t.Get.
// Methods keep their names in errors and their panic recovery.
func NewFastObject(L *lua.LState, t *Type, v any, static map[string]lua.LValue) *lua.LUserData {
	ud := NewObject(L, t, v)
	index := L.NewTable()
	methodTable(L, t).ForEach(func(k, m lua.LValue) { index.RawSet(k, m) })
	for k, val := range static {
		index.RawSetString(k, val)
	}
	if t.Get != nil {
		fields := L.NewTable()
		fields.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
			L.Push(t.Get(L, v, L.CheckString(2)))
			return 1
		}))
		L.SetMetatable(index, fields)
	}
	mt := L.NewTable()
	ud.Metatable.(*lua.LTable).ForEach(func(k, val lua.LValue) { mt.RawSet(k, val) })
	mt.RawSetString("__index", index)
	ud.Metatable = mt
	return ud
}

// methodTable returns the table of t's methods in L, made once per state.
func methodTable(L *lua.LState, t *Type) *lua.LTable {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	key := t.Name + ".methods"
	if mt, ok := reg.RawGetString(key).(*lua.LTable); ok {
		return mt
	}
	rt := runtimeOf(L)
	methods := L.NewTable()
	for _, m := range t.Methods {
		methods.RawSetString(m.Name, rt.function(m, true))
	}
	reg.RawSetString(key, methods)
	return methods
}

// Method returns t's method called name as the Lua function scripts call,
// wrapped like every registered function (names in errors, panics turned
// into errors), or nil. A Go function returns it as an iterator does:
// pcap.read returns reader.next and the reader, for a generic for.
func Method(L *lua.LState, t *Type, name string) lua.LValue {
	return methodTable(L, t).RawGetString(name)
}
