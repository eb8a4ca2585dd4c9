package luabind

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

// NewObject wraps v as a userdata of type t: scripts call t's methods on
// it (obj:send(...)) and read its fields (obj.ifname, from t.Get).
//
// Every object of t in a state shares one metatable, made on first use
// (see metatable). Fields that never change, such as a socket's ifname,
// are best boxed into lua.LValues once, when v is made, for t.Get to
// return: reading them then allocates nothing.
func NewObject(L *lua.LState, t *Type, v any) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = v
	ud.Metatable = metatable(L, t)
	return ud
}

// metatable returns t's metatable in L, making it on first use.
//
// Its __index is t's methods table, made once per state, when t has no
// fields (Get is nil): a method call is then a table lookup. Otherwise
// it is a Go function that looks in the methods table first and then
// asks t.Get. A table cannot fall back to t.Get itself: Lua calls the
// __index function of a table's metatable with that table, not with the
// object, so the methods table would have to be the object's own, with
// a metatable per object. The Go call costs ~50 ns a lookup and, since
// gopher-lua patch 23, no allocation.
func metatable(L *lua.LState, t *Type) *lua.LTable {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if mt, ok := reg.RawGetString(t.Name).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTable()
	mt.RawSetString("__index", index(L, t))
	if t.Set != nil {
		mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
			t.Set(L, L.CheckUserData(1).Value, CheckString(L, 2), L.Get(3))
			return 0
		}))
	}
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

// index is the __index of t's metatable: its methods table, or a Go
// function looking there and then in t.Get.
func index(L *lua.LState, t *Type) lua.LValue {
	methods := methodTable(L, t)
	if t.Get == nil {
		return methods
	}
	return L.NewFunction(func(L *lua.LState) int {
		key := L.CheckString(2)
		if m := methods.RawGetString(key); m != lua.LNil {
			L.Push(m)
			return 1
		}
		L.Push(t.Get(L, L.CheckUserData(1).Value, key))
		return 1
	})
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
