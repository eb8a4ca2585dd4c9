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
