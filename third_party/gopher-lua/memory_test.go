package lua

import (
	"runtime"
	"strings"
	"testing"
)

// Tests of netlua patch 20 (PATCHES.md): the memory guard.

func TestTrippedGuardIsANotEnoughMemoryError(t *testing.T) {
	L := NewState()
	defer L.Close()
	L.SetGlobal("trip", L.NewFunction(func(L *LState) int {
		L.MemoryGuard().Exceeded()
		return 0
	}))
	// As PUC Lua's LUA_ERRMEM: the message alone, caught by pcall, and the
	// state goes on.
	got := doLua(t, L, `(function() local ok, err = pcall(function() trip() local x = 1 return x end) return tostring(ok) .. " " .. err .. " " .. 1 + 1 end)()`)
	if got != "false not enough memory 2" {
		t.Errorf("got %q", got)
	}
}

func TestGuardRefusesLargeAllocations(t *testing.T) {
	L := NewState()
	defer L.Close()
	reclaimed := 0
	g := L.MemoryGuard()
	g.SetRoom(1000)
	g.SetReclaim(func() { reclaimed++ })
	for _, code := range []string{
		`string.rep("x", 2000)`,
		`string.rep("abc", 2^62)`,
		`table.concat({string.rep("x", 600), string.rep("y", 600)})`,
		`string.rep("x", 600) .. string.rep("y", 600)`,
		`(string.gsub(string.rep("x", 100), "x", "yyyyyyyyyyyyyyy"))`,
	} {
		if got := doLua(t, L, "pcall(function() return "+code+" end)"); got != "false not enough memory" {
			t.Errorf("%s: got %q", code, got)
		}
	}
	if reclaimed == 0 {
		t.Error("no builtin asked the embedder to reclaim memory before refusing")
	}
	// What fits is allowed, and gsub keeps its results.
	got := doLua(t, L, `string.gsub(string.rep("ab", 300), "b", "c")`)
	if got != strings.Repeat("ac", 300)+" 300" {
		t.Errorf("gsub: got %q", got)
	}
}

// TestGsubCopiesItsResultOnce is netlua patch 21: gsub copied the whole
// string for every match, O(n²) bytes (15 s for 100,000 matches).
func TestGsubCopiesItsResultOnce(t *testing.T) {
	L := NewState()
	defer L.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := doLua(t, L, `#string.gsub(string.rep("a", 20000), "a", "bb")`)
	runtime.ReadMemStats(&after)
	if got != "40000" {
		t.Errorf("got %q", got)
	}
	// 20,000 matches over a 20-40 kB string: quadratic is about 1.2 GB.
	if n := after.TotalAlloc - before.TotalAlloc; n > 50<<20 {
		t.Errorf("gsub allocated %d MB", n>>20)
	}
}
