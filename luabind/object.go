package luabind

import (
	"fmt"
	"slices"

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
// Its __index is t's methods table, made once per state, so that a method
// call (s:send in a loop) is a table lookup. t.Get serves the keys the
// table lacks, as the metatable's __fields (gopher-lua patch 24): Lua
// would call an __index function of the methods table's own metatable
// with the table, shared by every object of t, not with the object. A
// type without methods has its Get as __index itself, with no table to
// look in first.
func metatable(L *lua.LState, t *Type) *lua.LTable {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if mt, ok := reg.RawGetString(t.Name).(*lua.LTable); ok {
		return mt
	}
	mt := L.NewTable()
	if len(t.Methods) > 0 || t.Get == nil {
		mt.RawSetString("__index", methodTable(L, t))
		if t.Get != nil {
			mt.RawSetString("__fields", fields(L, t))
		}
	} else {
		mt.RawSetString("__index", fields(L, t))
	}
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

// fields is the Lua function that reads the field of an object of t:
// t.Get(obj, key).
func fields(L *lua.LState, t *Type) *lua.LFunction {
	return L.NewFunction(func(L *lua.LState) int {
		L.Push(t.Get(L, L.CheckUserData(1).Value, L.CheckString(2)))
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

// Static holds the fields of an object that never change (a socket's
// ifname), boxed once when the object is made: each conversion of a Go
// string or number to a lua.LValue allocates, and a field may be read in
// a loop.
type Static map[string]lua.LValue

// NewStatic boxes the fields of t, all but those named in dynamic, as
// field returns them.
func NewStatic(t *Type, field func(key string) lua.LValue, dynamic ...string) Static {
	s := Static{}
	for _, f := range t.Fields {
		if !slices.Contains(dynamic, f.Name) {
			s[f.Name] = field(f.Name)
		}
	}
	return s
}

// Get returns the field key, or nil if there is none: what t.Get
// returns for a key that is not one of its dynamic fields.
func (s Static) Get(key string) lua.LValue {
	if v, ok := s[key]; ok {
		return v
	}
	return lua.LNil
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
