package rawip

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/sniff"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// sniffMethod is socket:sniff, Scapy's sniff (see package sniff).
var sniffMethod = luabind.Func{Name: "sniff", Sig: "socket:" + sniff.Sig, Fn: socketSniff, Types: sniff.Types,
	Doc: sniff.Doc + "; info as recv's; IPv4 packets are decoded from their IP header (frame.parse's first = \"ip\"), " +
		"IPv6 ones, which the kernel hands without it, from the protocol's (icmp6, udp, tcp), where filter cannot run"}

func socketSniff(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	src := &sniff.Source[Info]{Recv: s.Recv, Info: s.infoTable, Len: func(i *Info) int { return i.Len },
		First: sniff.FromIP[Info], Link: sniff.IP}
	if s.Family() == 6 {
		first := v6First(s.Proto())
		src.First = func([]byte, *Info) *frame.Proto { return first }
		src.Link, src.Why = sniff.None, "an IPv6 raw socket receives packets without their IPv6 header, which a filter tests"
	}
	return sockbind.Sniff(L, &s.Handle, src)
}

// v6First is the layer an IPv6 raw socket's packets of protocol proto
// start with: the protocol's own header, the kernel having taken the
// IPv6 header off; nil (all payload) for a protocol frame does not know
// by number here.
func v6First(proto int) *frame.Proto {
	switch proto {
	case 58:
		return frame.ICMPv6
	case 17:
		return frame.UDP
	case 6:
		return frame.TCP
	}
	return nil
}
