package netlink

import (
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestSetLinkSeenByIP(t *testing.T) {
	tl := newTestLab(t)
	tl.lua(t, `nl.set_link("veth0", { mtu = 1400, mac = "02:00:00:00:00:99", up = false, netns = A })`)
	var links []ipLink
	ipJSON(t, tl.nsA, &links, "link", "show", "veth0")
	if l := links[0]; l.Mtu != 1400 || l.Address != "02:00:00:00:00:99" || slices.Contains(l.Flags, "UP") {
		t.Errorf("ip shows %+v", l)
	}
	tl.lua(t, `nl.set_link("veth0", { name = "lan0", netns = A }); nl.set_link("lan0", { up = true, netns = A })`)
	ipJSON(t, tl.nsA, &links, "link", "show", "lan0")
	if l := links[0]; !slices.Contains(l.Flags, "UP") || l.Mtu != 1400 {
		t.Errorf("after rename and up, ip shows %+v", l)
	}
}

// An MTU beyond IFLA_MTU's 32 bits is refused, not cut to its low bits
// (2^32+1400 would set 1400).
func TestSetLinkRefusesAnMTUTooLarge(t *testing.T) {
	tl := newTestLab(t)
	msg := tl.luaErr(t, `nl.set_link("veth0", { mtu = 2^32 + 1400, netns = A })`)
	if want := "option 'mtu' expects an MTU in bytes from 1 to 4294967295, got 4294968696"; !strings.Contains(msg, want) {
		t.Errorf("got %s\nwant %s", msg, want)
	}
	var links []ipLink
	ipJSON(t, tl.nsA, &links, "link", "show", "veth0")
	if links[0].Mtu != 1500 {
		t.Errorf("ip shows mtu %d after a refused set_link, want 1500", links[0].Mtu)
	}
}

func TestAddAddrThatExistsSaysSo(t *testing.T) {
	tl := newTestLab(t)
	msg := tl.luaErr(t, `nl.add_addr("veth0", "`+tl.a.Addr.String()+`", { netns = A })`)
	if want := "netlink.add_addr: veth0: " + tl.a.Addr.String() + " is already there (file exists)"; !strings.Contains(msg, want) {
		t.Errorf("got %s\nwant %s", msg, want)
	}
	msg = tl.luaErr(t, `nl.del_addr("veth0", "198.18.0.99/24", { netns = A })`)
	if want := "netlink.del_addr: veth0: 198.18.0.99/24 is not there"; !strings.Contains(msg, want) {
		t.Errorf("got %s\nwant %s", msg, want)
	}
}

func TestAddressesAndRoutesSeenByIP(t *testing.T) {
	tl := newTestLab(t)
	tl.lua(t, `nl.add_addr("veth0", "198.18.0.50/24", { netns = A })
		nl.add_addr("veth0", "fd00:198:18::1/64", { netns = A })
		nl.add_route{ dst = "198.18.60.0/24", via = "`+tl.b.Addr.Addr().String()+`", metric = 5, netns = A }
		nl.add_route{ dst = "198.18.61.0/24", dev = "veth0", table = 100, netns = A }
		nl.add_route{ dst = "default", type = "unreachable", netns = A }`)
	addrs := ip(t, tl.nsA, "addr", "show", "veth0")
	for _, want := range []string{"inet 198.18.0.50/24 brd 198.18.0.255 scope global secondary veth0", "inet6 fd00:198:18::1/64 scope global"} {
		if !strings.Contains(addrs, want) {
			t.Errorf("ip addr lacks %q:\n%s", want, addrs)
		}
	}
	routes := ip(t, tl.nsA, "route", "show", "table", "all")
	for _, want := range []string{
		"198.18.60.0/24 via " + tl.b.Addr.Addr().String() + " dev veth0 proto static metric 5",
		"198.18.61.0/24 dev veth0 table 100 proto static scope link",
		"unreachable default proto static",
	} {
		if !strings.Contains(routes, want) {
			t.Errorf("ip route lacks %q:\n%s", want, routes)
		}
	}
	tl.lua(t, `nl.del_route{ dst = "198.18.60.0/24", netns = A }
		nl.del_route{ dst = "198.18.61.0/24", table = 100, netns = A }
		nl.del_addr("veth0", "198.18.0.50/24", { netns = A })`)
	if routes := ip(t, tl.nsA, "route", "show", "table", "all"); strings.Contains(routes, "198.18.6") {
		t.Errorf("routes not deleted:\n%s", routes)
	}
	msg := tl.luaErr(t, `nl.del_route{ dst = "198.18.60.0/24", netns = A }`)
	if !strings.Contains(msg, "netlink.del_route: route 198.18.60.0/24 is not there (no such process)") {
		t.Errorf("deleting a missing route: %s", msg)
	}
}

// Changes made with undo = true are undone when the script ends; others
// stay.
func TestUndoAtExit(t *testing.T) {
	tl := newTestLab(t)
	tl.lua(t, `nl.set_link("veth0", { mtu = 1400, name = "lan0", undo = true, netns = A })
		nl.add_addr("lan0", "198.18.0.50/24", { undo = true, netns = A })
		nl.del_addr("lan0", "`+tl.a.Addr.String()+`", { undo = true, netns = A })
		nl.add_addr("lan0", "198.18.0.51/24", { netns = A })
		nl.add_route{ dst = "198.18.60.0/24", dev = "lan0", undo = true, netns = A }
		nl.add_route{ dst = "198.18.62.0/24", dev = "lan0", netns = A }`)
	var links []ipLink
	ipJSON(t, tl.nsA, &links, "link", "show", "dev", "veth0")
	if links[0].Mtu != 1500 {
		t.Errorf("mtu %d after undo, want 1500", links[0].Mtu)
	}
	addrs := ip(t, tl.nsA, "-4", "addr", "show", "veth0")
	if !strings.Contains(addrs, tl.a.Addr.String()) || strings.Contains(addrs, "198.18.0.50") || !strings.Contains(addrs, "198.18.0.51") {
		t.Errorf("addresses after undo:\n%s", addrs)
	}
	routes := ip(t, tl.nsA, "route", "show")
	if strings.Contains(routes, "198.18.60.0") || !strings.Contains(routes, "198.18.62.0") ||
		!strings.Contains(routes, "198.18.0.0/24 dev veth0 proto kernel scope link") {
		t.Errorf("routes after undo:\n%s", routes)
	}
}

// del_route with undo puts back exactly the route it deleted.
func TestDelRouteUndoRestoresTheRoute(t *testing.T) {
	tl := newTestLab(t)
	ip(t, tl.nsA, "route", "add", "198.18.70.0/24", "via", tl.b.Addr.Addr().String(), "metric", "9", "proto", "bird")
	before := ip(t, tl.nsA, "route", "show", "198.18.70.0/24")
	tl.lua(t, `nl.del_route{ dst = "198.18.70.0/24", undo = true, netns = A }
		assert(#nl.routes{ netns = A, dev = "veth0", family = 4 } == 1)`)
	if after := ip(t, tl.nsA, "route", "show", "198.18.70.0/24"); after != before {
		t.Errorf("after undo:\n%s\nbefore:\n%s", after, before)
	}
}

// An undo whose lab is gone has nothing left to do and is no error: the
// script closes its lab after changes made with undo = true, and the
// undos run at exit in namespaces that no longer exist.
func TestUndoAfterTheLabIsGone(t *testing.T) {
	tl := newTestLab(t)
	out := tl.lua(t, `local lab = require "lab"
		local l = lab.new()
		local a = l:link(l:host(), l:host())
		nl.set_link(a.ifname, { mtu = 1400, undo = true, netns = a })
		nl.add_addr(a.ifname, "198.18.0.50/24", { undo = true, netns = a })
		nl.add_route{ dst = "198.18.60.0/24", dev = a.ifname, undo = true, netns = a }
		print(nl.link(a.ifname, { netns = a }).mtu)
		l:close()
		print(pcall(nl.links, { netns = a }))`)
	if !strings.HasPrefix(out, "1400\nfalse\t") {
		t.Errorf("the script printed %q: want the change made, then the lab gone", out)
	}
}

func TestNoPrivilegeSaysCapNetAdmin(t *testing.T) {
	testlab.Privileged(t) // root is needed to switch to nobody
	cmd := exec.Command(testlab.Binary(t), "-e", `require("netlink").set_link("lo", { up = true })`)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("no error as nobody:\n%s", out)
	}
	want := "netlink.set_link: lo: operation not permitted: needs root or CAP_NET_ADMIN"
	if !strings.Contains(string(out), want) {
		t.Errorf("got\n%s\nwant %s", out, want)
	}
}

