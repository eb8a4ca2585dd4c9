package netlink

import (
	"fmt"
	"net/netip"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/netns"
	lua "github.com/yuin/gopher-lua"
)

// Module returns the Lua module "netlink", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name:  "netlink",
		Doc:   "rtnetlink: watch link, address, route and neighbour events; query and change them, like ip",
		Funcs: funcs,
		Types: []*luabind.Type{watcherType, eventDoc, linkDoc, addrDoc, routeDoc, neighDoc, fdbDoc},
	}
}

// routeFieldTypes types the fields of the table add_route and del_route
// take.
var routeFieldTypes = luabind.Types{"dst": "string", "via": "string", "dev": "string", "src": "string", "table": "integer|string", "metric": "integer", "type": "string|integer", "proto": "string|integer", "family": "integer", "undo": "boolean", "netns": luabind.NetNSType}

// funcs are the module's functions, in the order netlua doc lists them.
var funcs = []luabind.Func{
	{Name: "watch", Sig: "watch(groups, fn [, opts]) -> watcher", Fn: watch,
		Types: luabind.Types{"groups": "string[]", "fn": "function", "opts": "table", "watcher": "netlink.watcher"},
		Doc:   "calls fn(event) through the loop for each change in groups (link, addr, addr4, addr6, route, route4, route6, neigh); opts: netns, rcvbuf (bytes, default 4 MiB), backlog (events, default 65536), resync_on_link_down"},
	{Name: "links", Sig: "links([opts]) -> { link, ... }", Fn: links,
		Types: luabind.Types{"opts": "table", "link": "netlink.link"},
		Doc:   "the interfaces in index order, as netlink.link returns them; opts: netns"},
	{Name: "link", Sig: "link(name|index [, opts]) -> link", Fn: link,
		Types: luabind.Types{"name": "string", "index": "integer", "opts": "table", "link": "netlink.link"},
		Doc:   "one interface: { name, index, mac, mtu, up, running, operstate, kind, master, addrs }; opts: netns"},
	{Name: "addrs", Sig: "addrs([name|index] [, opts]) -> { addr, ... }", Fn: addrs,
		Types: luabind.Types{"name": "string", "index": "integer", "opts": "table", "addr": "netlink.addr"},
		Doc:   "IP addresses, of one interface or all: { ifname, ifindex, family, addr, scope, label, broadcast }; opts: family, netns"},
	{Name: "routes", Sig: "routes([opts]) -> { route, ... }", Fn: routes,
		Types: luabind.Types{"opts": "table", "route": "netlink.route"},
		Doc:   "routes of table main, or opts.table (a number, main, local, default or all): { dst, gateway, ifname, table, proto, scope, rtype, metric, ... }; opts: family, table, dev, netns"},
	{Name: "neighbors", Sig: "neighbors([name|index] [, opts]) -> { neigh, ... }", Fn: neighbors,
		Types: luabind.Types{"name": "string", "index": "integer", "opts": "table", "neigh": "netlink.neigh"},
		Doc:   "ARP and NDP cache entries: { ifname, ifindex, family, dst, mac, state, router }; opts: family, netns"},
	fdbFunc,
	{Name: "set_link", Sig: "set_link(name|index, opts)", Fn: setLink,
		Types: luabind.Types{"name": "string", "index": "integer", "opts": "table"},
		Doc:   "changes a link like ip link set, in one request: opts up, mtu, mac, name; undo = true puts it back at exit; netns"},
	{Name: "add_addr", Sig: "add_addr(name|index, cidr [, opts])", Fn: addAddr,
		Types: luabind.Types{"name": "string", "index": "integer", "cidr": "string", "opts": "table"},
		Doc:   "adds an address (IPv4 with its subnet's broadcast); one already there is an error; opts: undo (remove it at exit), netns"},
	{Name: "del_addr", Sig: "del_addr(name|index, cidr [, opts])", Fn: delAddr,
		Types: luabind.Types{"name": "string", "index": "integer", "cidr": "string", "opts": "table"},
		Doc:   "removes an address; opts: undo (put it back at exit), netns"},
	setNeighFunc,
	{Name: "add_route", Sig: "add_route{ dst, via, dev, src, table, metric, type, proto, family, undo, netns }", Fn: addRoute,
		Types: routeFieldTypes,
		Doc:   "adds a route like ip route add (dst may be default; proto defaults to static); undo = true deletes it at exit"},
	{Name: "del_route", Sig: "del_route{ dst, via, dev, src, table, metric, type, proto, family, undo, netns }", Fn: delRoute,
		Types: routeFieldTypes,
		Doc:   "deletes the first route the given fields match, like ip route del; undo = true puts exactly that route back at exit"},
}

