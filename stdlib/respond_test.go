package stdlib_test

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/packet"
	"github.com/netlua/netlua/luabind/testlab"
)

// responder runs code, which sets responders up on b's side of a lab pair
// (NETNS names b's namespace), in a runtime of its own, beside the test:
// the loop answers while the test's commands run in a. It returns a
// function that moves the script on to step n (the global step() reads
// it; the script calls done(n) when it has acted on it) and waits for it.
// Step -1 ends the script, which must then close its sockets.
func responder(t *testing.T, b *lab.End, code string) func(n int64) {
	var step, acked atomic.Int64
	ended := make(chan error, 1)
	setup := func(rt *luabind.Runtime) {
		rt.L.SetGlobal("NETNS", lua.LString(labtest.NSPath(b)))
		rt.L.SetGlobal("step", rt.L.NewFunction(func(L *lua.LState) int { L.Push(lua.LNumber(step.Load())); return 1 }))
		rt.L.SetGlobal("done", rt.L.NewFunction(func(L *lua.LState) int { acked.Store(int64(L.CheckInt(1))); return 0 }))
	}
	mods := append(luaModules(), lab.Module(), packet.Module())
	go func() {
		_, err := testlab.RunLuaWith(t, code+`
			local loop = require "loop"
			local seen, timer = 0, nil
			timer = loop.every(0.01, function()
				local n = step()
				if n ~= seen then
					seen = n
					if on_step then on_step(n) end
					done(n)
					if n < 0 then timer:cancel() end
				end
			end)
			done(0)`, setup, mods...)
		ended <- err
	}()
	to := func(n int64) {
		t.Helper()
		step.Store(n)
		for deadline := time.Now().Add(10 * time.Second); acked.Load() != n; time.Sleep(5 * time.Millisecond) {
			select {
			case err := <-ended:
				t.Fatalf("the responder's script ended before step %d: %v", n, err)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("the responder's script did not reach step %d in 10 s", n)
			}
		}
	}
	to(0) // the responders are up
	t.Cleanup(func() {
		step.Store(-1)
		select {
		case err := <-ended:
			if err != nil {
				t.Errorf("the responder's script: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the responder's script did not end")
		}
	})
	return to
}

// ghost is an address of a's subnet that no host holds: only a responder
// answers for it.
func ghost(a *lab.End, last byte) string {
	ip := a.Addr.Addr().As4()
	ip[3] = last
	return netip.AddrFrom4(ip).String()
}

// The peer's kernel pings an address that only respond.arp and
// respond.icmp_echo answer for, and gets its replies (ping's own count);
// its neighbour table learns the responder's MAC; once h:stop() has
// stopped the echo responder, ping gets none.
func TestRespondARPAndEcho(t *testing.T) {
	a, b := labtest.Pair(t)
	addr := ghost(a, 99)
	to := responder(t, b, fmt.Sprintf(`
		local packet, respond = require "packet", require "respond"
		local s = packet.open("veth0", { netns = NETNS, promisc = true })
		respond.arp(s, { [%q] = "02:00:00:00:00:99" })
		local echo = respond.icmp_echo(s, { %q })
		function on_step(n)
			if n == 1 then echo:stop() end
			if n < 0 then s:close() end
		end`, addr, addr))
	out := labtest.Run(t, a, "", "ping", "-c", "3", "-i", "0.2", "-W", "2", addr)
	if !strings.Contains(out, "3 packets transmitted, 3 received") {
		t.Errorf("ping %s:\n%s\nwant 3 replies", addr, out)
	}
	if neigh := labtest.Run(t, a, "", "ip", "neigh", "show", addr); !strings.Contains(neigh, "lladdr 02:00:00:00:00:99") {
		t.Errorf("a's neighbour table has %q for %s, want lladdr 02:00:00:00:00:99", neigh, addr)
	}
	to(1)
	res, err := a.Host.Exec(t.Context(), lab.Cmd{Argv: []string{"ping", "-c", "1", "-W", "1", addr}, Timeout: 10 * time.Second})
	if err != nil || res.Status == 0 {
		t.Errorf("ping after stop: %v, status %d, want no reply:\n%s", err, res.Status, res.Output)
	}
}

// lookup has glibc in a look name up (getent hosts) with the name server
// at server: resolv.conf, nsswitch.conf and hosts are mounted over the
// machine's in the command's own mount namespace (lab commands have one),
// and a machine's nscd is hidden. /etc/hosts holds name at 198.18.9.9,
// which glibc reads only when DNS did not answer: nsswitch returns at
// DNS's NOTFOUND (NXDOMAIN). It returns what getent printed and its
// status.
func lookup(t *testing.T, a *lab.End, server, name string) string {
	dir := t.TempDir()
	files := map[string]string{
		"resolv.conf":   "nameserver " + server + "\noptions timeout:2 attempts:1\n",
		"nsswitch.conf": "hosts: dns [NOTFOUND=return] files\n",
		"hosts":         "198.18.9.9 " + name + "\n",
	}
	for file, text := range files {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const script = `for f in resolv.conf nsswitch.conf hosts; do mount --bind "$1/$f" "/etc/$f" || exit 9; done
		[ ! -d /var/run/nscd ] || mount -t tmpfs netlua /var/run/nscd || exit 9
		getent hosts "$2"; echo "status $?"`
	return labtest.Run(t, a, "", "sh", "-c", script, "sh", dir, name)
}

// The peer's C library resolves names through respond.dns, at an address
// that respond.arp makes reachable: A and AAAA records from the table,
// NXDOMAIN (and no fallback to /etc/hosts) for a name not in it.
func TestRespondDNS(t *testing.T) {
	testlab.NeedTool(t, "getent", "libc-bin")
	a, b := labtest.Pair(t)
	server := ghost(a, 53)
	responder(t, b, fmt.Sprintf(`
		local packet, respond = require "packet", require "respond"
		local s = packet.open("veth0", { netns = NETNS, promisc = true })
		respond.arp(s, { [%q] = "02:00:00:00:00:53" })
		respond.dns(s, { ["lab.example"] = "198.18.0.80", ["six.example"] = { "2001:2::80" } })
		function on_step(n) if n < 0 then s:close() end end`, server))
	cases := []struct{ name, want string }{
		{"lab.example", "198.18.0.80     lab.example\nstatus 0\n"},
		{"LAB.example.", "198.18.0.80     LAB.example\nstatus 0\n"}, // names match in any case
		{"six.example", "2001:2::80      six.example\nstatus 0\n"},
		{"nx.example", "status 2\n"}, // NXDOMAIN: not 198.18.9.9 from the files
	}
	for _, c := range cases {
		if got := lookup(t, a, server, c.name); got != c.want {
			t.Errorf("getent hosts %s printed\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}

// The same in IPv6: the peer's neighbour solicitation gets respond.arp's
// advertisement, its ping -6 gets respond.icmp_echo's replies.
func TestRespondNDAndEcho6(t *testing.T) {
	a, b := labtest.Pair(t)
	const addr = "2001:2::99"
	// a has 2001:2::1/64 from the lab already
	responder(t, b, fmt.Sprintf(`
		local packet, respond = require "packet", require "respond"
		local s = packet.open("veth0", { netns = NETNS, promisc = true })
		respond.arp(s, { [%q] = "02:00:00:00:00:99" })
		respond.icmp_echo(s, { %q })
		function on_step(n) if n < 0 then s:close() end end`, addr, addr))
	out := labtest.Run(t, a, "", "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", addr)
	if !strings.Contains(out, "3 packets transmitted, 3 received") {
		t.Errorf("ping -6 %s:\n%s\nwant 3 replies", addr, out)
	}
	if neigh := labtest.Run(t, a, "", "ip", "-6", "neigh", "show", addr); !strings.Contains(neigh, "lladdr 02:00:00:00:00:99") {
		t.Errorf("a's neighbour table has %q for %s, want lladdr 02:00:00:00:00:99", neigh, addr)
	}
}
