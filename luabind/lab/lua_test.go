package lab

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

func TestPairFields(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local a, b = lab.pair()
		for _, e in ipairs{a, b} do
			print(e.name, e.ifname, e.mac, e.ip, e.prefix, e.cidr, e.ifindex > 1, e.netns, e.host.name)
		end
		print(a.peer == b, b.peer == a, a.host == a.host, #a.host.ifaces, a.host.ifaces[1] == a, a.host.netns)
		print(tostring(a))
	`, luaModules()...)
	want := "a\tveth0\t02:00:c6:12:00:01\t198.18.0.1\t24\t198.18.0.1/24\ttrue\tnil\ta\n" +
		"b\tveth0\t02:00:c6:12:00:02\t198.18.0.2\t24\t198.18.0.2/24\ttrue\tnil\tb\n" +
		"true\ttrue\ttrue\t1\ttrue\tnil\n" +
		"lab end a veth0 02:00:c6:12:00:01 198.18.0.1/24\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestPairEndsPing(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local a, b = lab.pair()
		local out, status = a:exec{"ping", "-c1", "-W1", b.ip}
		print(status)
		print(out)
		print((b:exec{"ping", "-c1", "-W1", a.ip}))
	`, luaModules()...)
	if !strings.HasPrefix(out, "0\n") || strings.Count(out, "1 received") != 2 {
		t.Errorf("ping failed:\n%s", out)
	}
}

func TestManyPairsGetDistinctSubnets(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local last
		for i = 1, 12 do
			local a, b = lab.pair()
			print(a.cidr, b.cidr)
			last = {a, b}
		end
		local _, status = last[1]:exec{"ping", "-c1", "-W1", last[2].ip}
		print("ping", status)
	`, luaModules()...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	seen := map[string]bool{}
	for i, line := range lines[:12] {
		a, b, _ := strings.Cut(line, "\t")
		subnet := strings.TrimSuffix(a, "1/24")
		if b != subnet+"2/24" || seen[subnet] {
			t.Errorf("pair %d: %s and %s: not a fresh /24", i+1, a, b)
		}
		seen[subnet] = true
	}
	if lines[12] != "ping\t0" {
		t.Errorf("the 12th pair does not ping: %s", lines[12])
	}
}

// lab:close gives the lab's subnets back: 600 labs made and closed in
// turn (more than the 512 /24s there are) all link, on the lowest free
// subnet, while an open lab keeps its own.
func TestClosedLabsFreeTheirSubnets(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local keep = lab.pair()
		local last
		for i = 1, 600 do
			local n = lab.new()
			last = n:link(n:host("a"), n:host("b")).cidr
			n:close()
		end
		print(keep.cidr, last)
	`, luaModules()...)
	if want := "198.18.0.1/24\t198.18.1.1/24\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// host:sysctl and host:forward change the host's own namespace and no