// The undo of add_route deletes the route it added, never an older one to
// the same destination: here the kernel's IPv6 prefix route (metric 256),
// which a deletion without the added route's metric and protocol matches
// first.
func TestAddRouteUndoLeavesOlderRoutes(t *testing.T) {
	tl := newTestLab(t)
	ip(t, tl.nsA, "addr", "add", "fd00:198:18::1/64", "dev", "veth0", "nodad")
	tl.lua(t, `nl.add_route{ dst = "fd00:198:18::/64", dev = "veth0", undo = true, netns = A }
		nl.add_route{ dst = "198.18.0.0/24", dev = "veth0", metric = 7, undo = true, netns = A }`)
	routes := ip(t, tl.nsA, "route", "show", "table", "all")
	for _, want := range []string{"fd00:198:18::/64 dev veth0 proto kernel metric 256", "198.18.0.0/24 dev veth0 proto kernel scope link"} {
		if !strings.Contains(routes, want) {
			t.Errorf("routes after undo lack %q:\n%s", want, routes)
		}
	}
	if strings.Contains(routes, "proto static") {
		t.Errorf("netlua's routes stayed after undo:\n%s", routes)
	}
}

// A set_link with undo that the kernel refuses half-way (the MTU made,
// the name taken) takes back what it made at once, and says why.
func TestRefusedSetLinkWithUndoLeavesTheLinkAsItWas(t *testing.T) {
	tl := newTestLab(t)
	msg := tl.luaErr(t, `nl.set_link("veth0", { mtu = 1400, name = "lo", undo = true, netns = A })`)
	if want := "netlink.set_link: veth0: name lo is taken by another interface (file exists)"; !strings.Contains(msg, want) {
		t.Errorf("got %s\nwant %s", msg, want)
	}
	var links []ipLink
	ipJSON(t, tl.nsA, &links, "link", "show", "dev", "veth0")
	if links[0].Mtu != 1500 {
		t.Errorf("mtu %d after a refused set_link with undo, want 1500", links[0].Mtu)
	}
}

