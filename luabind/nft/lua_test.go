package nft

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// badInput are calls that must fail before netlua touches the kernel.
// Each names a namespace that does not exist, so that a call that wrongly
// passed the checks would fail there, never reaching a real ruleset.
var badInput = []struct{ name, code, want string }{
	{"options not a table", `nft.drop(5)`, "bad argument #1 to 'drop' (table expected, got number)"},
	{"unknown option", `nft.drop{hokk = "input", netns = NS}`, "bad argument #1 to 'drop' (unknown option 'hokk', have: contains, dport, dst, family, hook, iface, netns, oface, persist, proto, sport, src)"},
	{"unknown hook", `nft.accept{hook = "inptu", netns = NS}`, "bad argument #1 to 'accept' (option 'hook' names no hook: 'inptu' (have: forward, ingress, input, output, postrouting, prerouting))"},
	{"dport too big", `nft.drop{proto = "tcp", dport = 70000, netns = NS}`, "bad argument #1 to 'drop' (option 'dport' must be a port 0..65535, a range \"from-to\" or {from, to}, got 70000)"},
	{"dport negative", `nft.drop{proto = "tcp", dport = -1, netns = NS}`, "option 'dport' must be a port 0..65535"},
	{"dport fraction", `nft.drop{proto = "tcp", dport = 80.5, netns = NS}`, "option 'dport' must be a port 0..65535"},
	{"dport bad range", `nft.drop{proto = "tcp", dport = "80-x", netns = NS}`, `option 'dport' must be a port 0..65535, a range "from-to" or {from, to}, got "80-x"`},
	{"dport half table", `nft.drop{proto = "tcp", dport = {80}, netns = NS}`, "option 'dport' must be a port 0..65535, a range \"from-to\" or {from, to}, got a table"},
	{"sport reversed", `nft.drop{proto = "udp", sport = {90, 80}, netns = NS}`, "option 'sport' range 90-80 is empty"},
	{"dport without proto", `nft.drop{dport = 80, netns = NS}`, "bad argument #1 to 'drop' (option 'dport' needs proto = \"tcp\""},
	{"unknown proto", `nft.drop{proto = "tcpp", netns = NS}`, "option 'proto' must be a protocol number 1..255 or one of ah, dccp, esp, gre, icmp, icmpv6, sctp, tcp, udp, udplite, got \"tcpp\""},
	{"proto 0", `nft.drop{proto = 0, netns = NS}`, "option 'proto' must be a protocol number 1..255"},
	{"family 5", `nft.count{family = 5, netns = NS}`, "bad argument #1 to 'count' (option 'family' must be 4, 6, \"ipv4\" or \"ipv6\", got 5)"},
	{"bad address", `nft.drop{src = "198.18.0.300", netns = NS}`, "option 'src' is not an address or prefix: '198.18.0.300'"},
	{"family against address", `nft.drop{family = 6, dst = "198.18.0.1", netns = NS}`, "option 'dst' is an IPv4 address where the rule matches IPv6"},
	{"long iface", `nft.drop{iface = "a-very-long-name", netns = NS}`, "option 'iface' is not an interface name: 'a-very-long-name'"},
	{"contains too long", `nft.drop{contains = string.rep("x", 129), netns = NS}`, "bad argument #1 to 'drop' (option 'contains' is 129 bytes long; the kernel's string match takes at most 128)"},
	{"contains empty", `nft.drop{contains = "", netns = NS}`, "option 'contains' is empty"},
	{"contains a number", `nft.drop{contains = 5, netns = NS}`, "option 'contains' expects a string, got number"},
	{"ingress without iface", `nft.drop{hook = "ingress", netns = NS}`, "option 'hook' 'ingress' needs iface"},
	{"iface on output", `nft.drop{hook = "output", iface = "lo", netns = NS}`, "option 'iface' cannot match in hook 'output'"},
	{"reject in prerouting", `nft.reject{hook = "prerouting", netns = NS}`, "option 'hook' 'prerouting' cannot reject: reject works in input, forward and output"},
	{"persist not a boolean", `nft.drop{persist = "yes", netns = NS}`, "option 'persist' expects a boolean, got string"},
	{"netns a number", `nft.drop{netns = 5}`, "option 'netns' expects a lab host or end, or a namespace name, got number"},
	{"netns unknown", `nft.drop{netns = NS}`, "nft.drop: netns netlua-test-no-such-namespace: no such network namespace"},
}

func TestBadInput(t *testing.T) {
	for _, tt := range badInput {
		t.Run(tt.name, func(t *testing.T) {
			code := `local nft = require "nft"; NS = "netlua-test-no-such-namespace"; ` + tt.code
			_, err := testlab.RunLua(t, code, luaModules()...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "goroutine ") {
				t.Errorf("a Go trace reached the user: %v", err)
			}
		})
	}
}

func TestRuleFromLua(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local nft = require "nft"
		local a, b = lab.pair()
		local r = nft.drop{ proto = "icmp", src = a.ip, netns = b }
		print(r)
		print(r.handle, r.table, r.chain, r.action, r.match, r.deleted)
		local out, status = a:exec{ "ping", "-c3", "-i", "0.01", "-W", "0.3", b.ip }
		local c = r:counter()
		print(status, c.packets, c.bytes)
		local n = nft.count{ proto = "udp", dport = "5000-5010", netns = b }
		print(#nft.rules(), nft.rules()[1] == r, nft.rules()[2] == n)
		r:delete(); r:delete()
		print(r.deleted, #nft.rules(), select(2, a:exec{ "ping", "-c1", "-W1", b.ip }))
		print(pcall(r.counter, "x"))
		print(pcall(r.counter, r))
	`, luaModules()...)
	want := "inet netlua input: ip saddr 198.18.0.1 meta l4proto icmp counter drop # handle 2\n" +
		"2\tinet netlua\tinput\tdrop\tip saddr 198.18.0.1 meta l4proto icmp\tfalse\n" +
		"1\t3\t252\n" + // ping fails; the counter saw 3 echo requests of 84 bytes
		"2\ttrue\ttrue\n" +
		"true\t1\t0\n" +
		"false\t<string>:15: calling 'counter' on bad self (nft.rule expected, got string)\n" +
		"false\t<string>:16: nft.counter: rule 2: the rule is deleted\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// persist = true keeps the table after netlua ends, and says how to
// remove it.
func TestPersistFromLua(t *testing.T) {
	labtest.Pair(t) // the privilege check; the script makes its own lab
	out := labtest.MustLua(t, `
		local lab = require "lab"
		local nft = require "nft"
		local a, b = lab.pair()
		print(nft.accept{ proto = "udp", persist = true, netns = b })
		print(nft.drop{ proto = "udp", netns = b })
	`, luaModules()...)
	want := "nft: table inet netlua_persist stays after netlua ends (persist = true); remove it with: " +
		"nft delete table inet netlua_persist inside its network namespace\n" +
		"inet netlua_persist input: meta l4proto udp counter accept # handle 2\n" +
		"inet netlua input: meta l4proto udp counter drop # handle 2\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