// watch implements nl.watch(groups, fn [, opts]).
func watch(L *lua.LState) int {
	const op = "netlink.watch"
	groups := checkGroups(L, 1)
	fn := luabind.CheckFunction(L, 2)
	o := luabind.CheckOptions(L, 3, "netns", "rcvbuf", "backlog", "resync_on_link_down")
	cfg := watchConfig(o, groups)
	cfg.NS = luabind.NetNSOption(o, op)
	lw := &luaWatcher{rt: luabind.RuntimeOf(L), fn: fn}
	cfg.Notify = lw.notify
	w, err := Watch(cfg)
	if err != nil {
		raise(L, op, groups.String(), err)
	}
	L.Push(lw.start(L, w))
	return 1
}

// links implements nl.links([opts]).
func links(L *lua.LState) int {
	const op = "netlink.links"
	c, _ := dial(L, op, luabind.CheckOptions(L, 1, "netns"))
	defer c.Close()
	ls, err := c.Links()
	if err != nil {
		raise(L, op, "", err)
	}
	addrs, err := c.Addrs(Filter{})
	if err != nil {
		raise(L, op, "", err)
	}
	arr := L.CreateTable(len(ls), 0)
	for _, l := range ls {
		arr.Append(linkTable(L, l, addrs))
	}
	L.Push(arr)
	return 1
}

// link implements nl.link(name|index [, opts]).
func link(L *lua.LState) int {
	const op = "netlink.link"
	iface := checkIface(L, 1)
	c, _ := dial(L, op, luabind.CheckOptions(L, 2, "netns"))
	defer c.Close()
	l := findLink(L, op, c, iface)
	addrs, err := c.Addrs(Filter{Index: l.Index})
	if err != nil {
		raise(L, op, l.Name, err)
	}
	L.Push(linkTable(L, l, addrs))
	return 1
}

// addrs implements nl.addrs([name] [, opts]).
func addrs(L *lua.LState) int {
	return ifaceQuery(L, "netlink.addrs", (*Client).Addrs, table.addrFields)
}

// neighbors implements nl.neighbors([name] [, opts]).
func neighbors(L *lua.LState) int {
	return ifaceQuery(L, "netlink.neighbors", (*Client).Neighbors, table.neighFields)
}

// ifaceQuery implements the queries taking ([name|index] [, opts]) with
// the options family and netns: it lists with query what they select and
// returns an array of tables that fill fills.
func ifaceQuery[T any](L *lua.LState, op string, query func(*Client, Filter) ([]T, error), fill func(table, T)) int {
	iface, o := optIfaceAndOptions(L, "family", "netns")
	f := Filter{Family: familyOption(o, "family")}
	c, _ := dial(L, op, o)
	defer c.Close()
	if iface != nil {
		f.Index = findLink(L, op, c, iface).Index
	}
	objs, err := query(c, f)
	if err != nil {
		raise(L, op, "", err)
	}
	L.Push(list(L, objs, fill))
	return 1
}

// routes implements nl.routes([opts]).
func routes(L *lua.LState) int {
	const op = "netlink.routes"
	o := luabind.CheckOptions(L, 1, "family", "table", "dev", "netns")
	f := Filter{Family: familyOption(o, "family"), Table: tableOption(o, 254)}
	c, _ := dial(L, op, o)
	defer c.Close()
	f.Index = devIndex(L, op, c, o)
	rs, err := c.Routes(f)
	if err != nil {
		raise(L, op, "", err)
	}
	L.Push(list(L, rs, func(t table, r *Route) { t.routeFields(L, r) }))
	return 1
}

// undoLater registers fn, run in ns, as the undo of what, when the
// script asked for it (the option undo).
func undoLater(L *lua.LState, want bool, ns *netns.NS, what string, fn undoFunc) {
	if want {
		luabind.RuntimeOf(L).Ledger.Add(what, Undo(ns, fn))
	}
}

