package netlink

import (
	"github.com/netlua/netlua/luabind"
)

func init() {
	watcherType.Methods = []luabind.Func{
		{Name: "close", Sig: "watcher:close()", Fn: watcherClose,
			Doc: "stops the watcher: no more callbacks, and the loop may end; safe to call twice or from the callback"},
		{Name: "stats", Sig: "watcher:stats() -> { events, overruns, discarded, queued, rcvbuf }", Fn: watcherStats,
			Types: luabind.Types{"events": "integer", "overruns": "integer", "discarded": "integer", "queued": "integer", "rcvbuf": "integer"},
			Doc:   "events queued so far (overrun and resynced included), kernel overruns, queued events an overrun dropped before the callback had them, events waiting for the callback, receive buffer in bytes"},
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
	{Name: "set_link", Sig: "set_link(name|index, opts)", Fn: setLink,
		Types: luabind.Types{"name": "string", "index": "integer", "opts": "table"},
		Doc:   "changes a link like ip link set, in one request: opts up, mtu, mac, name; undo = true puts it back at exit; netns"},
	{Name: "add_addr", Sig: "add_addr(name|index, cidr [, opts])", Fn: addAddr,
		Types: luabind.Types{"name": "string", "index": "integer", "cidr": "string", "opts": "table"},
		Doc:   "adds an address (IPv4 with its subnet's broadcast); one already there is an error; opts: undo (remove it at exit), netns"},
	{Name: "del_addr", Sig: "del_addr(name|index, cidr [, opts])", Fn: delAddr,
		Types: luabind.Types{"name": "string", "index": "integer", "cidr": "string", "opts": "table"},
		Doc:   "removes an address; opts: undo (put it back at exit), netns"},
	{Name: "add_route", Sig: "add_route{ dst, via, dev, src, table, metric, type, proto, family, undo, netns }", Fn: addRoute,
		Types: luabind.Types{"dst": "string", "via": "string", "dev": "string", "src": "string", "metric": "integer", "type": "string|integer", "proto": "string|integer", "family": "integer", "undo": "boolean", "netns": "lab.host|lab.end|string"},
		Doc:   "adds a route like ip route add (dst may be default; proto defaults to static); undo = true deletes it at exit"},
	{Name: "del_route", Sig: "del_route{ dst, via, dev, src, table, metric, type, proto, family, undo, netns }", Fn: delRoute,
		Types: luabind.Types{"dst": "string", "via": "string", "dev": "string", "src": "string", "metric": "integer", "type": "string|integer", "proto": "string|integer", "family": "integer", "undo": "boolean", "netns": "lab.host|lab.end|string"},
		Doc:   "deletes the first route the given fields match, like ip route del; undo = true puts exactly that route back at exit"},
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
