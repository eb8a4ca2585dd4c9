package netlink

import (
	"net"
	"net/netip"

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