// setLink implements nl.set_link(name|index, opts).
func setLink(L *lua.LState) int {
	const op = "netlink.set_link"
	iface := checkIface(L, 1)
	luabind.CheckTable(L, 2)
	o := luabind.CheckOptions(L, 2, "up", "mtu", "mac", "name", "netns", "undo")
	ch, want := linkChange(o), o.Bool("undo", false)
	c, ns := dial(L, op, o)
	defer c.Close()
	l := findLink(L, op, c, iface)
	back := ch.Revert(l)
	if err := c.SetLink(l.Index, ch); err != nil {
		if want {
			// The kernel applies a change field by field and may have made
			// some (the MTU) before it refused one (a taken name).
			_ = c.SetLink(l.Index, back)
		}
		raise(L, op, l.Name, err)
	}
	undoLater(L, want, ns, fmt.Sprintf("%s %s %s", op, l.Name, ch), func(c *Client) error {
		return c.SetLink(l.Index, back)
	})
	return 0
}

// addAddr implements nl.add_addr(name|index, cidr [, opts]).
func addAddr(L *lua.LState) int {
	return changeAddr(L, "netlink.add_addr", (*Client).AddAddr, (*Client).DelAddr)
}

// delAddr implements nl.del_addr(name|index, cidr [, opts]).
func delAddr(L *lua.LState) int {
	return changeAddr(L, "netlink.del_addr", (*Client).DelAddr, (*Client).AddAddr)
}

// An addrChange adds or deletes an address of an interface.
type addrChange func(c *Client, index int, p netip.Prefix) error

// changeAddr makes the address change do, with revert as its undo.
func changeAddr(L *lua.LState, op string, do, revert addrChange) int {
	iface := checkIface(L, 1)
	p := checkPrefix(L, 2)
	o := luabind.CheckOptions(L, 3, "netns", "undo")
	want := o.Bool("undo", false)
	c, ns := dial(L, op, o)
	defer c.Close()
	l := findLink(L, op, c, iface)
	if err := do(c, l.Index, p); err != nil {
		raise(L, op, l.Name, err)
	}
	undoLater(L, want, ns, fmt.Sprintf("%s %s %s", op, l.Name, p), func(c *Client) error {
		return revert(c, l.Index, p)
	})
	return 0
}

// addRoute implements nl.add_route(route).
func addRoute(L *lua.LState) int {
	return changeRoute(L, "netlink.add_route", func(c *Client, s *RouteSpec, _ bool) (undoFunc, error) {
		added := s.asAdded()
		return func(c *Client) error { return c.DelRoute(added) }, c.AddRoute(*s)
	})
}

// delRoute implements nl.del_route(route). With undo it finds the route
// first, deletes exactly that one and puts it back at exit.
func delRoute(L *lua.LState) int {
	return changeRoute(L, "netlink.del_route", func(c *Client, s *RouteSpec, wantUndo bool) (undoFunc, error) {
		if wantUndo {
			r, err := c.FindRoute(*s)
			if err != nil {
				return nil, err
			}
			*s = r.Spec()
		}
		deleted := *s
		return func(c *Client) error { return c.AddRoute(deleted) }, c.DelRoute(deleted)
	})
}

// An undoFunc takes a change back, with a client in the namespace it was
// made in.
type undoFunc = func(c *Client) error

// changeRoute implements the route changes: it reads the route table,
// resolves its dev, and calls change, which makes the change and returns
// its undo, registered when the script asked for it.
func changeRoute(L *lua.LState, op string, change func(c *Client, s *RouteSpec, wantUndo bool) (undoFunc, error)) int {
	s, o := checkRoute(L)
	wantUndo := o.Bool("undo", false)
	c, ns := dial(L, op, o)
	defer c.Close()
	s.Index = devIndex(L, op, c, o)
	back, err := change(c, &s, wantUndo)
	if err != nil {
		raise(L, op, "", err)
	}
	undoLater(L, wantUndo, ns, op+" "+s.String(), back)
	return 0
}

// devIndex resolves the route option dev, 0 when absent.
func devIndex(L *lua.LState, op string, c *Client, o luabind.Options) int {
	dev := o.String("dev", "")
	if dev == "" {
		return 0
	}
	return findLink(L, op, c, lua.LString(dev)).Index
}
