package lab

import (
	"net/netip"

	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

// init gives the end type its methods (a host's, acting on the end's
// host) and field getter, which refer back to the type and so cannot sit
// in its declaration.
func init() {
	endType.Methods = append(hostMethods("end"), luabind.Func{Name: "shape", Sig: "end:shape([opts]) -> mechanisms", Fn: shapeMethod[*End](endType, "end.shape"),
		Types: luabind.Types{"opts": "table", "mechanisms": "table"},
		Doc:   "shapes the end's egress only (what its host sends by it), replacing the shape it had; nil or {} removes it; " + shapeDoc},
		offloadDoc)
	endType.Get = getEnd
}

var endType = &luabind.Type{
	Name: "lab.end",
	Doc:  "one side of a lab link: a veth inside a host; pass it as netns to other modules",
	Fields: []luabind.Field{
		{Name: "name", Type: "string", Doc: "the name of its host: a, b, r1"},
		{Name: "ifname", Type: "string", Doc: "the interface inside the host: veth0"},
		{Name: "mac", Type: "string", Doc: "its locally administered MAC: 02:00:c6:12:00:01"},
		{Name: "ip", Type: "string", Doc: "its IPv4 address: 198.18.0.1 (nil on a switch's port)"},
		{Name: "prefix", Type: "integer", Doc: "the prefix length of its subnet: 24 (nil on a switch's port)"},
		{Name: "cidr", Type: "string", Doc: "address and prefix: 198.18.0.1/24 (nil on a switch's port)"},
		{Name: "ip6", Type: "string", Doc: "its IPv6 address: 2001:2::1 (nil on a switch's port or without IPv6)"},
		{Name: "cidr6", Type: "string", Doc: "IPv6 address and prefix: 2001:2::1/64 (nil on a switch's port or without IPv6)"},
		{Name: "ifindex", Type: "integer", Doc: "the interface index inside the host"},
		{Name: "host", Type: "lab.host", Doc: "the host it belongs to"},
		{Name: "peer", Type: "lab.end", Doc: "the other side of the link"},
		{Name: "netns", Type: "string", Doc: "its host's name under /run/netns, or nil unless pinned"},
		{Name: "link", Type: "lab.link", Doc: "the link it is one end of"},
		{Name: "shaping", Type: "table", Doc: "the mechanisms shaping its egress now, as end:shape returned them"},
	},
}

// getEnd serves the fields of a link end.
func getEnd(L *lua.LState, v any, key string) lua.LValue {
	e := v.(*End)
	switch key {
	case "name":
		return lua.LString(e.Host.Name())
	case "ifname":
		return lua.LString(e.Ifname)
	case "mac":
		return lua.LString(e.MAC.String())
	case "ip", "prefix", "cidr":
		return getAddr(e.Addr, key)
	case "ip6":
		return getAddr(e.Addr6, "ip")
	case "cidr6":
		return getAddr(e.Addr6, "cidr")
	case "ifindex":
		return lua.LNumber(e.Ifindex)
	case "host":
		return object(L, e.Host)
	case "peer":
		return object(L, e.Peer)
	case "netns":
		return optString(e.Host.Pinned())
	case "link":
		return object(L, e.Link())
	case "shaping":
		_, m := e.Shaping()
		return mechanismsTable(L, m)
	}
	return lua.LNil
}

// getAddr serves an end's ip, prefix or cidr: nil for a switch's port,
// which has no address.
func getAddr(p netip.Prefix, key string) lua.LValue {
	switch {
	case !p.IsValid():
		return lua.LNil
	case key == "ip":
		return lua.LString(p.Addr().String())
	case key == "prefix":
		return lua.LNumber(p.Bits())
	}
	return lua.LString(p.String())
}
