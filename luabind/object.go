package luabind

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

// NewObject wraps v as a userdata of type t, with t's methods and fields.
func NewObject(L *lua.LState, t *Type, v any) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = v
	ud.Metatable = metatable(L, t)
	return ud
}

// metatable returns t's metatable in L, making it on first use.
func metatable(L *lua.LState, t *Type) *lua.LTable {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if mt, ok := reg.RawGetString(t.Name).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTable()
	methods := methodTable(L, t)
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		key := L.CheckString(2)
		if m := methods.RawGetString(key); m != lua.LNil {
			L.Push(m)
			return 1
		}
		if t.Get != nil {
			L.Push(t.Get(L, L.CheckUserData(1).Value, key))
			return 1
		}
		L.Push(lua.LNil)
		return 1
	}))
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		ud := L.CheckUserData(1)
		if s, ok := ud.Value.(fmt.Stringer); ok {
			L.Push(lua.LString(s.String()))
		} else {
			L.Push(lua.LString(fmt.Sprintf("%s: %p", t.Name, ud)))
		}
		return 1
	}))
	mt.RawSetString("__metatable", lua.LString(t.Name))
	reg.RawSetString(t.Name, mt)
	return mt
}

// CheckObject returns argument n as the Go value of a userdata of type t.
func CheckObject[T any](L *lua.LState, n int, t *Type) T {
	if ud, ok := L.Get(n).(*lua.LUserData); ok {
		if v, ok := ud.Value.(T); ok {
			return v
		}
	}
	TypeError(L, n, t.Name)
	var zero T
	return zero
}
