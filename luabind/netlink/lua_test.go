package netlink

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// Bad arguments are reported in Lua's own form before anything is asked
// of the kernel, so these tests need no privilege.
func TestBadArguments(t *testing.T) {
	tests := []struct{ code, want string }{
		{`nl.watch("routes", print)`,
			"bad argument #1 to 'watch' (unknown group 'routes', have: addr, addr4, addr6, link, neigh, route, route4, route6)"},
		{`nl.watch(4, print)`, "bad argument #1 to 'watch' (group name or list of group names expected, got number)"},
		{`nl.watch({}, print)`, "bad argument #1 to 'watch' (no group given, have: addr, addr4"},
		{`nl.watch({"link", 4}, print)`, "bad argument #1 to 'watch' (group names are strings, got number)"},
		{`nl.watch("link")`, "bad argument #2 to 'watch' (function expected, got no value)"},
		{`nl.watch("link", print, { netsn = 1 })`,
			"bad argument #3 to 'watch' (unknown option 'netsn', have: backlog, netns, rcvbuf, resync_on_link_down)"},
		{`nl.watch("link", print, { resync_on_link_down = true })`,
			"bad argument #3 to 'watch' (option 'resync_on_link_down' needs a route group (route, route4 or route6))"},
		{`nl.watch("link", print, { rcvbuf = -1 })`, "option 'rcvbuf' expects bytes from 0"},
		{`nl.watch("link", print, { backlog = 0 })`, "option 'backlog' expects a positive number of events, got 0"},
		{`nl.watch("link", print, { netns = 5 })`, "option 'netns' expects a lab host or end, or a namespace name, got number"},
		{`nl.link(true)`, "bad argument #1 to 'link' (interface name or index expected, got boolean)"},
		{`nl.link(1.5)`, "bad argument #1 to 'link' (number has no integer representation)"},
		{`nl.addrs("lo", { family = 5 })`, "bad argument #2 to 'addrs' (option 'family' expects 4 or 6, got 5)"},
		{`nl.routes{ table = "mian" }`,
			"bad argument #1 to 'routes' (option 'table' expects a table number or one of all, default, local, main, got 'mian')"},
		{`nl.routes{ table = 0 }`, "option 'table' expects a table number from 1 to 4294967294, got 0"},
		{`nl.routes{ table = 2^32 + 254 }`, "option 'table' expects a table number from 1 to 4294967294, got 4294967550"},
		{`nl.link(2^32 + 1)`, "bad argument #1 to 'link' (4294967297 is not an interface index (1 to 2147483647))"},
		{`nl.set_link(0, { up = true })`, "bad argument #1 to 'set_link' (0 is not an interface index (1 to 2147483647))"},
		{`nl.add_addr(-1, "198.18.0.1/24")`, "bad argument #1 to 'add_addr' (-1 is not an interface index (1 to 2147483647))"},
		{`nl.set_link("lo")`, "bad argument #2 to 'set_link' (table expected, got no value)"},
		{`nl.set_link("lo", { mtu = -1 })`, "option 'mtu' expects an MTU in bytes from 1 to 4294967295, got -1"},
		{`nl.set_link("lo", { mtu = 0 })`, "option 'mtu' expects an MTU in bytes from 1 to 4294967295, got 0"},
		{`nl.set_link("lo", { mtu = 2^32 + 1500 })`, "bad argument #2 to 'set_link' (option 'mtu' expects an MTU in bytes from 1 to 4294967295, got 4294968796)"},
		{`nl.set_link("lo", { mtu = 1500.5 })`, "option 'mtu' expects an integer, got number"},
		{`nl.set_link("lo", { mac = "02:00" })`, "option 'mac' expects a MAC address such as 02:00:00:00:00:01, got '02:00'"},
		{`nl.set_link("lo", { name = "a-name-far-too-long" })`, "option 'name' 'a-name-far-too-long' is not an interface name"},
		{`nl.set_link("lo", { up = "yes" })`, "option 'up' expects a boolean, got string"},
		{`nl.add_addr("lo", "198.18.0.300/24")`,
			"bad argument #2 to 'add_addr' ('198.18.0.300/24' is not an address such as 198.18.0.1/24)"},
		{`nl.add_addr("lo", 24)`, "bad argument #2 to 'add_addr' (string expected, got number)"},
		{`nl.add_addr("lo", "198.18.0.1/24", { undo = 1 })`, "option 'undo' expects a boolean, got number"},
		{`nl.add_route()`, "bad argument #1 to 'add_route' (table expected, got no value)"},
		{`nl.add_route{ via = "198.18.0.2" }`,
			"bad argument #1 to 'add_route' (option 'dst' is required: a prefix such as 198.18.1.0/24, or default)"},
		{`nl.add_route{ dst = "198.18.1.5/24" }`, "option 'dst' 198.18.1.5/24 has host bits set (198.18.1.0/24?)"},
		{`nl.add_route{ dst = "198.18.1.0/24", via = "gw" }`, "option 'via' expects an IP address, got 'gw'"},
		{`nl.add_route{ dst = "198.18.1.0/24", type = "blackhol" }`, "option 'type' \"blackhol\" is not a number up to 255 or one of"},
		{`nl.del_route{ dst = "198.18.1.0/24", table = "all" }`, "option 'table' cannot be all for one route"},
		{`nl.del_route{ dst = "198.18.1.0/24", metric = -2 }`, "option 'metric' expects a metric from 0 to 4294967295, got -2"},
		{`nl.add_route{ dst = "198.18.1.0/24", metric = 2^32 + 5 }`, "option 'metric' expects a metric from 0 to 4294967295, got 4294967301"},
		{`nl.add_route{ dst = "198.18.1.0/24", type = 256 + 6 }`, "option 'type' expects a name or a number from 0 to 255, got 262"},
		{`nl.add_route{ dst = "198.18.1.0/24", proto = 4.5 }`, "option 'proto' expects an integer, got number"},
		{`nl.add_route{ dst = "198.18.1.0/24", proto = -1 }`, "option 'proto' expects a name or a number from 0 to 255, got -1"},
		{`nl.add_route{ dst = "198.18.1.0/24", gw = "198.18.0.2" }`, "unknown option 'gw', have: dev, dst, family, metric, netns, proto, src, table, type, undo, via"},
	}
	for _, tt := range tests {
		_, err := testlab.RunLua(t, `local nl = require "netlink"; `+tt.code, luaModules()...)
		if err == nil || !strings.Contains(luabind.Report(err), tt.want) {
			t.Errorf("%s:\n got %v\nwant %s", tt.code, err, tt.want)
		}
	}
}

// Every function, method and documented table of the module has a
// signature and a doc; the registry refuses functions without.
func TestModuleIsDocumented(t *testing.T) {
	m, ok := luabind.NewSet(luaModules()...).Lookup("netlink")
	if !ok {
		t.Fatal("module netlink is not registered")
	}
	for _, typ := range m.Types {
		if typ.Doc == "" {
			t.Errorf("%s has no doc", typ.Name)
		}
		for _, f := range typ.Fields {
			if f.Doc == "" || f.Type == "" {
				t.Errorf("%s.%s has no doc or type", typ.Name, f.Name)
			}
		}
	}
}
