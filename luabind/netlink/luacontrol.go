package netlink

import (
	"fmt"
	"net/netip"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/netns"
	lua "github.com/yuin/gopher-lua"
)

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
