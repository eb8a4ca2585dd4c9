package lab

import (
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// reachLua is a Lua function reach(n) that pings, with the kernel's own
// ping, from every host (kind "host") of lab n to every other, at its
// IPv4 and IPv6 address, and returns the count of answers and of tries.
const reachLua = `
local function reach(n)
	local ok, tries = 0, 0
	for _, a in ipairs(n.hosts) do
		for _, b in ipairs(n.hosts) do
			if a ~= b and a.kind == "host" and b.kind == "host" then
				for _, ip in ipairs{b.ifaces[1].ip, b.ifaces[1].ip6} do
					tries = tries + 1
					if select(2, a:exec{"ping", "-c1", "-W2", ip}) == 0 then ok = ok + 1 else print("no answer", a.name, ip) end
				end
			end
		end
	end
	return ok, tries
end
`

// Switches, routers and routes from Lua: fields, kinds, names, and the
// hosts reach each other once routed.
func TestLuaSwitchRouterRoute(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, reachLua+`
		local lab = require "lab"
		local n = lab.new()
		local s1, r1 = n:switch("s1"), n:router()
		local e1 = n:link(n:host("h1"), s1)
		local e2, p2 = n:link(n:host("h2"), s1)
		local g = n:link(r1, s1)
		local e3 = n:link(n:host("h3"), r1)
		print(e1.cidr, e1.cidr6, e2.ip6, g.ip, e3.cidr6, p2.ip, p2.ip6, p2.host == s1)
		print(s1.kind, r1.kind, e1.host.kind, r1.name, n.h1 == e1.host, n:get("r1") == r1, n:get("zz"), n.link ~= nil)
		print(r1:sysctl("net.ipv4.ip_forward"), r1:sysctl("net.ipv6.conf.all.forwarding"))
		print(select(2, e1:exec{"ping", "-c1", "-W1", e3.ip}))
		n:route()
		print(reach(n))
	`, luaModules()...)
	want := "198.18.0.1/24\t2001:2::1/64\t2001:2::2\t198.18.0.3\t2001:2:0:1::1/64\tnil\tnil\ttrue\n" +
		"switch\trouter\thost\tr1\ttrue\ttrue\tnil\ttrue\n" +
		"1\t1\n" +
		"2\n" +
		"12\t12\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// Every builder from Lua: every host reaches every other, IPv4 and IPv6,
// as ping(8) finds (reach) and as lab:pingall does.
func TestLuaBuilders(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, reachLua+`
		local lab = require "lab"
		for _, n in ipairs{lab.single(3), lab.linear(4), lab.tree(2, 2), lab.ring(3), lab.dumbbell{ left = 1, right = 2 },
			lab.build{ hosts = {"h1", "h2", "h3", "h4"}, switches = {"s1", "s2", "s3"}, routers = {"r1"},
				links = {{"h1", "s1"}, {"h2", "s1"}, {"s1", "r1"}, {"r1", "s2"}, {"h3", "s2"}, {"r1", "s3"}, {"s3", "h4"}} }} do
			local r = n:pingall()
			local v4, v6 = reach(n)
			print(#n.hosts, v4, v6, r.sent == r.received and next(r.matrix6) ~= nil)
			n:close()
		end
	`, luaModules()...)
	want := "4\t12\t12\ttrue\n" + // single,3: 3 hosts and s1
		"8\t24\t24\ttrue\n" + // linear,4
		"7\t24\t24\ttrue\n" + // tree,2,2: 4 hosts, 3 switches
		"6\t12\t12\ttrue\n" + // ring,3
		"7\t12\t12\ttrue\n" + // dumbbell 1+2: 3 hosts, 2 switches, 2 routers
		"8\t24\t24\ttrue\n" // the Linux-router example: three subnets, one router
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// lab.new{ ipv6 = false } and lab.pair{ ipv6 = false } leave IPv6 out.
func TestLuaNoIPv6(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local a = lab.pair{ ipv6 = false }
		local n = lab.single(2, { ipv6 = false })
		print(a.ip, a.ip6, a.cidr6, n.h1.ifaces[1].ip6)
		print((a:exec{"ip", "-6", "-o", "addr"}):find("2001:2:") == nil)
	`, luaModules()...)
	if want := "198.18.0.1\tnil\tnil\tnil\ntrue\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestLuaTopoErrors(t *testing.T) {
	testlab.Privileged(t)
	tests := []struct{ name, code, want string }{
		{"vlan here", `local n = lab.new(); n:link(n:host(), n:switch(), { vlan = 10 })`, "lab.link: sw1 br0: " + ErrNoVLANFiltering.Error()},
		{"vlan filtering here", `lab.new():switch("s1", { vlan_filtering = true })`, "lab.switch: s1 br0: " + ErrNoVLANFiltering.Error()},
		{"vlans type", `local n = lab.new(); n:link(n:host(), n:switch(), { vlans = 10 })`, "(option 'vlans' expects a list of VLAN ids)"},
		{"vlan off a switch", `local n = lab.new(); n:link(n:host("a"), n:host("b"), { vlan = 10 })`, "lab.link: a veth0 is not a switch port"},
		{"bottleneck passed to link", `lab.dumbbell{ bottleneck = { vlan = 10 } }`, "lab.link: r1 veth1 is not a switch port"},
		{"switch option", `lab.new():switch("s1", { stp = 1 })`, "(option 'stp' expects a boolean, got number)"},
		{"ring of two", `lab.ring(2)`, "bad argument #1 to 'ring' (must be 3 to 250)"},
		{"big tree", `lab.tree(3, 7)`, "bad argument #2 to 'tree' (tree(3, 7) has more hosts than one subnet holds (250))"},
		{"build unknown node", `lab.build{ hosts = {"h1"}, links = {{"h1", "s1"}} }`, "lab.build: link h1 - s1: no node called s1"},
		{"build bad link", `lab.build{ hosts = {"h1"}, links = {{"h1"}} }`, `(option 'links' item 1 is not {"x", "y" [, options]})`},
		{"build bad names", `lab.build{ hosts = {1} }`, "(option 'hosts' expects a list of names, item 1 is not a string)"},
		{"switch loop", `local n = lab.new(); local a, b = n:switch(), n:switch(); n:link(a, b); n:link(b, a)`, "lab.link: sw2 and sw1 are joined already: a loop of switches needs stp = true on each"},
	}
	checkLuaErrors(t, tests)
}

// The dumbbell's bottleneck options shape its middle link: ping across
// it sees the delay both ways (10 ms each), from ping's own minimum; a
// link table of lab.build shapes the same way.
func TestLuaBottleneckShaped(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local function minrtt(n, from, to)
			local out = n[from]:exec{ "ping", "-c", "3", "-i", "0.2", "-q", n[to].ifaces[1].ip }
			return tonumber(out:match("rtt min/avg/max/mdev = ([%d.]+)/"))
		end
		local d = lab.dumbbell{ left = 1, right = 1, bottleneck = { delay = "10ms" } }
		print(minrtt(d, "h1", "h2") >= 19.5, minrtt(d, "h1", "h2") < 200)
		local b = lab.build{ hosts = {"h1", "h2"}, routers = {"r1"}, links = {{"h1", "r1", delay = "5ms"}, {"r1", "h2"}} }
		print(minrtt(b, "h1", "h2") >= 9.5, b.r1.ifaces[1].link.shaping.delay ~= nil)
	`, luaModules()...)
	if want := "true\ttrue\ntrue\ttrue\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
