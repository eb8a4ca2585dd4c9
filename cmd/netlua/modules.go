package main

// The Lua modules linked into netlua. Each registers itself with luabind
// from its init function; require loads it on first use.
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