// A permanent neighbour entry, IPv4 and IPv6, as ip neigh shows it; set
// again with another MAC, it is replaced; with undo, it goes at exit.
func TestSetNeighSeenByIP(t *testing.T) {
	tl := newTestLab(t)
	tl.lua(t, `nl.set_neigh("veth0", "198.18.0.77", "02:00:00:00:00:77", { netns = A })
		nl.set_neigh("veth0", "198.18.0.77", "02:00:00:00:00:78", { netns = A })
		nl.set_neigh("veth0", "2001:2::77", "02:00:00:00:00:79", { netns = A, undo = true })
		nl.set_neigh("veth0", "2001:2::78", "02:00:00:00:00:7a", { netns = A })`)
	var neighs []struct {
		Dst    string   `json:"dst"`
		Lladdr string   `json:"lladdr"`
		State  []string `json:"state"`
	}
	ipJSON(t, tl.nsA, &neighs, "neigh", "show", "dev", "veth0")
	got := map[string]string{}
	for _, n := range neighs {
		got[n.Dst] = n.Lladdr + " " + strings.Join(n.State, ",")
	}
	if got["198.18.0.77"] != "02:00:00:00:00:78 PERMANENT" || got["2001:2::78"] != "02:00:00:00:00:7a PERMANENT" {
		t.Errorf("ip neigh shows %v", got)
	}
	if _, ok := got["2001:2::77"]; ok {
		t.Errorf("the entry set with undo outlived its script: %v", got)
	}
}
