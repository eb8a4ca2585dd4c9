package testrun

// The modules netlua links (cmd/netlua/modules.go), so that this
// package's tests see the registry the binary has.
import (
	_ "github.com/netlua/netlua/luabind/filter"
	_ "github.com/netlua/netlua/luabind/frame"
	_ "github.com/netlua/netlua/luabind/lab"
	_ "github.com/netlua/netlua/luabind/loop"
	_ "github.com/netlua/netlua/luabind/netlink"
	_ "github.com/netlua/netlua/luabind/nfqueue"
	_ "github.com/netlua/netlua/luabind/nft"
	_ "github.com/netlua/netlua/luabind/packet"
	_ "github.com/netlua/netlua/luabind/pcap"
	_ "github.com/netlua/netlua/luabind/rawip"
	_ "github.com/netlua/netlua/stdlib"
)
