package packet

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// Both ends of a lab pair in one script: five frames across, read back
// with sane info.
func TestLuaFiveFrames(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, packet, f = require "lab", require "packet", require "frame"
		local a, b = lab.pair()
		local sa = packet.open(a.ifname, { netns = a, proto = 0x88b6 })
		local sb = packet.open(b.ifname, { netns = b, proto = 0x88b5 })
		for i = 1, 5 do
			local frame = f.build{ f.ether{ src = a.mac, dst = b.mac, type = 0x88b5 }, ("frame %d"):format(i) .. ("."):rep(50) }
			assert(sa:send(frame) == #frame)
			local bytes, info = sb:recv(1)
			assert(bytes == frame, "bytes differ")
			assert(math.abs(info.ts - os.time()) < 2, "ts " .. info.ts .. " is not near now")
			print(i, info.ifname, info.ifindex == b.ifindex, info.proto, info.pkttype, info.src == a.mac, info.len)
		end
		print(sb:recv(0.05))
		local st = sb:stats()
		print(st.received, st.dropped)
	`, luaModules()...)
	var want strings.Builder
	for i := 1; i <= 5; i++ {
		want.WriteString(strings.Replace("N\tveth0\ttrue\t34997\thost\ttrue\t71\n", "N", string(rune('0'+i)), 1))
	}
	want.WriteString("nil\n5\t0\n")
	if out != want.String() {
		t.Errorf("got\n%s\nwant\n%s", out, want.String())
	}
}

func TestLuaFields(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, packet = require "lab", require "packet"
		local a = lab.pair()
		local s = packet.open(a.ifname, { netns = a })
		print(s.ifname, s.ifindex == a.ifindex, s.mac == a.mac, s.ip == a.ip, s.prefix, s.mtu, s.closed, s.nope)
		print(tostring(s))
		s:close()
		print(s.closed, tostring(s))
	`, luaModules()...)
	want := "veth0\ttrue\ttrue\ttrue\t24\t1500\tfalse\tnil\n" +
		"packet socket on veth0\n" +
		"true\tpacket socket on veth0 (closed)\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// Bad input gets Lua's own argument errors, or errors that name the call,
// the object and the cause; never a crash.
func TestLuaErrors(t *testing.T) {
	testlab.Privileged(t)
	tests := []struct{ name, code, want string }{
		{"no such interface", `packet.open("eth9", { netns = a })`,
			"packet.open: eth9: no such interface (have: lo, veth0)"},
		{"ifname type", `packet.open(5)`,
			"bad argument #1 to 'open' (string expected, got number)"},
		{"unknown option", `packet.open("veth0", { netns = a, promsic = true })`,
			"bad argument #2 to 'open' (unknown option 'promsic', have: filter, netns, promisc, proto)"},
		{"proto name", `packet.open("veth0", { netns = a, proto = "ipx" })`,
			`bad argument #2 to 'open' (option 'proto' is "ipx": use all, arp, ipv4, ipv6 or an EtherType number)`},
		{"proto number", `packet.open("veth0", { netns = a, proto = 70000 })`,
			"bad argument #2 to 'open' (option 'proto' is 70000: an EtherType is 1 to 0xffff)"},
		{"filter expression", `packet.open("veth0", { netns = a, filter = "udp port" })`,
			"packet.open: filter: expected a port number after 'port', got the end at column 9"},
		{"filter method", `packet.open("veth0", { netns = a }):filter(5)`,
			"bad argument #1 to 'filter' (string, table or nil expected, got number)"},
		{"filter table", `packet.open("veth0", { netns = a, filter = { { 6, 0, 0 } } })`,
			"bad argument #2 to 'open' (option 'filter' instruction 1: k must be an integer from 0 to 4294967295, got nil)"},
		{"filter rejected", `packet.open("veth0", { netns = a, filter = { { 0x15, 9, 0, 1 } } })`,
			"packet.open: veth0: filter: the kernel rejected the BPF program: invalid argument"},
		{"netns", `packet.open("veth0", { netns = 3 })`,
			"bad argument #2 to 'open' (option 'netns' expects a lab host or end, or a namespace name, got number)"},
		{"too big", `packet.open("veth0", { netns = a }):send(("x"):rep(1600))`,
			"packet.send: veth0: frame of 1600 bytes is over the limit of 1514 bytes (MTU 1500 + 14-byte link header)"},
		{"send type", `packet.open("veth0", { netns = a }):send(5)`,
			"bad argument #1 to 'send' (string expected, got number)"},
		{"bad self", `local s = packet.open("veth0", { netns = a }); s.send(5, "x")`,
			"calling 'send' on bad self (packet.socket expected, got number)"},
		{"recv closed", `local s = packet.open("veth0", { netns = a }); s:close(); s:close(); s:recv(1)`,
			"packet.recv: veth0: the socket is closed"},
		{"send closed", `local s = packet.open("veth0", { netns = a }); s:close(); s:send(("x"):rep(60))`,
			"packet.send: veth0: the socket is closed"},
		{"timeout", `packet.open("veth0", { netns = a }):recv(-1)`,
			"bad argument #1 to 'recv' (timeout must be 0 or more seconds)"},
		{"on", `packet.open("veth0", { netns = a }):on("x")`,
			"bad argument #1 to 'on' (function expected, got string)"},
		{"capture file", `packet.open("veth0", { netns = a }):capture{ count = 1 }`,
			"bad argument #1 to 'capture' (option 'file' is required: the pcap file to write)"},
		{"blast bound", `packet.open("veth0", { netns = a }):blast(("x"):rep(60), {})`,
			"bad argument #2 to 'blast' (give a count or a duration: a blast must end)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testlab.RunLua(t, `local lab, packet = require "lab", require "packet"; local a = lab.pair(); `+tt.code, luaModules()...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant %q", err, tt.want)
			}
		})
	}
}