// other, as a program inside it reads them; names outside net.* are
// refused, as they would reach the whole machine.
func TestSysctlAndForward(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local a, b = lab.pair()
		local function cat(h, name)
			local out = h:exec{ "cat", "/proc/sys/" .. name:gsub("%.", "/") }
			return (out:gsub("\n$", ""))
		end
		a:forward()
		print(cat(a, "net.ipv4.ip_forward"), cat(a, "net.ipv6.conf.all.forwarding"), cat(b, "net.ipv4.ip_forward"))
		print(a:sysctl("net.ipv4.ip_forward"), b.host:sysctl("net/ipv4/ip_forward"))
		print(b:sysctl("net.ipv4.conf.veth0.rp_filter", 2), cat(b, "net.ipv4.conf.veth0.rp_filter"), cat(a, "net.ipv4.conf.veth0.rp_filter"))
		a:forward(false)
		print(cat(a, "net.ipv4.ip_forward"))
		print(pcall(a.sysctl, a, "kernel.hostname", "x"))
		print(pcall(a.sysctl, a, "net.ipv4.no_such_thing"))
	`, luaModules()...)
	want := "1\t1\t0\n1\t0\n2\t2\t0\n0\n" +
		"false\t<string>:14: lab.sysctl: a kernel.hostname: \"kernel.hostname\" is not a net.* sysctl: only those belong to a host\n" +
		"false\t<string>:15: lab.sysctl: a net.ipv4.no_such_thing: no such sysctl (/proc/sys/net/ipv4/no_such_thing)\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// lab.pair's end and a lab.new host link together, and traffic crosses.
func TestLabTopology(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local a, b = lab.pair()
		local n = lab.new()
		local r1, r2 = n:host("r1"), n:host()
		local x, y = n:link(a, r1)
		local p, q = n:link(r1, r2)
		print(x.ifname, x.cidr, y.ifname, y.cidr, p.ifname, q.ifname, r2.name)
		print(#n.hosts, n.hosts[1] == r1, #r1.ifaces, n.pin)
		print(select(2, r1:exec{"ping", "-c1", "-W1", x.ip}), select(2, q:exec{"ping", "-c1", "-W1", p.ip}))
		n:close()
		n:close()
		print(select(2, a:exec{"ping", "-c1", "-W1", b.ip}))
	`, luaModules()...)
	want := "veth1\t198.18.1.1/24\tveth0\t198.18.1.2/24\tveth1\tveth0\th2\n" +
		"2\ttrue\t2\tfalse\n" +
		"0\t0\n" +
		"0\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestExecFromLua(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local a = lab.pair()
		print(a:exec({"cat"}, {stdin = "in"}))
		print(a:exec({"sh", "-c", "exit 7"}))
		print(a:exec({"sleep", 5}, {timeout = 0.1}))
		print(a.host:exec{"echo", 1, "x"})
	`, luaModules()...)
	want := "in\t0\n\t7\n\t124\n1 x\n\t0\n"
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

func TestLuaErrors(t *testing.T) {
	testlab.Privileged(t)
	tests := []struct{ name, code, want string }{
		{"pair options type", `lab.pair(5)`, "bad argument #1 to 'pair' (table expected, got number)"},
		{"pair unknown option", `lab.pair{pinn = true}`, "bad argument #1 to 'pair' (unknown option 'pinn', have: ipv6, pin, private)"},
		{"pin type", `lab.new{pin = "yes"}`, "bad argument #1 to 'new' (option 'pin' expects a boolean, got string)"},
		{"host name type", `lab.new():host(5)`, "bad argument #1 to 'host' (string expected, got number)"},
		{"host on a non-lab", `local n = lab.new(); n.host(5)`, "calling 'host' on bad self"},
		{"same host name", `local n = lab.new(); n:host("r"); n:host("r")`, "lab.host: r: the lab has a host of that name"},
		{"bad host name", `lab.new():host("a b")`, `lab.host: "a b" is not a host name`},
		{"link a number", `local n = lab.new(); n:link(n:host(), 2)`, "bad argument #2 to 'link' (lab host or end expected, got number)"},
		{"link a host to itself", `local n = lab.new(); local r = n:host("r1"); n:link(r, r)`, "lab.link: r1 and r1 are the same host"},
		{"exec a string", `local a = lab.pair(); a:exec("ls")`, "bad argument #1 to 'exec' (table expected, got string)"},
		{"exec nothing", `local a = lab.pair(); a:exec{}`, "bad argument #1 to 'exec' (empty command)"},
		{"exec a table word", `local a = lab.pair(); a:exec{"ls", {}}`, "bad argument #1 to 'exec' (command word 2 is a table, want a string)"},
		{"exec unknown option", `local a = lab.pair(); a:exec({"ls"}, {timout = 1})`, "unknown option 'timout', have: stdin, timeout"},
		{"exec zero timeout", `local a = lab.pair(); a:exec({"ls"}, {timeout = 0})`, "(option 'timeout' must be positive)"},
		{"exec missing command", `local a = lab.pair(); a:exec{"netlua-no-such-command"}`, `lab.exec: a: exec: "netlua-no-such-command": executable file not found in $PATH`},
	}
	checkLuaErrors(t, tests)
}

// checkLuaErrors runs each test's code after require "lab" and checks
// that it raises an error holding want, and no Go trace.
func checkLuaErrors(t *testing.T, tests []struct{ name, code, want string }) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testlab.RunLua(t, `local lab = require "lab"; `+tt.code, luaModules()...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "goroutine ") {
				t.Errorf("a Go trace reached the user: %v", err)
			}
		})
	}
}

// netFDs counts this process's descriptors that hold a network namespace.
func netFDs(t *testing.T) int {
	t.Helper()
	links, _ := filepath.Glob("/proc/self/fd/*")
	n := 0
	for _, l := range links {
		if target, err := os.Readlink(l); err == nil && strings.HasPrefix(target, "net:[") {
			n++
		}
	}
	return n
}

// Closing a runtime (its ledger) releases every namespace, even after an error.
// The pins checked are the ones the scripts report having made, each seen
// mounted while its runtime ran, so no other process's names count.
func TestRuntimeCloseReleasesNamespaces(t *testing.T) {
	testlab.Privileged(t)
	before := netFDs(t)
	var pins []string
	seen := func(rt *luabind.Runtime) {
		rt.L.SetGlobal("pinned", rt.L.NewFunction(func(L *lua.LState) int {
			name := L.CheckString(1)
			if !testlab.IsPinned(name) {
				t.Errorf("%s: not a namespace while the lab is open", testlab.PinPath(name))
			}
			pins = append(pins, testlab.PinPath(name))
			return 0
		}))
	}
	testlab.MustLuaWith(t, `local lab = require "lab"; lab.pair()
		local a, b = lab.pair{pin = true}; pinned(a.netns); pinned(b.netns)
		lab.new():host()`, seen, luaModules()...)
	_, err := testlab.RunLuaWith(t, `local lab = require "lab"; lab.pair()
		local a, b = lab.pair{pin = true}; pinned(a.netns); pinned(b.netns)
		error("boom")`, seen, luaModules()...)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("second script: %v, want its boom", err)
	}
	if len(pins) != 4 {
		t.Fatalf("pins reported: %v, want 4", pins)
	}
	if after := netFDs(t); after != before {
		t.Errorf("%d namespace descriptors before, %d after", before, after)
	}
	for _, path := range pins {
		if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("pin left behind: %s (%v)", path, err)
		}
	}
}

// host:sysctl{...} sets several at once and reads them back, as a
// program inside the host reads them; a bad entry is an argument error.
func TestSysctlTable(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local a, b = lab.pair()
		local v = a:sysctl{ ["net.ipv4.ip_forward"] = 1, ["net.ipv4.conf.veth0.rp_filter"] = "2" }
		print(v["net.ipv4.ip_forward"], v["net.ipv4.conf.veth0.rp_filter"])
		print((a:exec{ "cat", "/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv4/conf/veth0/rp_filter" }:gsub("\n", " ")))
		print(pcall(a.sysctl, a, { [1] = 2 }))
	`, luaModules()...)
	want := "1\t2\n1 2 \nfalse\t<string>:7: bad argument #1 to 'sysctl' (settings are { [name] = value }, names strings and values strings or numbers: got number = number)\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
