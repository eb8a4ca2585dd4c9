package nfqueue

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

func TestBadInput(t *testing.T) {
	// Each call names a namespace that does not exist, so that a call that
	// wrongly passed the checks fails there, never reaching a real ruleset.
	tests := []struct{ name, code, want string }{
		{"no function", `nfq.hook({ netns = NS })`, "bad argument #2 to 'hook' (function expected, got no value)"},
		{"options a string", `nfq.hook("tcp", print)`, "bad argument #1 to 'hook' (table expected, got string)"},
		{"unknown option", `nfq.hook({ port = 80, netns = NS }, print)`, "bad argument #1 to 'hook' (unknown option 'port', have: contains, dport, dst, family, fix, hook, iface, netns, oface, proto, sport, src)"},
		{"unknown hook", `nfq.hook({ hook = "in", netns = NS }, print)`, "option 'hook' names no hook: 'in'"},
		{"dport out of range", `nfq.hook({ proto = "tcp", dport = 65536, netns = NS }, print)`, "option 'dport' must be a port 0..65535"},
		{"fix not a boolean", `nfq.hook({ fix = 1, netns = NS }, print)`, "option 'fix' expects a boolean, got number"},
		{"no namespace", `nfq.hook({ netns = NS }, print)`, "nfqueue.hook: netns netlua-test-no-such-namespace: no such network namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testlab.RunLua(t, `local nfq = require "nfqueue"; NS = "netlua-test-no-such-namespace"; `+tt.code, luaModules()...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant %q", err, tt.want)
			}
		})
	}
}

