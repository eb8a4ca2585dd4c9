package netlink

import (
	"github.com/netlua/netlua/luabind"
)

func init() {
	watcherType.Methods = []luabind.Func{
		{Name: "close", Sig: "watcher:close()", Fn: watcherClose,
			Doc: "stops the watcher: no more callbacks, and the loop may end; safe to call twice or from the callback"},
		{Name: "stats", Sig: "watcher:stats() -> { events, overruns, discarded, queued, rcvbuf }", Fn: watcherStats,
			Doc: "events queued so far (overrun and resynced included), kernel overruns, queued events an overrun dropped before the callback had them, events waiting for the callback, receive buffer in bytes"},
	}
}

// Module returns the Lua module "netlink", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name:  "netlink",
		Doc:   "rtnetlink: watch link, address, route and neighbour events; query and change them, like ip",
		Funcs: funcs,
		Types: []*luabind.Type{watcherType, eventDoc, linkDoc, addrDoc, routeDoc, neighDoc},
	}
}

// funcs are the module's functions, in the order netlua doc lists them.
var funcs = []luabind.Func{
	{Name: "watch", Sig: "watch(groups, fn [, opts]) -> watcher", Fn: watch,
		Doc: "calls fn(event) through the loop for each change in groups (link, addr, addr4, addr6, route, route4, route6, neigh); opts: netns, rcvbuf (bytes, default 4 MiB), backlog (events, default 65536), resync_on_link_down"},
	{Name: "links", Sig: "links([opts]) -> { link, ... }", Fn: links,
		Doc: "the interfaces in index order, as netlink.link returns them; opts: netns"},
	{Name: "link", Sig: "link(name|index [, opts]) -> link", Fn: link,
		Doc: "one interface: { name, index, mac, mtu, up, running, operstate, kind, master, addrs }; opts: netns"},
	{Name: "addrs", Sig: "addrs([name|index] [, opts]) -> { addr, ... }", Fn: addrs,
		Doc: "IP addresses, of one interface or all: { ifname, ifindex, family, addr, scope, label, broadcast }; opts: family, netns"},
	{Name: "routes", Sig: "routes([opts]) -> { route, ... }", Fn: routes,
		Doc: "routes of table main, or opts.table (a number, main, local, default or all): { dst, gateway, ifname, table, proto, scope, rtype, metric, ... }; opts: family, table, dev, netns"},
	{Name: "neighbors", Sig: "neighbors([name|index] [, opts]) -> { neigh, ... }", Fn: neighbors,
		Doc: "ARP and NDP cache entries: { ifname, ifindex, family, dst, mac, state, router }; opts: family, netns"},
	{Name: "set_link", Sig: "set_link(name|index, opts)", Fn: setLink,
		Doc: "changes a link like ip link set, in one request: opts up, mtu, mac, name; undo = true puts it back at exit; netns"},
	{Name: "add_addr", Sig: "add_addr(name|index, cidr [, opts])", Fn: addAddr,
		Doc: "adds an address (IPv4 with its subnet's broadcast); one already there is an error; opts: undo (remove it at exit), netns"},
	{Name: "del_addr", Sig: "del_addr(name|index, cidr [, opts])", Fn: delAddr,
		Doc: "removes an address; opts: undo (put it back at exit), netns"},
	{Name: "add_route", Sig: "add_route{ dst, via, dev, src, table, metric, type, proto, family, undo, netns }", Fn: addRoute,
		Doc: "adds a route like ip route add (dst may be default; proto defaults to static); undo = true deletes it at exit"},
	{Name: "del_route", Sig: "del_route{ dst, via, dev, src, table, metric, type, proto, family, undo, netns }", Fn: delRoute,
		Doc: "deletes the first route the given fields match, like ip route del; undo = true puts exactly that route back at exit"},
}

var watcherType = &luabind.Type{
	Name: "netlink.watcher",
	Doc:  "a running netlink.watch; it keeps the script running until closed (at exit it closes by itself)",
	Fields: []luabind.Field{
		{Name: "groups", Type: "string", Doc: "the groups it delivers: link,route"},
		{Name: "closed", Type: "boolean", Doc: "true once closed"},
		{Name: "rcvbuf", Type: "integer", Doc: "its socket's receive buffer in bytes, as the kernel reports it (twice what was asked)"},
	},
	Get: getWatcher,
}
