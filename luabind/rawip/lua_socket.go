package rawip

import (
	"net/netip"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// rawip.socket: its type, its fields and its methods (see lua.go for the
// module).

func init() {
	socketType.Methods = append(socketMethods, srMethods...)
}

var socketType = &luabind.Type{
	Name: "rawip.socket",
	Doc:  "a raw IP socket; closed when the script ends",
	Fields: []luabind.Field{
		{Name: "family", Type: "integer", Doc: "4 or 6"},
		{Name: "proto", Type: "integer", Doc: "the IP protocol number: 1 for ICMP"},
		{Name: "hdrincl", Type: "boolean", Doc: "whether sendto takes whole IPv4 packets, header first"},
		{Name: "device", Type: "string", Doc: "the interface it is bound to, or nil"},
		{Name: "closed", Type: "boolean", Doc: "true after close()"},
	},
	Get: get,
}

// socket is a Socket as Lua holds it.
type socket struct {
	*Socket
	sockbind.Handle
	sent sockbind.Numbers
	dst  struct { // the last destination string and what it parsed to
		str  string
		addr netip.Addr
	}
	src struct { // the last source address and its Lua string
		addr netip.Addr
		v    lua.LValue
	}
	ttl, length sockbind.Numbers
}

// String describes the socket for tostring.
func (s *socket) String() string { return s.Socket.String() }

// get serves the socket's fields (sockbind.Handle.Field).
func get(L *lua.LState, v any, key string) lua.LValue { return v.(*socket).Field(key) }

// field computes the field key of the socket.
func (s *socket) field(key string) lua.LValue {
	switch key {
	case "family":
		return lua.LNumber(s.Family())
	case "proto":
		return lua.LNumber(s.Proto())
	case "hdrincl":
		return lua.LBool(s.HdrIncl())
	case "device":
		if s.Device() == "" {
			return lua.LNil
		}
		return lua.LString(s.Device())
	}
	return lua.LNil
}

var socketMethods = []luabind.Func{
	{Name: "sendto", Sig: "socket:sendto(bytes | layers, addr) -> n, ts", Fn: socketSendto,
		Types: luabind.Types{"bytes": "string", "layers": "frame.layer[]|frame.layer|frame.packet", "addr": "string", "n": "integer", "ts": "number"},
		Doc: "sends one packet to addr (the IP payload; the whole IPv4 packet with hdrincl); returns the bytes sent and the time just before, in seconds. " +
			"Bytes go as given; layers are built with an IP layer's dst left unset set to addr and its src left unset the source the route to addr picks (f.build alone keeps the fixed defaults)"},
	{Name: "recv", Sig: "socket:recv([timeout]) -> bytes, info | nil", Fn: socketRecv,
		Types: luabind.Types{"timeout": "number", "bytes": "string", "info": "{ src: string, ts: number, ttl?: integer, hlim?: integer, len: integer }"},
		Doc:   "the next packet (IPv4: from its IP header; IPv6: from the protocol's header) and info = { src, ts, ttl, hlim (IPv6), len }; nil after timeout seconds"},
	{Name: "on", Sig: "socket:on(fn)", Fn: socketOn,
		Types: luabind.Types{"fn": "function"},
		Doc:   "calls fn(bytes, info) for each packet, through the event loop, until close(); a second call replaces fn"},
	sniffMethod,
	{Name: "close", Sig: "socket:close()", Fn: socketClose,
		Doc: "closes the socket and ends on(); safe to call twice"},
}

func socketSendto(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	to := s.destination(L, 3)
	data := s.sendBytes(L, to)
	ts := time.Now()
	n, err := s.SendTo(s.Context(), data, to)
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

func socketRecv(L *lua.LState) int {
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

func socketOn(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	return sockbind.On(L, &s.Handle, s.Recv, s.infoTable)
}

func socketClose(L *lua.LState) int {
	return luabind.CheckObject[*socket](L, 1, socketType).CloseMethod(L)
}
