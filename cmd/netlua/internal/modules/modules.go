// Package modules lists the Lua modules the netlua binary links: the one
// place a module is added to the command.
package modules

import (
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/loop"
	"github.com/netlua/netlua/luabind/netlink"
	"github.com/netlua/netlua/luabind/nfqueue"
	"github.com/netlua/netlua/luabind/nft"
	"github.com/netlua/netlua/luabind/packet"
	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/proc"
	"github.com/netlua/netlua/luabind/rawip"
	"github.com/netlua/netlua/luabind/sock"
	"github.com/netlua/netlua/stdlib"
)

// All returns the Lua modules linked into netlua, fresh values: the one
// list of them. require loads each on first use. A command makes it once
// and builds every runtime it runs from that list, so that the modules
// written in Lua are compiled once (see luabind.New). The test binary
// (-tags netluatest) adds its module of test hooks (testModules).
func All() []*luabind.Module {
	mods := []*luabind.Module{
		filter.Module(),
		frame.Module(),
		lab.Module(),
		loop.Module(),
		netlink.Module(),
		nfqueue.Module(),
		nft.Module(),
		packet.Module(),
		pcap.Module(),
		proc.Module(),
		rawip.Module(),
		sock.Module(),
	}
	mods = append(mods, stdlib.Modules()...)
	return append(mods, testModules()...)
}
