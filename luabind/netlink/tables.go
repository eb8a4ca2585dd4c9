package netlink

import (
	"net"
	"net/netip"

	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

// A table fills a Lua table, leaving out empty values so that scripts
// test fields against nil.
type table struct{ t *lua.LTable }

func newTable(L *lua.LState) table { return table{L.CreateTable(0, 16)} }

func (t table) set(k string, v lua.LValue) { t.t.RawSetString(k, v) }

func (t table) str(k, v string) {
	if v != "" {
		t.set(k, lua.LString(v))
	}
}

func (t table) num(k string, v int) { t.set(k, lua.LNumber(v)) }

// optNum sets k to v unless v is 0.
func (t table) optNum(k string, v int) {
	if v != 0 {
		t.num(k, v)
	}
}

func (t table) flag(k string, v bool) { t.set(k, lua.LBool(v)) }

func (t table) ip(k string, a netip.Addr) {
	if a.IsValid() {
		t.set(k, lua.LString(a.String()))
	}
}

func (t table) mac(k string, m net.HardwareAddr) {
	if len(m) > 0 {
		t.set(k, lua.LString(m.String()))
	}
}

// eventTable converts an event for its callback.
func eventTable(L *lua.LState, ev *Event) *lua.LTable {
	t := newTable(L)
	t.str("type", ev.Type)
	switch ev.Type {
	case TypeOverrun:
		t.flag("lost", true)
		return t.t
	case TypeResynced:
		t.num("count", ev.Count)
		return t.t
	}
	t.str("kind", ev.Kind)
	t.str("action", ev.Action)
	t.num("seq", int(ev.Seq))
	t.num("pid", int(ev.PID))
	if ev.Resync {
		t.flag("resync", true)
	}
	if ev.Err != nil {
		t.str("error", ev.Err.Error())
	}
	switch {
	case ev.Link != nil:
		t.num("ifindex", ev.Link.Index)
		t.str("ifname", ev.Link.Name)
		t.str("linkkind", ev.Link.Kind)
		t.linkFields(ev.Link)
	case ev.Addr != nil:
		t.addrFields(ev.Addr)
	case ev.Route != nil:
		t.routeFields(L, ev.Route)
	case ev.Neigh != nil:
		t.neighFields(ev.Neigh)
	}
	return t.t
}

// linkTable converts a link as nl.link returns it, with its addresses.
func linkTable(L *lua.LState, l *Link, addrs []*Addr) *lua.LTable {
	t := newTable(L)
	t.str("name", l.Name)
	t.num("index", l.Index)
	t.str("kind", l.Kind)
	t.linkFields(l)
	list := L.CreateTable(len(addrs), 0)
	for _, a := range addrs {
		if a.Index == l.Index {
			list.Append(lua.LString(a.Prefix.String()))
		}
	}
	t.set("addrs", list)
	return t.t
}

// linkFields sets what links and link events share.
func (t table) linkFields(l *Link) {
	t.mac("mac", l.MAC)
	t.num("mtu", l.MTU)
	t.flag("up", l.Up())
	t.flag("running", l.Running())
	t.str("operstate", l.OperState)
	t.optNum("master", l.Master)
}

func (t table) addrFields(a *Addr) {
	t.num("family", a.Family())
	t.num("ifindex", a.Index)
	t.str("ifname", a.Ifname)
	t.str("addr", a.Prefix.String())
	t.str("scope", scopes.name(uint32(a.Scope)))
	t.str("label", a.Label)
	t.ip("broadcast", a.Broadcast)
}

func (t table) routeFields(L *lua.LState, r *Route) {
	t.num("family", r.Family)
	t.str("dst", dstString(r.Dst))
	t.ip("gateway", r.Gateway)
	t.ip("src", r.Src)
	t.optNum("ifindex", r.Index)
	t.str("ifname", r.Ifname)
	t.num("table", int(r.Table))
	t.str("proto", protocols.name(uint32(r.Proto)))
	t.str("scope", scopes.name(uint32(r.Scope)))
	t.str("rtype", routeTypes.name(uint32(r.Type)))
	t.num("metric", int(r.Metric))
	t.optNum("tos", int(r.Tos))
	if len(r.Nexthops) > 0 {
		t.set("nexthops", nexthopsTable(L, r.Nexthops))
	}
}

func nexthopsTable(L *lua.LState, nhs []Nexthop) *lua.LTable {
	list := L.CreateTable(len(nhs), 0)
	for _, nh := range nhs {
		t := newTable(L)
		t.ip("gateway", nh.Gateway)
		t.optNum("ifindex", nh.Index)
		t.str("ifname", nh.Ifname)
		t.num("weight", nh.Weight)
		list.Append(t.t)
	}
	return list
}

func (t table) neighFields(n *Neigh) {
	t.num("family", n.Family)
	t.num("ifindex", n.Index)
	t.str("ifname", n.Ifname)
	t.ip("dst", n.Dst)
	t.mac("mac", n.MAC)
	t.str("state", neighState(n.State))
	t.flag("router", n.Router())
}

// list converts objs with fill into an array of tables.
func list[T any](L *lua.LState, objs []T, fill func(t table, o T)) *lua.LTable {
	arr := L.CreateTable(len(objs), 0)
	for _, o := range objs {
		t := newTable(L)
		fill(t, o)
		arr.Append(t.t)
	}
	return arr
}

// The tables the module returns, documented as types so that netlua doc
// and the editor stubs describe their fields. They have no methods.
var (
	eventDoc = &luabind.Type{
		Name: "netlink.event",
		Doc:  "what a watcher's callback gets: the fields of a link, addr, route or neigh table, and these",
		Fields: []luabind.Field{
			{Name: "type", Type: "string", Doc: "RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE, RTM_NEWNEIGH, RTM_DELNEIGH; or overrun, resynced"},
			{Name: "kind", Type: "string", Doc: "link, addr, route or neigh"},
			{Name: "action", Type: "string", Doc: "new or del"},
			{Name: "seq", Type: "integer", Doc: "sequence number of the request that caused it (0 if none)"},
			{Name: "pid", Type: "integer", Doc: "netlink port of the process that caused it (0: the kernel)"},
			{Name: "resync", Type: "boolean", Doc: "true on state delivered after an overrun, or on routes the kernel removed silently (resync_on_link_down)"},
			{Name: "lost", Type: "boolean", Doc: "overrun only: true; the kernel dropped events, and the events still waiting for the callback are dropped too: forget what you knew; the state follows marked resync, then a resynced event (or another overrun first)"},
			{Name: "count", Type: "integer", Doc: "resynced only: how many resync events came before it"},
			{Name: "linkkind", Type: "string", Doc: "link events: the link's kind (veth, bridge, ...), nil for a plain device"},
			{Name: "error", Type: "string", Doc: "set when the kernel's message did not decode"},
		},
	}
	linkDoc = &luabind.Type{
		Name: "netlink.link",
		Doc:  "an interface, from links and link (link events have ifname, ifindex and linkkind instead of name, index and kind)",
		Fields: []luabind.Field{
			{Name: "name", Type: "string", Doc: "veth0"},
			{Name: "index", Type: "integer", Doc: "the interface index"},
			{Name: "mac", Type: "string", Doc: "02:00:c6:12:00:01; nil for links without one"},
			{Name: "mtu", Type: "integer", Doc: "1500"},
			{Name: "up", Type: "boolean", Doc: "administratively up (IFF_UP)"},
			{Name: "running", Type: "boolean", Doc: "up and with a carrier (IFF_RUNNING)"},
			{Name: "operstate", Type: "string", Doc: "UP, DOWN, LOWERLAYERDOWN, UNKNOWN, ... as ip prints it"},
			{Name: "kind", Type: "string", Doc: "veth, bridge, ...; nil for a plain device"},
			{Name: "master", Type: "integer", Doc: "index of its bridge or bond, nil if none"},
			{Name: "addrs", Type: "table", Doc: "its addresses as CIDR strings: { \"198.18.0.1/24\", ... }"},
		},
	}
	addrDoc = &luabind.Type{
		Name: "netlink.addr",
		Doc:  "an IP address of an interface, from addrs and addr events",
		Fields: []luabind.Field{
			{Name: "addr", Type: "string", Doc: "address and prefix length: 198.18.0.1/24"},
			{Name: "family", Type: "integer", Doc: "4 or 6"},
			{Name: "ifname", Type: "string", Doc: "the interface's name"},
			{Name: "ifindex", Type: "integer", Doc: "the interface's index"},
			{Name: "scope", Type: "string", Doc: "global, site, link or host"},
			{Name: "label", Type: "string", Doc: "IPv4: the label (the interface's name, or name:alias)"},
			{Name: "broadcast", Type: "string", Doc: "IPv4: the broadcast address, if any"},
		},
	}
	routeDoc = &luabind.Type{
		Name: "netlink.route",
		Doc:  "a route, from routes and route events",
		Fields: []luabind.Field{
			{Name: "dst", Type: "string", Doc: "198.18.1.0/24, or default"},
			{Name: "family", Type: "integer", Doc: "4 or 6"},
			{Name: "gateway", Type: "string", Doc: "the next hop (via), nil if none"},
			{Name: "ifname", Type: "string", Doc: "the output interface (dev), nil if none"},
			{Name: "ifindex", Type: "integer", Doc: "its index, nil if none"},
			{Name: "src", Type: "string", Doc: "the preferred source address, nil if none"},
			{Name: "table", Type: "integer", Doc: "254 is main, 255 local"},
			{Name: "proto", Type: "string", Doc: "who installed it: kernel, boot, static, dhcp, ra, ... (a number if unnamed)"},
			{Name: "scope", Type: "string", Doc: "global, link, host, ..."},
			{Name: "rtype", Type: "string", Doc: "unicast, local, broadcast, blackhole, unreachable, prohibit, ..."},
			{Name: "metric", Type: "integer", Doc: "the route's priority"},
			{Name: "tos", Type: "integer", Doc: "the TOS it applies to, nil for any"},
			{Name: "nexthops", Type: "table", Doc: "multipath routes: { { gateway, ifname, ifindex, weight }, ... }"},
		},
	}
	neighDoc = &luabind.Type{
		Name: "netlink.neigh",
		Doc:  "a neighbour (ARP or NDP) cache entry, from neighbors and neigh events",
		Fields: []luabind.Field{
			{Name: "dst", Type: "string", Doc: "the neighbour's IP address"},
			{Name: "mac", Type: "string", Doc: "its link-layer address, nil until resolved"},
			{Name: "family", Type: "integer", Doc: "4 or 6; in neigh events also 0, a bridge's forwarding database entry (no dst, ifname the port: fdb lists them)"},
			{Name: "ifname", Type: "string", Doc: "the interface"},
			{Name: "ifindex", Type: "integer", Doc: "its index"},
			{Name: "state", Type: "string", Doc: "REACHABLE, STALE, DELAY, PROBE, FAILED, INCOMPLETE, NOARP, PERMANENT, NONE"},
			{Name: "router", Type: "boolean", Doc: "IPv6: the neighbour is a router"},
		},
	}
)
