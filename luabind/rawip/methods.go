package rawip

import (
	"net/netip"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

var methods = []luabind.Func{
	{Name: "sendto", Sig: "socket:sendto(bytes, addr) -> n, ts", Fn: sendto,
		Types: luabind.Types{"bytes": "string", "addr": "string", "n": "integer", "ts": "number"},
		Doc:   "sends one packet to addr (the IP payload; the whole IPv4 packet with hdrincl); returns the bytes sent and the time just before, in seconds"},
	{Name: "recv", Sig: "socket:recv([timeout]) -> bytes, info | nil", Fn: recv,
		Types: luabind.Types{"timeout": "number", "bytes": "string", "info": "{ src: string, ts: number, ttl?: integer, hlim?: integer, len: integer }"},
		Doc:   "the next packet (IPv4: from its IP header; IPv6: from the protocol's header) and info = { src, ts, ttl, hlim (IPv6), len }; nil after timeout seconds"},
	{Name: "on", Sig: "socket:on(fn)", Fn: on,
		Types: luabind.Types{"fn": "function"},
		Doc:   "calls fn(bytes, info) for each packet, through the event loop, until close(); a second call replaces fn"},
	{Name: "close", Sig: "socket:close()", Fn: closeSocket,
		Doc: "closes the socket and ends on(); safe to call twice"},
}

func sendto(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	data := luabind.CheckString(L, 2)
	to := s.destination(L, 3)
	ts := time.Now()
	n, err := s.SendTo(s.Context(), sock.Bytes(data), to)
	if err != nil {
		s.RaiseOn(L, "sendto", s.dst.str, err)
	}
	L.Push(s.sent.Value(n))
	L.Push(sockbind.Seconds(ts))
	return 2
}

// destination returns argument n as an address, parsing a string only
// when it differs from the last one.
func (s *socket) destination(L *lua.LState, n int) netip.Addr {
	str := luabind.CheckString(L, n)
	if str != s.dst.str || !s.dst.addr.IsValid() {
		a, err := netip.ParseAddr(str)
		if err != nil {
			luabind.ArgError(L, n, "\""+str+"\" is not an IP address (rawip.resolve looks names up)")
		}
		s.dst.str, s.dst.addr = str, a
	}
	return s.dst.addr
}

func recv(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	return sockbind.Recv(L, &s.Handle, s.Recv, s.infoTable)
}

// infoTable is info as scripts see it.
func (s *socket) infoTable(L *lua.LState, info *Info) *lua.LTable {
	t := L.CreateTable(0, 5)
	if s.src.v == nil || s.src.addr != info.Src {
		s.src.addr, s.src.v = info.Src, lua.LString(info.Src.String())
	}
	t.RawSetString("src", s.src.v)
	t.RawSetString("ts", sockbind.Seconds(info.TS))
	if info.TTL >= 0 {
		t.RawSetString("ttl", s.ttl.Value(info.TTL))
		if s.Family() == 6 {
			t.RawSetString("hlim", s.ttl.Value(info.TTL))
		}
	}
	t.RawSetString("len", s.length.Value(info.Len))
	return t
}

func on(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	return sockbind.On(L, &s.Handle, s.Recv, s.infoTable)
}

func closeSocket(L *lua.LState) int {
	return luabind.CheckObject[*socket](L, 1, socketType).CloseMethod(L)
}
