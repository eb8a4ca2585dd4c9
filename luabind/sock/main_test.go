package sock

import (
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/loop"
	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }

// luaModules returns the modules the runtimes of this package's tests are
// made with: the module under test and those its tests require.
func luaModules() []*luabind.Module {
	return []*luabind.Module{Module(), lab.Module(), loop.Module()}
}

// setGlobals returns a runtime setup that sets the string globals of g.
func setGlobals(g map[string]string) func(rt *luabind.Runtime) {
	return func(rt *luabind.Runtime) {
		for k, v := range g {
			rt.L.SetGlobal(k, lua.LString(v))
		}
	}
}

// pairLua runs code with a fresh lab pair's namespaces as A and B (paths)
// and their addresses as AIP, BIP (IPv4) and AIP6, BIP6, and returns what
// it printed; a Lua error fails the test.
func pairLua(t *testing.T, code string) string {
	t.Helper()
	out, err := pairLuaErr(t, code)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return out
}

// pairLuaErr is pairLua returning the Lua error.
func pairLuaErr(t *testing.T, code string) (string, error) {
	t.Helper()
	a, b := labtest.Pair(t)
	return pairRun(t, a, b, code, nil)
}

// pairRun runs code as pairLua does, in the pair a, b, with more Go
// functions as globals.
func pairRun(t *testing.T, a, b *lab.End, code string, funcs map[string]lua.LGFunction) (string, error) {
	t.Helper()
	strs := setGlobals(map[string]string{
		"A": labtest.NSPath(a), "B": labtest.NSPath(b),
		"AIP": a.Addr.Addr().String(), "BIP": b.Addr.Addr().String(),
		"AIP6": a.Addr6.Addr().String(), "BIP6": b.Addr6.Addr().String(),
	})
	return testlab.RunLuaWith(t, code, func(rt *luabind.Runtime) {
		strs(rt)
		for name, fn := range funcs {
			rt.L.SetGlobal(name, rt.L.NewFunction(fn))
		}
	}, luaModules()...)
}
