package netlink

import (
	"github.com/netlua/netlua/luabind"
	lua "github.com/yuin/gopher-lua"
)

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
