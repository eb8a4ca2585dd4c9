package netlink

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// linesOf splits output into its lines, sorted.
func linesOf(out string) []string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	slices.Sort(lines)
	return lines
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s differ from ip's\nnetlua:\n  %s\nip:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

type ipLink struct {
	Ifindex   int      `json:"ifindex"`
	Ifname    string   `json:"ifname"`
	Address   string   `json:"address"`
	Mtu       int      `json:"mtu"`
	Operstate string   `json:"operstate"`
	Flags     []string `json:"flags"`
	Linkinfo  *struct {
		Kind string `json:"info_kind"`
	} `json:"linkinfo"`
}

type ipAddrs struct {
	Ifname   string `json:"ifname"`
	AddrInfo []struct {
		Local     string `json:"local"`
		Prefixlen int    `json:"prefixlen"`
	} `json:"addr_info"`
}

func TestLinksMatchIP(t *testing.T) {
	tl := newTestLab(t)
	out := tl.lua(t, `for _, l in ipairs(nl.links{ netns = A }) do
		print(l.index, l.name, l.mac, l.mtu, l.up, l.operstate, l.kind or "-", table.concat(l.addrs, ","))
	end`)
	var links []ipLink
	var addrs []ipAddrs
	ipJSON(t, tl.nsA, &links, "-d", "link")
	ipJSON(t, tl.nsA, &addrs, "addr")
	var want []string
	for i, l := range links {
		kind := "-"
		if l.Linkinfo != nil {
			kind = l.Linkinfo.Kind
		}
		var cidrs []string
		for _, a := range addrs[i].AddrInfo {
			cidrs = append(cidrs, fmt.Sprintf("%s/%d", a.Local, a.Prefixlen))
		}
		want = append(want, fmt.Sprintf("%d\t%s\t%s\t%d\t%v\t%s\t%s\t%s", l.Ifindex, l.Ifname, l.Address, l.Mtu,
			slices.Contains(l.Flags, "UP"), l.Operstate, kind, strings.Join(cidrs, ",")))
	}
	sameLines(t, "links", linesOf(out), want)
}

