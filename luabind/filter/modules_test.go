package filter_test

import (
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/pcap"
)

// luaModules returns the modules the runtimes of this package's tests are
// made with (see luabind.New): the module under test and those its tests
// require.
func luaModules() []*luabind.Module {
	return []*luabind.Module{
		filter.Module(),
		pcap.Module(),
	}
}
