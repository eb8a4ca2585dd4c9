package lua

import (
	"strings"
	"testing"
)

// Tests of netlua patch 19 (PATCHES.md): the stacks of a state sized
// for scripts, and the errors past their limits. The expected results are
// lua5.1's.

// sizedState is a state configured as netlua's runtime configures it, but
// with small limits.
func sizedState(calls, slots int) *LState {
	return NewState(Options{CallStackSize: calls, MinimizeStackMemory: true, RegistrySize: 128, RegistryMaxSize: slots})
}

func doLua(t *testing.T, L *LState, code string) string {
	t.Helper()
	if err := L.DoString("return " + code); err != nil {
		return "error: " + err.Error()
	}
	var out []string
	for i := 1; i <= L.GetTop(); i++ {
		out = append(out, L.Get(i).String())
	}
	L.SetTop(0)
	return strings.Join(out, " ")
}

func TestCaughtOverflowKeepsTheCallStack(t *testing.T) {
	// A caught overflow unwound to a multiple of the segment size: the
	// growing stack lost a segment of frames and pcall returned garbage.
	for _, calls := range []int{9, 16, 24, 100} {
		L := sizedState(calls, 100000)
		got := doLua(t, L, `(function() local function f() pcall(f) return "x" end return pcall(f) end)()`)
		if got != "true x" {
			t.Errorf("%d calls: got %q, want %q", calls, got, "true x")
		}
		L.Close()
	}
}

func TestDeepRecursionIsAStackOverflowError(t *testing.T) {
	L := sizedState(200, 100000)
	defer L.Close()
	// The growing stack was never full: Push panicked with a Go string.
	got := doLua(t, L, `pcall(function() local function f() return 1 + f() end return f() end)`)
	if got != "false <string>:1: stack overflow" {
		t.Errorf("got %q", got)
	}
	// A frame whose registers do not fit is its caller's error (where()
	// indexed the positions of a function that had not started with -1).
	L2 := sizedState(200, 2000)
	defer L2.Close()
	got = doLua(t, L2, `pcall(function() local function r(...) return r(1, ...) end return r() end)`)
	if got != "false <string>:1: stack overflow" {
		t.Errorf("got %q", got)
	}
}

func TestLongTablesFitTheStack(t *testing.T) {
	L := sizedState(200, 1000)
	defer L.Close()
	// table.concat pushed every item on the stack: 3,000 overflowed it.
	got := doLua(t, L, `(function() local t = {} for i = 1, 100000 do t[i] = "x" end return #table.concat(t, ",") end)()`)
	if got != "199999" {
		t.Errorf("table.concat: got %q", got)
	}
	got = doLua(t, L, `pcall(unpack, (function() local t = {} for i = 1, 5000 do t[i] = i end return t end)())`)
	if !strings.HasPrefix(got, "false ") || !strings.HasSuffix(got, "too many results to unpack") {
		t.Errorf("unpack: got %q", got)
	}
}