func TestLinkByNameAndIndex(t *testing.T) {
	tl := newTestLab(t)
	out := tl.lua(t, `local l = nl.link("veth0", { netns = A })
		local m = nl.link(l.index, { netns = A })
		print(l.name, l.index == m.index, l.mac, l.running, l.kind, l.addrs[1])`)
	want := fmt.Sprintf("veth0\ttrue\t%s\ttrue\tveth\t%s\n", tl.a.MAC, tl.a.Addr)
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestAddrsMatchIP(t *testing.T) {
	tl := newTestLab(t)
	ip(t, tl.nsA, "addr", "add", "198.18.0.77/24", "dev", "veth0")
	ip(t, tl.nsA, "addr", "add", "fd00:198:18::1/64", "dev", "veth0", "nodad")
	out := tl.lua(t, `for _, a in ipairs(nl.addrs({ netns = A })) do
		print(a.ifname, a.family, a.addr, a.scope, a.label or "-", a.broadcast or "-")
	end`)
	var addrs []struct {
		Ifname   string `json:"ifname"`
		AddrInfo []struct {
			Family    string `json:"family"`
			Local     string `json:"local"`
			Prefixlen int    `json:"prefixlen"`
			Scope     string `json:"scope"`
			Label     string `json:"label"`
			Broadcast string `json:"broadcast"`
		} `json:"addr_info"`
	}
	ipJSON(t, tl.nsA, &addrs, "addr")
	var want []string
	for _, i := range addrs {
		for _, a := range i.AddrInfo {
			fam := map[string]int{"inet": 4, "inet6": 6}[a.Family]
			want = append(want, fmt.Sprintf("%s\t%d\t%s/%d\t%s\t%s\t%s", i.Ifname, fam, a.Local, a.Prefixlen, a.Scope,
				orDash(a.Label), orDash(a.Broadcast)))
		}
	}
	sameLines(t, "addresses", linesOf(out), want)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type ipRoute struct {
	Type     string `json:"type"`
	Dst      string `json:"dst"`
	Gateway  string `json:"gateway"`
	Dev      string `json:"dev"`
	Table    string `json:"table"`
	Protocol string `json:"protocol"`
	Scope    string `json:"scope"`
	Metric   int    `json:"metric"`
}

// line is the route as the test's Lua code prints it.
func (r ipRoute) line(family int) string {
	dst := r.Dst
	if dst != "default" && !strings.Contains(dst, "/") {
		dst += map[int]string{4: "/32", 6: "/128"}[family]
	}
	table := map[string]string{"": "254", "main": "254", "local": "255", "default": "253"}[r.Table]
	if table == "" {
		table = r.Table
	}
	return fmt.Sprintf("%d %s %s %s %s %s %s %s %d", family, orDash(r.Type), dst, orDash(r.Gateway), r.Dev, table,
		r.Protocol, orDash(r.Scope), r.Metric)
}

// routeLine is a Lua function that prints a route table as ipRouteLines
// lists ip's routes.
const routeLine = `local function routeLine(r)
		return table.concat({ r.family, r.rtype == "unicast" and "-" or r.rtype, r.dst, r.gateway or "-",
			r.ifname or "-", r.table, r.proto, r.scope, r.metric }, " ")
	end; `

// ipRouteLines lists the routes of every table in ns as ip shows them, in
// the form of routeLine, sorted.
func ipRouteLines(t *testing.T, ns string) []string {
	var lines []string
	for _, fam := range []int{4, 6} {
		var routes []ipRoute
		ipJSON(t, ns, &routes, fmt.Sprintf("-%d", fam), "route", "show", "table", "all")
		for _, r := range routes {
			if r.Scope == "" {
				r.Scope = "global"
			}
			if r.Dev == "" {
				r.Dev = "-"
			}
			if r.Protocol == "" {
				r.Protocol = "boot" // ip leaves out its own default
			}
			lines = append(lines, r.line(fam))
		}
	}
	slices.Sort(lines)
	return lines
}

func TestRoutesMatchIP(t *testing.T) {
	tl := newTestLab(t)
	ip(t, tl.nsA, "route", "add", "198.18.50.0/24", "via", tl.b.Addr.Addr().String(), "metric", "7")
	ip(t, tl.nsA, "route", "add", "blackhole", "198.19.0.0/16", "table", "100")
	out := tl.lua(t, routeLine+`for _, r in ipairs(nl.routes{ netns = A, table = "all" }) do print(routeLine(r)) end`)
	sameLines(t, "routes", linesOf(out), ipRouteLines(t, tl.nsA))

	main := tl.lua(t, `for _, r in ipairs(nl.routes{ netns = A, family = 4 }) do print(r.dst, r.table) end`)
	if main != "198.18.0.0/24\t254\n198.18.50.0/24\t254\n" {
		t.Errorf("table main, IPv4:\n%s", main)
	}
	dev := tl.lua(t, `print(#nl.routes{ netns = A, dev = "lo", table = "all" } > 0, #nl.routes{ netns = A, table = 100 })`)
	if dev != "true\t1\n" {
		t.Errorf("dev and table filters: %q", dev)
	}
}

func TestNeighborsMatchIP(t *testing.T) {
	tl := newTestLab(t)
	out := tl.lua(t, sh+`assert(run(A, "ping -c1 -W1 `+tl.b.Addr.Addr().String()+` >/dev/null") == 0)
		for _, n in ipairs(nl.neighbors("veth0", { netns = A, family = 4 })) do print(n.ifname, n.dst, n.mac, n.state, n.family) end`)
	want := fmt.Sprintf("veth0\t%s\t%s\tREACHABLE\t4\n", tl.b.Addr.Addr(), tl.b.MAC)
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
	var neighs []struct {
		Dst    string `json:"dst"`
		Lladdr string `json:"lladdr"`
	}
	ipJSON(t, tl.nsA, &neighs, "-4", "neigh")
	if len(neighs) != 1 || neighs[0].Dst != tl.b.Addr.Addr().String() || neighs[0].Lladdr != tl.b.MAC.String() {
		t.Errorf("ip says %+v", neighs)
	}
}

func TestUnknownInterfaceInALab(t *testing.T) {
	tl := newTestLab(t)
	for _, code := range []string{
		`nl.set_link("eth9", { mtu = 1400, netns = A })`,
		`nl.addrs("eth9", { netns = A })`,
		`nl.add_route{ dst = "198.18.9.0/24", dev = "eth9", netns = A }`,
		`nl.link(99, { netns = A })`,
	} {
		msg := tl.luaErr(t, code)
		if !strings.Contains(msg, ": no such interface (have: lo, veth0)") || !strings.Contains(msg, "netlink.") {
			t.Errorf("%s:\n%s", code, msg)
		}
	}
}
