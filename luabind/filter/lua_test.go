package filter_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
print(tostring(filter.compile("ip")))`, luaModules()...)
	want := "udp and dst port 53\t16\ttrue\tfalse\tfalse\n" +
		"true\tfalse\n" +
		"true\ttrue\n" +
		"filter \"ip\" (4 instructions)\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// TestLuaMatchOriginalLength reads a capture cut to 40 bytes with
// pcap.read and matches its records with their info: len, less and
// greater count what tcpdump -r counts on the same file.
func TestLuaMatchOriginalLength(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	file := filepath.Join(t.TempDir(), "cut.pcap")
	exprs := []string{"greater 100", "less 80", "len = 160", "len > 60 and len < 200", "udp and len >= 120"}
	code := strings.NewReplacer("FILE", fmt.Sprintf("%q", file), "EXPRS", `{"`+strings.Join(exprs, `", "`)+`"}`)
	out := testlab.MustLua(t, code.Replace(luaFrames+`
local pcap = require "pcap"
local w = pcap.writer(FILE, { snaplen = 40 })
for pad = 0, 200, 25 do w:write(dns .. ("\0"):rep(pad)); w:write(arp .. ("\0"):rep(pad)) end
w:close()
for _, e in ipairs(EXPRS) do
  local p, n, m = filter.compile(e), 0, 0
  for bytes, info in pcap.read(FILE) do
    if p:match(bytes, info) then n = n + 1 end
    if p:match(bytes, info.len) then m = m + 1 end
  end
  print(n, m)
end`), luaModules()...)
	var want strings.Builder
	for _, e := range exprs {
		got, err := exec.Command(tcpdump, "-r", file, "-n", "--", e).Output()
		if err != nil {
			t.Fatalf("tcpdump -r %s %q: %v", file, e, err)
		}
		n := strings.Count(string(got), "\n")
		fmt.Fprintf(&want, "%d\t%d\n", n, n)
	}
	if out != want.String() {
		t.Errorf("records matched by %q (with info, with info.len):\n%s\ntcpdump -r:\n%s", exprs, out, want.String())
	}
}

func TestLuaDumpAndExplain(t *testing.T) {
	out := testlab.MustLua(t, `local filter = require "filter"
local p = filter.compile("ip")
print(p:dump() .. filter.compile("tcp dst port 80 or 8080 and not src host 10.0.0.1"):explain())`, luaModules()...)
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
		{`filter.compile("ip"):match("abc", 2)`, "bad argument #2 to 'match' (the original length 2 is less than the 3 bytes given)"},
		{`filter.compile("ip"):match("abc", true)`, "bad argument #2 to 'match' (number or table expected, got boolean)"},
		{`filter.compile("ip"):match("abc", 2^32)`, "bad argument #2 to 'match' (the original length 4294967296 is more than 32 bits hold)"},
		{`local p = filter.compile("ip"); p.match(42, "x")`, "calling 'match' on bad self (filter.program expected, got number)"},
	} {
		_, err := testlab.RunLua(t, `local filter = require "filter"; `+tc.code, luaModules()...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s", tc.code, err, tc.want)
		}
	}
}