// The function sees each packet with its metadata and layers, and its
// answer decides: accept, drop, new bytes; an error or a wrong answer is
// reported and the packet accepted.
func TestHookFromLua(t *testing.T) {
	labtest.Pair(t) // the privilege check; the script makes its own lab
	out := labtest.MustLua(t, `
		local lab = require "lab"
		local nfq = require "nfqueue"
		local loop = require "loop"
		local a, b = lab.pair()
		local received = udp_listen(b, 9999)
		local seen = {}
		local h = nfq.hook({ proto = "udp", dport = 9999, netns = b }, function(pkt)
			seen[#seen + 1] = string.format("%d %s %d %s %s>%s %d %q", pkt.id, pkt.ifname, pkt.mark,
				pkt.hook, pkt.ipv4.src, pkt.ipv4.dst, pkt.udp.dport, pkt.payload)
			local p = pkt.payload
			if p == "drop me" then return "drop" end
			if p == "change me" then return (pkt.bytes:gsub("change me", "changed, and longer")) end
			if p == "error" then error("boom") end
			if p == "a number" then return 42 end
			if p == "nothing" then return end
			return "accept"
		end)
		print(h.queue, h.rule, h.packets, h.closed)
		for _, p in ipairs{ "one", "drop me", "change me", "error", "a number", "nothing", "two" } do
			udp_send(a, 9999, p)
		end
		local timeout = loop.after(5, function() print("timed out"); loop.stop() end)
		loop.every(0.02, function(t)
			if #received() < 6 then return end
			t:cancel(); timeout:cancel()
			print(table.concat(seen, "\n"))
			print(table.concat(received(), ","))
			print(h.packets)
			h:close(); h:close()
			print(h.closed, #require("nft").rules())
		end)
	`, luaModules()...)
	want := `1024	inet netlua input: udp dport 9999 counter queue num 1024 bypass # handle 2	0	false
nfqueue.hook: <string>:14: boom (packet accepted)
nfqueue.hook: the function returned a number: want "accept", "drop" or the packet's new bytes (packet accepted)
1 veth0 0 input 198.18.0.1>198.18.0.2 9999 "one"
2 veth0 0 input 198.18.0.1>198.18.0.2 9999 "drop me"
3 veth0 0 input 198.18.0.1>198.18.0.2 9999 "change me"
4 veth0 0 input 198.18.0.1>198.18.0.2 9999 "error"
5 veth0 0 input 198.18.0.1>198.18.0.2 9999 "a number"
6 veth0 0 input 198.18.0.1>198.18.0.2 9999 "nothing"
7 veth0 0 input 198.18.0.1>198.18.0.2 9999 "two"
one,changed, and longer,error,a number,nothing,two
7
true	0
`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// hook:close() removes the hook's entry from the cleanup ledger, as Close
// methods do, so that hooks opened and closed in a loop do not pile up
// until the script ends.
func TestCloseDropsTheLedgerEntry(t *testing.T) {
	labtest.Pair(t) // the privilege check; the script makes its own lab
	out, err := testlab.RunLuaWith(t, `
		local lab = require "lab"
		local nfq = require "nfqueue"
		local a, b = lab.pair()
		local before = ledger_len()
		local h = nfq.hook({ proto = "udp", dport = 9999, netns = b }, print)
		local open = ledger_len()
		h:close()
		print(open - ledger_len(), ledger_len() - before)
	`, func(rt *luabind.Runtime) {
		rt.L.SetGlobal("ledger_len", rt.L.NewFunction(func(L *lua.LState) int {
			L.Push(lua.LNumber(rt.Ledger.Len()))
			return 1
		}))
	}, luaModules()...)
	// What stays is the table of the nft module, which the hook prepared.
	if err != nil || out != "1\t1\n" {
		t.Errorf("ledger entries dropped by close, and left: %q, %v; want 1 and 1", out, err)
	}
}

// judgeUDP runs a hook on UDP to port 9999 in a lab whose function is
// fn(pkt), sends each of payloads to it, and waits until as many have
// arrived; then it closes the hook (which writes the errors it held) and
// prints the payloads received. It returns what the script wrote.
func judgeUDP(t *testing.T, fn string, payloads []string) string {
	t.Helper()
	labtest.Pair(t) // the privilege check; the script makes its own lab
	list := make([]string, len(payloads))
	for i, p := range payloads {
		list[i] = strconv.Quote(p)
	}
	return labtest.MustLua(t, fmt.Sprintf(`
		local lab = require "lab"
		local nfq = require "nfqueue"
		local loop = require "loop"
		local a, b = lab.pair()
		local received = udp_listen(b, 9999)
		local h = nfq.hook({ proto = "udp", dport = 9999, netns = b }, %s)
		local payloads = { %s }
		for _, p in ipairs(payloads) do
			udp_send(a, 9999, p)
		end
		local timeout = loop.after(10, function() print("timed out"); loop.stop() end)
		loop.every(0.02, function(t)
			if #received() < #payloads then return end
			t:cancel(); timeout:cancel()
			h:close()
			print(table.concat(received(), ","))
		end)
	`, fn, strings.Join(list, ", ")), luaModules()...)
}

// New bytes that the kernel could not take as the packet (more than an IP
// packet holds, or not an IP packet of the queued one's version) are an
// error of the function, reported with the rule; the packet passes as it
// came.
func TestInvalidNewBytes(t *testing.T) {
	out := judgeUDP(t, `function(pkt)
		local p = pkt.payload
		if p == "too long" then return pkt.bytes .. string.rep("x", 65536 - #pkt.bytes) end
		if p == "not ip" then return string.rep("x", 30) end
		if p == "ipv6" then return "\96" .. string.rep("\0", 47) end
		if p == "short header" then return "\66" .. pkt.bytes:sub(2) end
		return "accept"
	end`, []string{"too long", "not ip", "ipv6", "short header", "last"})
	rule := "new bytes must be an IP packet of the queued packet's version (IPv4 here), 20 to 65,535 bytes long (packet accepted)"
	head := "nfqueue.hook: the function returned 65536 bytes: " + rule + "\n" +
		"nfqueue.hook: the function returned 30 bytes that are not an IPv4 packet: " + rule + "\n"
	const received = "too long,not ip,ipv6,short header,last\n"
	forty := "nfqueue.hook: the function returned 40 bytes that are not an IPv4 packet: " + rule
	// The last two errors are like the second: counted when judged within
	// a second of it, as they are but on a stalled machine, else written.
	want := []string{
		head + forty + " (and 1 more like it)\n" + received,
		head + forty + "\n" + forty + "\n" + received,
	}
	if !slices.Contains(want, out) {
		t.Errorf("got\n%s\nwant\n%s", out, want[0])
	}
}

// A function that fails for every packet, each time with another message,
// writes a few lines, not one per packet; the lines still count every
// error.
func TestErrorsDoNotFlood(t *testing.T) {
	const n = 200
	out := judgeUDP(t, `function(pkt) error("bad packet " .. pkt.id) end`, slices.Repeat([]string{"x"}, n))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	lines = lines[:len(lines)-1] // the payloads received
	if len(lines) > 20 || errorsTold(lines) != n {
		t.Errorf("%d lines telling of %d errors, want a few telling of %d:\n%s", len(lines), errorsTold(lines), n, out)
	}
}
