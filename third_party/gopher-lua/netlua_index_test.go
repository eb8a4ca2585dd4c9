package lua

import "testing"

// An __index function of a userdata receives the key of u.key and
// u:key() as the constant the function holds, not a string boxed anew:
// indexing a userdata through Go allocates nothing (patch 23).
func TestIndexFunctionKeyNotBoxed(t *testing.T) {
	L := NewState()
	defer L.Close()
	ud := L.NewUserData()
	seen := 0
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *LState) int {
		if L.CheckString(2) == "size" {
			seen++
		}
		L.Push(L.Get(1).(*LUserData).Metatable.(*LTable).RawGetString("m"))
		return 1
	}))
	mt.RawSetString("m", L.NewFunction(func(L *LState) int { return 0 }))
	ud.Metatable = mt
	L.SetGlobal("u", ud)
	const n = 1000
	if err := L.DoString(`function f() local u = u; for i = 1, 1000 do local _ = u.size; u:size() end end`); err != nil {
		t.Fatal(err)
	}
	f := L.GetGlobal("f")
	allocs := testing.AllocsPerRun(5, func() {
		if err := L.CallByParam(P{Fn: f, NRet: 0, Protect: true}); err != nil {
			t.Fatal(err)
		}
	})
	if seen != 6*2*n {
		t.Errorf("__index saw key \"size\" %d times, want %d", seen, 6*2*n)
	}
	if perIndex := allocs / (2 * n); perIndex > 0.1 {
		t.Errorf("%.2f allocations per index of a userdata, want none", perIndex)
	}
	if err := L.DoString(`local k = "si" .. "ze"; assert(u[k] == u.m)`); err != nil {
		t.Error(err)
	}
}

// A userdata whose metatable has an __index table and a __fields function
// finds keys in the table and reads the others as __fields(u, key) with
// the userdata itself (patch 24); without __fields, indexing goes on in
// the table's metatable as Lua 5.1's does.
func TestUserdataFields(t *testing.T) {
	L := NewState()
	defer L.Close()
	methods := L.NewTable()
	methods.RawSetString("self", L.NewFunction(func(L *LState) int {
		L.Push(L.CheckUserData(1))
		return 1
	}))
	mt := L.NewTable()
	mt.RawSetString("__index", methods)
	mt.RawSetString("__fields", L.NewFunction(func(L *LState) int {
		L.Push(LString(L.CheckUserData(1).Value.(string) + "." + L.CheckString(2)))
		return 1
	}))
	plain := L.NewTable() // __index table whose own metatable has __index
	plainMethods := L.NewTable()
	L.SetMetatable(plainMethods, L.SetFuncs(L.NewTable(), map[string]LGFunction{"__index": func(L *LState) int {
		L.Push(LBool(L.Get(1) == plainMethods))
		return 1
	}}))
	plain.RawSetString("__index", plainMethods)
	for name, m := range map[string]*LTable{"a": mt, "b": mt, "p": plain} {
		ud := L.NewUserData()
		ud.Value, ud.Metatable = name, m
		L.SetGlobal(name, ud)
	}
	err := L.DoString(`
		local k = "si" .. "ze"
		assert(a:self() == a and b:self() == b, "method from the __index table")
		assert(a.size == "a.size" and b.size == "b.size", "field from __fields")
		assert(a[k] == "a.size" and b[1] == "b.1", "field from __fields, key in a register")
		assert(p.size == true and p[k] == true, "the __index table's own __index gets the table")`)
	if err != nil {
		t.Fatal(err)
	}
	if err := L.DoString(`function f() local a = a; for i = 1, 1000 do a:self() end end`); err != nil {
		t.Fatal(err)
	}
	f := L.GetGlobal("f")
	allocs := testing.AllocsPerRun(5, func() {
		if err := L.CallByParam(P{Fn: f, NRet: 0, Protect: true}); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1000*0.1 {
		t.Errorf("%.0f allocations for 1000 method calls, want none", allocs)
	}
}
