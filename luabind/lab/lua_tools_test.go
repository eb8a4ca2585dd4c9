package lab

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// lab:pingall's table holds ping's verdicts: the pair with a drop rule
// (nft inside b, IPv4) is false, the others true, and print writes the
// matrix, of IPv6 too where ends have it;
// lab:show and lab:dot return the views, dot also to its file.
func TestToolsFromLua(t *testing.T) {
	testlab.Privileged(t)
	file := filepath.Join(t.TempDir(), "lab.dot")
	code := `
		local lab = require "lab"
		local n = lab.new()
		local a, b, c = n:host("a"), n:host("b"), n:host("c")
		n:lan(a, b, c)
		b:exec{"nft", "add table ip t; add chain ip t in { type filter hook input priority 0; }; add rule ip t in ip saddr 198.18.0.3 icmp type echo-request drop"}
		local r = n:pingall{ print = true, timeout = 1 }
		print(r.sent, r.received, r.matrix.a.b, r.matrix.c.b, r.matrix.b.c, r.matrix.sw1, r.matrix6 and r.matrix6.c.b)
		print(select(2, c:exec{"ping", "-c1", "-W1", "198.18.0.2"}), select(2, b:exec{"ping", "-c1", "-W1", "198.18.0.3"}))
		print(n:show():match("^lab: 4 hosts, 3 links\n") ~= nil, n:dot(FILE):match("^graph lab {") ~= nil)
	`
	out := testlab.MustLua(t, strings.ReplaceAll(code, "FILE", strconv.Quote(file)), luaModules()...)
	want := "*** Ping: testing ping reachability\na -> b c \nb -> a c \nc -> a X \n*** Results: 16% dropped (5/6 received)\n" +
		"6\t5\ttrue\tfalse\ttrue\tnil\tnil\n"
	if labIPv6 { // the rule drops IPv4 only
		want = strings.Replace(want, "6\t5\ttrue\tfalse\ttrue\tnil\tnil\n", "*** Ping6: testing ping6 reachability\n"+
			"a -> b c \nb -> a c \nc -> a b \n*** Results: 0% dropped (6/6 received)\n12\t11\ttrue\tfalse\ttrue\tnil\ttrue\n", 1)
	}
	want += "1\t0\n" + "true\ttrue\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	b, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(b), `"a" -- "sw1"`) {
		t.Errorf("the DOT file: %v\n%s", err, b)
	}
}

// lab.new{ private = true } gives hosts a dir whose etc/resolv.conf is
// what their programs read at /etc/resolv.conf (cat, run inside, is the
// oracle); lab.pair takes the option too, and other hosts have no dir.
func TestPrivateFromLua(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local n = lab.new{ private = true }
		local h = n:host("h1")
		local f = assert(io.open(h.dir .. "/etc/resolv.conf", "w"))
		f:write("nameserver 198.18.0.53\n")
		f:close()
		print((h:exec{ "cat", "/etc/resolv.conf" }))
		local a, b = lab.pair{ private = true }
		print(a.host.dir ~= nil and a.host.dir ~= b.host.dir, (a:exec{ "getent", "ahostsv4", "b" }):match("^%S+") == b.ip)
		print(lab.new():host("x").dir)
	`, luaModules()...)
	want := "nameserver 198.18.0.53\n\ntrue\ttrue\nnil\n"
	if out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}
