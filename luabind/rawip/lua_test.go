package rawip

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// The module in one script: an echo request with a chosen id is
// answered, from the peer, with sane info.
func TestLuaEcho(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, rawip, f = require "lab", require "rawip", require "frame"
		local a, b = lab.pair()
		local s = rawip.open{ proto = "icmp", netns = a }
		print(s.family, s.proto, s.hdrincl, s.device, s.closed, tostring(s))
		local n, ts = s:sendto(f.build{ f.icmp4{ type = 8, id = 31337, seq = 7 }, ("x"):rep(56) }, b.ip)
		print(n, math.abs(ts - os.time()) < 2)
		while true do
			local bytes, info = s:recv(1)
			local p = f.parse(bytes, { first = "ipv4" })
			if p.icmp4.type == 0 and p.icmp4.id == 31337 then
				print(info.src == b.ip, info.ttl, info.len, #bytes, p.icmp4.seq, info.ts >= ts, info.ts - ts < 1)
				break
			end
		end
		print(s:recv(0.05))
		print(rawip.source(b.ip, { netns = a }) == a.ip)
		s:close()
		print(s.closed)
	`, luaModules()...)
	want := "4\t1\tfalse\tnil\tfalse\traw IPv4 socket, protocol 1\n" +
		"64\ttrue\n" +
		"true\t64\t84\t84\t7\ttrue\ttrue\n" +
		"nil\n" +
		"true\n" +
		"true\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// on() delivers the replies through the loop; hlim for IPv6.
func TestLuaOnIPv6(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, rawip, f = require "lab", require "rawip", require "frame"
		local a = lab.pair()
		local s = rawip.open{ proto = "icmp", family = 6, netns = a }
		print(s.family, s.proto)
		s:on(function(bytes, info)
			local p = f.parse(bytes, { first = "icmp6" })
			if p.icmp6.type == 129 then
				print(info.src, info.hlim, info.ttl, p.icmp6.id, p.icmp6.seq)
				s:close()
			end
		end)
		s:sendto(f.build{ f.icmp6{ type = 128, id = 5, seq = 6 }, "ping" }, "::1")
	`, luaModules()...)
	if want := "6\t58\n::1\t64\t64\t5\t6\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestLuaErrors(t *testing.T) {
	testlab.Privileged(t)
	tests := []struct{ name, code, want string }{
		{"proto name", `rawip.open{ proto = "icmpp", netns = a }`,
			`bad argument #1 to 'open' (option 'proto' is "icmpp": use ah, esp, gre, icmp, icmp6, igmp, raw, sctp, tcp, udp or a number)`},
		{"no proto", `rawip.open{ netns = a }`, "bad argument #1 to 'open' (option 'proto' is required: icmp, udp, ... or a number)"},
		{"no table", `rawip.open()`, "bad argument #1 to 'open' (table expected, got no value)"},
		{"unknown option", `rawip.open{ proto = "icmp", ttll = 3 }`, "bad argument #1 to 'open' (unknown option 'ttll', have: broadcast, device, family, hdrincl, netns, proto, ttl)"},
		{"family", `rawip.open{ proto = "icmp", family = 5 }`, "bad argument #1 to 'open' (option 'family' is 5: use 4 or 6)"},
		{"device", `rawip.open{ proto = "icmp", device = "veth9", netns = a }`, "rawip.open: veth9: no such interface (have: lo, veth0)"},
		{"hdrincl v6", `rawip.open{ proto = "udp", family = 6, hdrincl = true, netns = a }`,
			"rawip.open: udp: hdrincl is for IPv4 sockets: IPv6 raw sockets send no IP header"},
		{"wrong family", `rawip.open{ proto = "icmp", netns = a }:sendto("xxxxxxxx", "2001:db8::1")`,
			"rawip.sendto: 2001:db8::1: IPv6 address for an IPv4 socket (family 4)"},
		{"not an address", `rawip.open{ proto = "icmp", netns = a }:sendto("xxxxxxxx", "b.example")`,
			`bad argument #2 to 'sendto' ("b.example" is not an IP address (rawip.resolve looks names up))`},
		{"short header", `rawip.open{ proto = "raw", netns = a }:sendto("short", b.ip)`,
			"rawip.sendto: 198.18.0.2: packet of 5 bytes is under the minimum of 20 bytes (an IPv4 header: with hdrincl the packet starts with one)"},
		{"closed", `local s = rawip.open{ proto = "icmp", netns = a }; s:close(); s:close(); s:recv(0)`,
			"rawip.recv: icmp: the socket is closed"},
		{"resolve", `rawip.resolve("no-such-host.invalid")`, "rawip.resolve: no-such-host.invalid: no such host"},
		{"source", `rawip.source("nope")`, `bad argument #1 to 'source' ("nope" is not an IP address (rawip.resolve looks names up))`},
		{"unreachable", `rawip.source("203.0.113.1", { netns = a })`, "rawip.source: 203.0.113.1: connect: network is unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testlab.RunLua(t, `local lab, rawip = require "lab", require "rawip"; local a, b = lab.pair(); `+tt.code, luaModules()...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant %q", err, tt.want)
			}
		})
	}
}

// A deferred sendto after ^C sends: the runtime's cleanup runs under a
// fresh context, and the socket follows it.
func TestLuaSendtoInDeferAfterInterrupt(t *testing.T) {
	testlab.Privileged(t)
	out, err := testlab.RunLuaWith(t, `
		local lab, rawip, f, loop = require "lab", require "rawip", require "frame", require "loop"
		local a, b = lab.pair()
		local s = rawip.open{ proto = "icmp", netns = a }
		loop.defer(function()
			print("deferred", pcall(s.sendto, s, f.build{ f.icmp4{ type = 8 }, "x" }, b.ip))
		end)
		s:recv()
	`, func(rt *luabind.Runtime) {
		time.AfterFunc(200*time.Millisecond, func() { rt.Interrupt(&luabind.Interrupt{Signal: os.Interrupt}) })
	}, luaModules()...)
	if err == nil || !strings.Contains(err.Error(), "interrupted") || !strings.HasPrefix(out, "deferred\ttrue\t9\t") {
		t.Errorf("got %q, %v; want the deferred sendto to send 9 bytes", out, err)
	}
}