// on() delivers frames through the loop; the script ends once the
// socket is closed, which releases the loop.
func TestLuaOn(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, packet, loop = require "lab", require "packet", require "loop"
		local a, b = lab.pair()
		local sa = packet.open(a.ifname, { netns = a, proto = 0x88b6 })
		local sb = packet.open(b.ifname, { netns = b, proto = 0x88b5 })
		local f = require "frame"
		local frame = f.build{ f.ether{ src = a.mac, dst = b.mac, type = 0x88b5 }, ("x"):rep(50) }
		local n = 0
		sb:on(function(bytes, info)
			n = n + 1
			print(n, #bytes, info.pkttype, info.ifname)
			if n == 3 then sb:close() end
		end)
		loop.after(0.05, function()
			for i = 1, 3 do sa:send(frame) end
		end)
	`, luaModules()...)
	want := "1\t64\thost\tveth0\n2\t64\thost\tveth0\n3\t64\thost\tveth0\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestLuaOnErrorEndsTheScript(t *testing.T) {
	testlab.Privileged(t)
	_, err := testlab.RunLua(t, `
		local lab, packet, loop = require "lab", require "packet", require "loop"
		local a, b = lab.pair()
		local sa = packet.open(a.ifname, { netns = a, proto = 0x88b6 })
		local sb = packet.open(b.ifname, { netns = b, proto = 0x88b5 })
		sb:on(function() error("callback failed") end)
		loop.after(0.05, function() sa:send("\2\0\198\18\0\2\2\0\198\18\0\1\136\181" .. ("x"):rep(50)) end)
	`, luaModules()...)
	if err == nil || !strings.Contains(err.Error(), "callback failed") {
		t.Errorf("got %v", err)
	}
}

// recv while on() is active would race the reader for frames.
// While on() takes a socket's frames, recv and capture would compete with
// its reader: both are errors.
func TestLuaRecvWhileOn(t *testing.T) {
	testlab.Privileged(t)
	for call, code := range map[string]string{
		"recv":    `s:recv(0)`,
		"capture": `s:capture{ file = "/dev/null/never.pcap", count = 1 }`,
	} {
		_, err := testlab.RunLua(t, `
			local lab, packet = require "lab", require "packet"
			local a = lab.pair()
			local s = packet.open(a.ifname, { netns = a })
			s:on(function() end)
			`+code, luaModules()...)
		if err == nil || !strings.Contains(err.Error(), "packet."+call+": veth0: packets go to the on() callback") {
			t.Errorf("%s: got %v", call, err)
		}
	}
}

func TestLuaFilterAndBlast(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, packet = require "lab", require "packet"
		local a, b = lab.pair()
		local sa = packet.open(a.ifname, { netns = a, proto = 0x88b6 })
		-- tcpdump -dd 'ether[63] = 7'
		local sb = packet.open(b.ifname, { netns = b, proto = 0x88b5, filter = {
			{ 0x30, 0, 0, 0x0000003f }, { 0x15, 0, 1, 0x00000007 },
			{ 0x6, 0, 0, 0x00040000 }, { code = 0x6, jt = 0, jf = 0, k = 0 } } })
		local head = "\2\0\198\18\0\2\2\0\198\18\0\1\136\181" .. ("x"):rep(49)
		for i = 1, 9 do sa:send(head .. string.char(i)) end
		local bytes = sb:recv(1)
		print(bytes:byte(64), sb:recv(0.05))
		sb:filter(nil)
		local r = sa:blast(head .. "\0", { count = 100 })
		print(r.sent, r.seconds > 0, r.pps > 0, sb:stats().received)
		sb:filter("ether[63] = 5 or ether[63] = 6") -- a tcpdump expression
		for i = 1, 9 do sa:send(head .. string.char(i)) end
		print(sb:recv(1):byte(64), sb:recv(1):byte(64), sb:recv(0.05))
	`, luaModules()...)
	if want := "7\tnil\n100\ttrue\ttrue\t101\n5\t6\tnil\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// After ^C, deferred functions still send: the interrupt of the run does
// not stick to the socket once the runtime has moved on to cleanup.
func TestLuaSendInDeferAfterInterrupt(t *testing.T) {
	testlab.Privileged(t)
	out, err := testlab.RunLuaWith(t, `
		local lab, packet, loop = require "lab", require "packet", require "loop"
		local a = lab.pair()
		local s = packet.open(a.ifname, { netns = a, proto = 0x88b6 })
		loop.defer(function() print("deferred", pcall(s.send, s, ("x"):rep(60))) end)
		s:recv()
	`, func(rt *luabind.Runtime) {
		time.AfterFunc(200*time.Millisecond, func() { rt.Interrupt(&luabind.Interrupt{Signal: os.Interrupt}) })
	}, luaModules()...)
	if err == nil || !strings.Contains(err.Error(), "interrupted") || out != "deferred\ttrue\t60\n" {
		t.Errorf("got %q, %v; want the deferred send to send 60 bytes", out, err)
	}
}
