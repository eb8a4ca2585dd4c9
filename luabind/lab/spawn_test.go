package lab

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// spawnHookLua pings b from a through host:spawn while an nfqueue hook
// in b, in the same script, judges the echo requests: it drops those of
// seq 2 and 4. The hook can only answer while p:wait() runs the loop.
const spawnHookLua = `
local lab, nfq = require "lab", require "nfqueue"
local a, b = lab.pair()
local seen = {}
local h = nfq.hook({ proto = "icmp", netns = b }, function(pkt)
	if pkt.icmp4.type ~= 8 then return "accept" end
	seen[#seen + 1] = pkt.icmp4.seq
	if pkt.icmp4.seq == 2 or pkt.icmp4.seq == 4 then return "drop" end
	return "accept"
end)
local p = a:spawn{ "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2", b.ip }
print("status", p:wait(30))
print("seen", table.concat(seen, " "))
io.write((p:read()))
h:close()
`

// An nfqueue hook judges the packets of a ping that host:spawn runs in
// the same script: ping's own statistics count the two requests the hook
// dropped as lost, and the hook saw all five.
func TestSpawnBesideNfqueueHook(t *testing.T) {
	testlab.Privileged(t)
	testlab.NeedTool(t, "ping", "iputils-ping")
	script := filepath.Join(t.TempDir(), "hook.lua")
	if err := os.WriteFile(script, []byte(spawnHookLua), 0o644); err != nil {
		t.Fatal(err)
	}
	res := testlab.Run(t, "", script)
	if res.Code != 0 {
		t.Fatalf("netlua exited %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	// ping exits 0 when some reply came (iputils: 1 only when none did).
	for _, want := range []string{
		`(?m)^status\t0$`,
		`(?m)^seen\t1 2 3 4 5$`,
		`(?m)^5 packets transmitted, 3 received, 40% packet loss`,
		`(?m)^64 bytes from 198\.18\.\d+\.2: icmp_seq=5 `,
	} {
		if !regexp.MustCompile(want).MatchString(res.Stdout) {
			t.Errorf("output lacks %s\n%s%s", want, res.Stdout, res.Stderr)
		}
	}
}

// What host:spawn started is gone once netlua has ended, however it
// ended, SIGKILL included, and so is what it left in its process group:
// the kernel ends the host's PID namespace with netlua.
func TestSpawnedDieWithNetlua(t *testing.T) {
	testlab.Privileged(t)
	prelude := `local a = require("lab").new():host("a")
local function spawn(argv) return a:spawn(argv) end`
	for _, e := range testlab.Endings {
		t.Run(e.Name, func(t *testing.T) { testlab.CheckSpawnedGone(t, prelude, e, false) })
	}
}

// host:spawn runs the program where exec runs it: in the host's network
// and PID namespaces (the kernel's inode numbers of both, read by the
// program itself, match exec's); ends spawn on their host.
func TestSpawnRunsInsideTheHost(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local a, b = lab.pair()
		local probe = { "readlink", "/proc/self/ns/net", "/proc/self/ns/pid" }
		for _, h in ipairs{ a.host, b } do
			local p = h:spawn(probe)
			local status = p:wait(10)
			print(status, p:read() == h:exec(probe))
		end
		local other = a:exec(probe)
		print(other ~= b:exec(probe))
	`, luaModules()...)
	if want := "0\ttrue\n0\ttrue\ntrue\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// A closed lab spawns nothing, and says why; lab:close() ends what its
// hosts spawned.
func TestSpawnAndClose(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab = require "lab"
		local l = lab.new()
		local a = l:host("a")
		local p = a:spawn{ "sleep", "1000" }
		l:close()
		print(p:wait(10))
		print(pcall(a.spawn, a, { "true" }))
	`, luaModules()...)
	if want := "137\nfalse\t<string>:8: lab.spawn: a: the lab is closed\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// kill signals the process group of a program spawned in a host, by the
// numbers netlua sees: the child the shell left in its group dies too,
// as pgrep inside the host tells.
func TestSpawnKill(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local a = require("lab").new():host("a")
		local function child() return select(2, a:exec{ "pgrep", "-f", "^sleep 1000$" }) == 0 end
		local p = a:spawn{ "sh", "-c", "sleep 1000 & exec sleep 1001" }
		local deadline = now() + 10
		while not child() and now() < deadline do p:wait(0.01) end
		print(child(), p:wait(0.01), p:kill("KILL"), p:wait(10), p:kill())
		while child() and now() < deadline do sleep(0.01) end
		print(child())
	`, luaModules()...)
	if want := "true\tnil\ttrue\t137\tfalse\nfalse\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}
