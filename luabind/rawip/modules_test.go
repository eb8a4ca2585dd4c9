package rawip

import (
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/loop"
	"github.com/netlua/netlua/luabind/pcap"
)

// luaModules returns the modules the runtimes of this package's tests are
// made with (see luabind.New): the module under test and those its tests
// require.
func luaModules() []*luabind.Module {
	return []*luabind.Module{
		Module(),
		frame.Module(),
		lab.Module(),
		loop.Module(),
		pcap.Module(),
	}
}
