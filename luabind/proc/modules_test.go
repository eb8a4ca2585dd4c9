package proc_test

import (
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/loop"
	"github.com/netlua/netlua/luabind/proc"
)

// luaModules returns the modules the runtimes of this package's tests are
// made with (see luabind.New): the module under test and those its tests
// require.
func luaModules() []*luabind.Module {
	return []*luabind.Module{
		proc.Module(),
		loop.Module(),
	}
}
