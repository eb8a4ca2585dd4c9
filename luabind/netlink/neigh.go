package netlink

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// SetNeigh puts a permanent entry for ip with the link address mac on
// interface index into the neighbour table, replacing any there, as
// `ip neigh replace IP lladdr MAC nud permanent dev IFACE` does: the
// kernel then sends to ip without ARP or neighbour discovery.
func (c *Client) SetNeigh(index int, ip netip.Addr, mac net.HardwareAddr) error {
	m := neighMessage(index, ip)
	m.State = unix.NUD_PERMANENT
	m.Attributes.LLAddress = mac
	_, err := rtnl.Do(c.c, unix.RTM_NEWNEIGH, rtnl.Change|netlink.Create|netlink.Replace, m)
	return explain(err, ip.String(), nil)
}

// DelNeigh removes the entry for ip on interface index.
func (c *Client) DelNeigh(index int, ip netip.Addr) error {
	_, err := rtnl.Do(c.c, unix.RTM_DELNEIGH, rtnl.Change, neighMessage(index, ip))
	return explain(err, ip.String(), nil)
}

// neighMessage is the neighbour message naming ip on interface index.
func neighMessage(index int, ip netip.Addr) *rtnetlink.NeighMessage {
	fam := uint16(unix.AF_INET)
	if ip.Is6() {
		fam = unix.AF_INET6
	}
	return &rtnetlink.NeighMessage{Family: fam, Index: uint32(index),
		Attributes: &rtnetlink.NeighAttributes{Address: ip.AsSlice()}}
}

// setNeighFunc documents and implements nl.set_neigh.
var setNeighFunc = luabind.Func{Name: "set_neigh", Sig: "set_neigh(name|index, ip, mac [, opts])", Fn: setNeigh,
	Types: luabind.Types{"name": "string", "index": "integer", "ip": "string", "mac": "string", "opts": "table"},
	Doc:   "puts a permanent neighbour entry (ip neigh replace IP lladdr MAC nud permanent): the kernel sends to ip without ARP or NDP; opts: undo (remove it at exit), netns"}

// setNeigh implements nl.set_neigh(name|index, ip, mac [, opts]).
func setNeigh(L *lua.LState) int {
	const op = "netlink.set_neigh"
	iface := checkIface(L, 1)
	ip, err := netip.ParseAddr(L.CheckString(2))
	if err != nil {
		L.ArgError(2, "not an IP address: "+L.CheckString(2))
	}
	mac, err := net.ParseMAC(L.CheckString(3))
	if err != nil {
		L.ArgError(3, "not a MAC address: "+L.CheckString(3))
	}
	o := luabind.CheckOptions(L, 4, "netns", "undo")
	c, ns := dial(L, op, o)
	defer c.Close()
	l := findLink(L, op, c, iface)
	if err := c.SetNeigh(l.Index, ip, mac); err != nil {
		raise(L, op, l.Name, err)
	}
	undoLater(L, o.Bool("undo", false), ns, fmt.Sprintf("%s %s %s", op, l.Name, ip), func(c *Client) error {
		return c.DelNeigh(l.Index, ip)
	})
	return 0
}
