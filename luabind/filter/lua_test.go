package filter_test

import (
	"strings"
	"testing"

	_ "github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/testlab"
)

// luaFrames builds frames in Lua: an ARP broadcast and a UDP datagram
// from 10.0.0.1 to 10.0.0.2 port 53.
const luaFrames = `local filter = require "filter"
local function bytes(...) return string.char(...) end
local macs = ("\255"):rep(6) .. ("\2"):rep(6)
local arp = macs .. bytes(8, 6) .. ("\0"):rep(46)
local ip = bytes(0x45, 0, 0, 29, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2)
local dns = macs .. bytes(8, 0) .. ip .. bytes(0x9c, 0x40, 0, 53, 0, 9, 0, 0, 65) .. ("\0"):rep(17)
`

func TestLuaCompileAndMatch(t *testing.T) {
	out := testlab.MustLua(t, luaFrames+`
local p = filter.compile("udp and dst port 53")
print(p.expr, p.length, p:match(dns), p:match(arp), p:match(""))
print(filter.compile("arp"):match(arp), filter.compile("not ip"):match(("\0"):rep(10)))
print(filter.compile(""):match(""), filter.compile("ether broadcast and arp", { linktype = "ether" }):match(arp))
print(tostring(filter.compile("ip")))`)
	want := "udp and dst port 53\t16\ttrue\tfalse\tfalse\n" +
		"true\tfalse\n" +
		"true\ttrue\n" +
		"filter \"ip\" (4 instructions)\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestLuaDumpAndExplain(t *testing.T) {
	out := testlab.MustLua(t, `local filter = require "filter"
local p = filter.compile("ip")
print(p:dump() .. filter.compile("tcp dst port 80 or 8080 and not src host 10.0.0.1"):explain())`)
	want := "(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      #0\n" +
		"all of:\n" +
		"  any of:\n" +
		"    TCP destination port 80 (IPv4 first fragments, or IPv6)\n" +
		"    TCP destination port 8080 (IPv4 first fragments, or IPv6)\n" +
		"  not:\n" +
		"    IPv4, ARP or RARP source host 10.0.0.1\n\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestLuaErrors(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{`filter.compile("tcp port ")`, "filter: expected a port number after 'port', got the end at column 10"},
		{`filter.compile("gateway router")`, "filter: 'gateway' is not supported at column 1"},
		{`filter.compile("tcp and udp")`, "filter: expression rejects all packets"},
		{`filter.compile(42)`, "bad argument #1 to 'compile' (string expected, got number)"},
		{`filter.compile("ip", { linktype = "raw" })`,
			`bad argument #2 to 'compile' (option 'linktype' is "raw": only "ether" is supported)`},
		{`filter.compile("ip", { snaplen = 1 })`, "bad argument #2 to 'compile' (unknown option 'snaplen', have: linktype)"},
		{`filter.compile("ip"):match(42)`, "bad argument #1 to 'match' (string expected, got number)"},
		{`local p = filter.compile("ip"); p.match(42, "x")`, "calling 'match' on bad self (filter.program expected, got number)"},
	} {
		_, err := testlab.RunLua(t, `local filter = require "filter"; `+tc.code)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s", tc.code, err, tc.want)
		}
	}
}
