package packet

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/sniff"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// sniffMethod is socket:sniff, Scapy's sniff (see package sniff).
var sniffMethod = luabind.Func{Name: "sniff", Sig: "socket:" + sniff.Sig, Fn: socketSniff, Types: sniff.Types,
	Doc: sniff.Doc + "; info as recv's, ts the kernel's timestamp"}

func socketSniff(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	src := &sniff.Source[Info]{Recv: s.Recv, Info: s.infoTable, Len: func(i *Info) int { return i.Len },
		First: func([]byte, *Info) *frame.Proto { return frame.Ether }, Link: sniff.Ethernet}
	if s.header == 0 { // tun and the like: frames start at the IP header
		src.First, src.Link = sniff.FromIP[Info], sniff.IP
	}
	return sockbind.Sniff(L, &s.Handle, src)
}
