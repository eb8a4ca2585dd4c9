package netlink

import (
	"encoding/binary"
	"fmt"
	"net"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// An FDBEntry is an entry of a forwarding database, as bridge fdb show
// lists it: a bridge's (NTF_MASTER) says which port a MAC address sits
// behind, learnt from the frames it sent or added by hand; a device's
// own (NTF_SELF) lists addresses it accepts, such as multicast groups.
type FDBEntry struct {
	Index      int // the port, or the device of a self entry
	Ifname     string
	MAC        net.HardwareAddr
	Master     int // the bridge (NDA_MASTER), 0 for a self entry
	MasterName string
	VLAN       int    // NDA_VLAN, 0 if none
	State      uint16 // NUD_PERMANENT: the bridge's own; NUD_NOARP: static; else learnt
	Flags      uint8  // NTF_SELF, NTF_MASTER, NTF_EXT_LEARNED, ...
}

// Self reports whether the entry is the device's own (NTF_SELF).
func (e *FDBEntry) Self() bool { return e.Flags&unix.NTF_SELF != 0 }

func (e *FDBEntry) name(n Names) { e.Ifname, e.MasterName = n[e.Index], n[e.Master] }

// FDB lists the forwarding database entries of the interface index, or
// of every interface for 0. The rtnetlink package decodes neither
// NDA_MASTER nor NDA_VLAN, so the replies are decoded here.
func (c *Client) FDB(index int) ([]*FDBEntry, error) {
	msgs, err := rtnl.Do(c.c, unix.RTM_GETNEIGH, rtnl.Dump, &rtnetlink.NeighMessage{Family: unix.AF_BRIDGE})
	if err != nil {
		return nil, fmt.Errorf("list forwarding database: %w", err)
	}
	var entries []*FDBEntry
	for _, m := range msgs {
		e, err := fdbFrom(m.Data)
		if err != nil {
			return nil, fmt.Errorf("forwarding database entry: %w", err)
		}
		if index == 0 || e.Index == index {
			entries = append(entries, e)
		}
	}
	return entries, nameAll(c, entries)
}

// fdbFrom decodes an AF_BRIDGE neighbour message: an ndmsg and its
// attributes.
func fdbFrom(b []byte) (*FDBEntry, error) {
	if len(b) < unix.SizeofNdMsg {
		return nil, fmt.Errorf("%d bytes, want at least %d", len(b), unix.SizeofNdMsg)
	}
	e := &FDBEntry{
		Index: int(binary.NativeEndian.Uint32(b[4:8])),
		State: binary.NativeEndian.Uint16(b[8:10]),
		Flags: b[10],
	}
	ad, err := netlink.NewAttributeDecoder(b[unix.SizeofNdMsg:])
	if err != nil {
		return nil, err
	}
	ad.ByteOrder = binary.NativeEndian
	for ad.Next() {
		switch ad.Type() {
		case unix.NDA_LLADDR:
			e.MAC = net.HardwareAddr(ad.Bytes())
		case unix.NDA_MASTER:
			e.Master = int(ad.Uint32())
		case unix.NDA_VLAN:
			e.VLAN = int(ad.Uint16())
		}
	}
	return e, ad.Err()
}

// fdb implements nl.fdb([name|index] [, opts]).
func fdb(L *lua.LState) int {
	const op = "netlink.fdb"
	iface, o := optIfaceAndOptions(L, "netns")
	c, _ := dial(L, op, o)
	defer c.Close()
	index := 0
	if iface != nil {
		index = findLink(L, op, c, iface).Index
	}
	entries, err := c.FDB(index)
	if err != nil {
		raise(L, op, "", err)
	}
	L.Push(list(L, entries, table.fdbFields))
	return 1
}

func (t table) fdbFields(e *FDBEntry) {
	t.mac("mac", e.MAC)
	t.num("ifindex", e.Index)
	t.str("ifname", e.Ifname)
	t.str("master", e.MasterName)
	t.optNum("vlan", e.VLAN)
	t.str("state", neighState(e.State))
	t.flag("self", e.Self())
}

// fdbFunc is the module's function fdb, for funcs.
var fdbFunc = luabind.Func{Name: "fdb", Sig: "fdb([name|index] [, opts]) -> { fdbentry, ... }", Fn: fdb,
	Types: luabind.Types{"name": "string", "index": "integer", "opts": "table", "fdbentry": "netlink.fdbentry"},
	Doc:   "the forwarding database, as bridge fdb show lists it: which bridge port each MAC address sits behind, of one interface or all: { mac, ifname, ifindex, master, vlan, state, self }; opts: netns"}

// fdbDoc documents the tables fdb returns.
var fdbDoc = &luabind.Type{
	Name: "netlink.fdbentry",
	Doc:  "a forwarding database entry, from fdb: a bridge's (master set) says which port a MAC address sits behind; a device's own (self) lists an address it accepts",
	Fields: []luabind.Field{
		{Name: "mac", Type: "string", Doc: "the MAC address"},
		{Name: "ifname", Type: "string", Doc: "the port it sits behind (or the device of a self entry)"},
		{Name: "ifindex", Type: "integer", Doc: "its index"},
		{Name: "master", Type: "string", Doc: "the bridge's name, nil for a self entry"},
		{Name: "vlan", Type: "integer", Doc: "its VLAN, nil if none"},
		{Name: "state", Type: "string", Doc: "PERMANENT for the bridge's own ports' addresses (and self entries), NOARP for a static one, REACHABLE or STALE for one learnt from traffic"},
		{Name: "self", Type: "boolean", Doc: "the device's own entry (bridge fdb's self), not the bridge's"},
	},
}
