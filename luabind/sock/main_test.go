package sock

import (
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab"
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
