package stdlib_test

import (
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/loop"
	"github.com/netlua/netlua/stdlib"
)

// luaModules returns the modules the runtimes of this package's tests are
// made with (see luabind.New): the module under test and those its tests
// require.
func luaModules() []*luabind.Module {
	mods := []*luabind.Module{
		frame.Module(), // t:expect parses frames
		loop.Module(),  // and reads the clock (now)
	}
	return append(mods, stdlib.Modules()...)
}
