package luabind_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
	"github.com/netlua/netlua/stdlib"
)

// Runtimes on many goroutines made from the same modules share the chunk
// of a module written in Lua, compiled by whichever requires it first: run
// with -race, this checks that the sharing is safe, and each prints what a
// runtime made from modules of its own prints.
func TestLuaModulesSharedByConcurrentRuntimes(t *testing.T) {
	const code = `print(require("pp").format({ 1, "a", { b = true } }))`
	want := testlab.MustLua(t, code, stdlib.Modules()...)
	mods := stdlib.Modules()
	var wg sync.WaitGroup
	outs := make([]string, 8)
	for i := range outs {
		wg.Go(func() {
			out, err := testlab.RunLua(t, code, mods...)
			if err != nil {
				t.Error(err)
			}
			outs[i] = out
		})
	}
	wg.Wait()
	for i, out := range outs {
		if out != want {
			t.Errorf("runtime %d printed %q, want %q", i, out, want)
		}
	}
}

// A runtime has only the modules it is given: one made without pp cannot
// require it, and its Set does not list it.
func TestRuntimeHasOnlyItsModules(t *testing.T) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	if _, ok := rt.Modules().Lookup("pp"); ok {
		t.Error("a runtime made without pp lists it")
	}
	if err := rt.L.DoString(`require "pp"`); err == nil || !strings.Contains(err.Error(), "module pp not found") {
		t.Errorf("require of a module not given: %v, want module pp not found", err)
	}
}

// Two modules of one name are a programming error that NewSet reports at
// once, as Register did.
func TestSetRejectsTwoModulesOfOneName(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), `module "twice" given twice`) {
			t.Errorf("NewSet with a name twice: recovered %v", r)
		}
	}()
	luabind.NewSet(&luabind.Module{Name: "twice", Doc: "one"}, &luabind.Module{Name: "twice", Doc: "two"})
}
