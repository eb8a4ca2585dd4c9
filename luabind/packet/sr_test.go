package packet

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// srLua is the prelude of the sr tests: a lab pair, a on veth0 in
// namespace A and b in B, their addresses.
func srLua(a, b *lab.End, code string) string {
	return fmt.Sprintf(`
		local packet, f = require "packet", require "frame"
		local A, B = %q, %q
		local amac, bmac, aip, bip = %q, %q, %q, %q
	`, labtest.NSPath(a), labtest.NSPath(b), a.MAC, b.MAC, a.Addr.Addr(), b.Addr.Addr()) + code
}

// srp1 of an ARP who-has gets the peer kernel's reply, from one-off
// packet.srp1 and from a socket's srp1.
func TestSrp1ARP(t *testing.T) {
	a, b := pair(t)
	out := testlab.MustLua(t, srLua(a, b, `
		local who = { f.ether{ src = amac, dst = "ff:ff:ff:ff:ff:ff" }, f.arp{ hwsrc = amac, psrc = aip, pdst = bip } }
		local p, rtt = packet.srp1("veth0", who, { netns = A })
		print(p.arp.op, p.arp.hwsrc == bmac, p.arp.psrc == bip, p.arp.pdst == aip, rtt > 0 and rtt < 1)
		local s = packet.open("veth0", { netns = A })
		p = s:srp1(who)
		print(p.arp.op, p.arp.hwsrc == bmac)
		print(s:srp1({ f.ether{ src = amac, dst = "ff:ff:ff:ff:ff:ff" }, f.arp{ hwsrc = amac, psrc = aip, pdst = "198.18.0.99" } }, { timeout = 0.1 }))
	`), luaModules()...)
	if want := "2\ttrue\ttrue\ttrue\ttrue\n2\ttrue\nnil\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// srp of ICMP echo to the peer and to an address nobody has: the
// peer's three answers, and exactly the three others unanswered. A
// counting socket on the peer's side sees that retry resends only the
// unanswered: 3 + 3×3 requests.
func TestSrpAnsweredUnansweredRetry(t *testing.T) {
	a, b := pair(t)
	out := testlab.MustLua(t, srLua(a, b, `
		local count = packet.open("veth0", { netns = B, proto = "ipv4", filter = "icmp[icmptype] = icmp-echo" })
		local s = packet.open("veth0", { netns = A })
		local ans, unans = s:srp({ f.ether{ src = amac, dst = bmac }, f.ipv4{ src = aip, dst = { bip, "198.18.0.77" } },
			f.icmp4{ id = 7, seq = "1-3" } }, { timeout = 0.1, retry = 2 })
		for _, x in ipairs(ans) do print("ans", x.sent.ipv4.dst, x.sent.icmp4.seq, x.recv.ipv4.src, x.recv.icmp4.type, x.recv.icmp4.seq) end
		for _, x in ipairs(unans) do print("unans", x.ipv4.dst, x.icmp4.seq) end
		local seen = {}
		while true do
			local bytes = count:recv(0)
			if not bytes then break end
			local p = f.parse(bytes)
			local k = p.ipv4.dst .. " " .. p.icmp4.seq
			seen[k] = (seen[k] or 0) + 1
		end
		for _, dst in ipairs{ bip, "198.18.0.77" } do
			for seq = 1, 3 do print("sent", dst, seq, seen[dst .. " " .. seq]) end
		end
	`), luaModules()...)
	bip := b.Addr.Addr().String()
	var want strings.Builder
	for seq := 1; seq <= 3; seq++ {
		fmt.Fprintf(&want, "ans\t%s\t%d\t%s\t0\t%d\n", bip, seq, bip, seq)
	}
	for seq := 1; seq <= 3; seq++ {
		fmt.Fprintf(&want, "unans\t198.18.0.77\t%d\n", seq)
	}
	for _, dst := range []string{bip, "198.18.0.77"} {
		for seq := 1; seq <= 3; seq++ {
			fmt.Fprintf(&want, "sent\t%s\t%d\t%d\n", dst, seq, map[bool]int{true: 1, false: 3}[dst == bip])
		}
	}
	if out != want.String() {
		t.Errorf("got\n%s\nwant\n%s", out, want.String())
	}
}

// The acceptance test of issue 19: an srp of 10,000 ICMP echo requests
// at full speed misses none of the replies a tcpdump on the peer's side
// of the link saw leave.
func TestSrp10000MissesNone(t *testing.T) {
	a, b := pair(t)
	stop := tcpdumpRunning(t, b, "icmp[icmptype] = icmp-echoreply")
	out := testlab.MustLua(t, srLua(a, b, `
		local s = packet.open("veth0", { netns = A })
		local ans, unans = s:srp({ f.ether{ src = amac, dst = bmac }, f.ipv4{ src = aip, dst = bip },
			f.icmp4{ id = "1-100", seq = "1-100" } }, { timeout = 1 })
		print(#ans, #unans)
		for _, x in ipairs(ans) do print(x.recv.icmp4.id, x.recv.icmp4.seq) end
	`), luaModules()...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	got := map[[2]uint16]bool{}
	for _, l := range lines[1:] {
		var id, seq uint16
		fmt.Sscanf(l, "%d\t%d", &id, &seq)
		got[[2]uint16{id, seq}] = true
	}
	seen := stop()
	missed := 0
	for _, r := range seen {
		icmp := r.data[14+20:]
		if !got[[2]uint16{binary.BigEndian.Uint16(icmp[4:]), binary.BigEndian.Uint16(icmp[6:])}] {
			missed++
		}
	}
	t.Logf("srp: %s; tcpdump saw %d replies", lines[0], len(seen))
	if missed > 0 || len(seen) < 1000 { // tcpdump itself drops some at this rate
		t.Errorf("srp missed %d of the %d replies tcpdump saw (srp: %s answered, unanswered)", missed, len(seen), lines[0])
	}
}

// srp1 returns within 1 ms (median of 50) of the kernel's timestamp of
// the reply, as another packet socket on the same interface sees it.
func TestSrp1Latency(t *testing.T) {
	a, b := pair(t)
	wallNow := func(rt *luabind.Runtime) {
		rt.L.SetGlobal("wallnow", rt.L.NewFunction(func(L *lua.LState) int {
			L.Push(lua.LNumber(float64(time.Now().UnixNano()) / 1e9))
			return 1
		}))
	}
	out := testlab.MustLuaWith(t, srLua(a, b, `
		local watch = packet.open("veth0", { netns = A, filter = "icmp[icmptype] = icmp-echoreply" })
		local s = packet.open("veth0", { netns = A })
		for seq = 1, 50 do
			local p = s:srp1({ f.ether{ src = amac, dst = bmac }, f.ipv4{ src = aip, dst = bip }, f.icmp4{ id = 9, seq = seq } })
			local back = wallnow()
			local bytes, info = watch:recv(1)
			assert(p and f.parse(bytes).icmp4.seq == seq, "reply " .. seq)
			print(string.format("%.0f", (back - info.ts) * 1e6))
		end
	`), wallNow, luaModules()...)
	var us []int
	for _, l := range strings.Fields(out) {
		var n int
		fmt.Sscan(l, &n)
		us = append(us, n)
	}
	slices.Sort(us)
	if len(us) != 50 {
		t.Fatalf("%d measures:\n%s", len(us), out)
	}
	t.Logf("srp1 returned %d µs (median) after the reply's kernel timestamp; min %d, max %d", us[25], us[0], us[49])
	if us[25] >= 1000 {
		t.Errorf("median %d µs after the reply, want under 1 ms", us[25])
	}
}

// tcpdumpRunning starts tcpdump on b's interface writing what expr
// selects; stop interrupts it and returns what it wrote.
func tcpdumpRunning(t *testing.T, b *lab.End, expr string) (stop func() []record) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "tcpdump.pcap")
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	cmd, lines := labtest.Tcpdump(t, b, tcpdump, "-U", "-Z", "root", "-n", "-B", "16384", "-w", file, expr)
	return func() []record {
		t.Helper()
		interruptTcpdump(t, cmd, lines)
		return readPcap(t, file)
	}
}

// interruptTcpdump ends tcpdump with ^C, as a user would, and waits for
// it to end (and so to close its file) for at most 10 s.
func interruptTcpdump(t *testing.T, cmd *exec.Cmd, lines *labtest.Lines) {
	t.Helper()
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Signal(syscall.SIGKILL)
		t.Fatalf("tcpdump did not end on SIGINT\n%s", lines)
	}
}

// srp matches a protocol of frame.define by its answers rule, which runs
// in the script: a Go responder on the peer answers each request with
// kind 2, and request 2 with a wrong id, which the rule refuses.
func TestSrpDefineAnswers(t *testing.T) {
	a, b := pair(t)
	peer := openOn(t, b, Config{Proto: 0x88b5})
	go func() {
		for {
			data, _, err := peer.Recv(context.Background(), -1)
			if err != nil {
				return
			}
			rep := slices.Clone(data)
			copy(rep[0:6], data[6:12])
			copy(rep[6:12], data[0:6])
			if rep[15] == 2 {
				rep[15] = 99
			}
			rep[16] = 2
			peer.Send(context.Background(), rep)
		}
	}()
	out := testlab.MustLua(t, srLua(a, b, `
		local boom = false
		local ping = f.define("ping", { { "id", 16 }, { "kind", 8 } }, { answers = function(req, rep)
			if boom then error("boom") end
			return rep.kind == 2 and rep.id == req.id
		end })
		f.bind("ether", { type = 0x88b5 }, "ping")
		local ans, unans = packet.srp("veth0", { f.ether{ src = amac, dst = bmac }, ping{ id = "1-3", kind = 1 }, ("x"):rep(40) },
			{ netns = A, timeout = 0.2 })
		for _, x in ipairs(ans) do print("ans", x.sent.ping.id, x.recv.ping.id, x.recv.ping.kind) end
		for _, x in ipairs(unans) do print("unans", x.ping.id) end
		boom = true -- an error in the rule is the call's, and leaves nothing running
		local s = packet.open("veth0", { netns = A })
		print(pcall(s.srp, s, { f.ether{ src = amac, dst = bmac }, ping{ id = 1, kind = 1 } }))
		boom = false
		print(#s:srp({ f.ether{ src = amac, dst = bmac }, ping{ id = 1, kind = 1 } }))
	`), luaModules()...)
	if want := "ans\t1\t1\t2\nans\t3\t3\t2\nunans\t2\nfalse\t<string>:8: boom\n1\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// ^C stops an srp waiting for its timeout at once, with the interrupt.
func TestSrpInterrupt(t *testing.T) {
	a, b := pair(t)
	start := time.Now()
	_, err := testlab.RunLuaWith(t, srLua(a, b, `
		packet.srp("veth0", { f.ether{ src = amac, dst = bmac }, f.ipv4{ src = aip, dst = "198.18.0.77" }, f.icmp4{} },
			{ netns = A, timeout = 60 })
		print("not reached")
	`), func(rt *luabind.Runtime) {
		time.AfterFunc(200*time.Millisecond, func() { rt.Interrupt(&luabind.Interrupt{Signal: os.Interrupt}) })
	}, luaModules()...)
	if err == nil || !strings.Contains(err.Error(), "interrupted") || time.Since(start) > 10*time.Second {
		t.Errorf("error %v after %v; want the interrupt, at once", err, time.Since(start))
	}
}

// The filter option keeps only the replies it matches; an on() callback
// and srp would compete for the frames.
func TestSrpFilterAndCallback(t *testing.T) {
	a, b := pair(t)
	out := testlab.MustLua(t, srLua(a, b, `
		local s = packet.open("veth0", { netns = A })
		local echo = { f.ether{ src = amac, dst = bmac }, f.ipv4{ src = aip, dst = bip }, f.icmp4{ id = 3 } }
		local ans, unans = s:srp(echo, { timeout = 0.2, filter = "arp" })
		print(#ans, #unans)
		ans, unans = s:srp(echo, { timeout = 0.2, filter = "icmp" })
		print(#ans, #unans)
		s:on(function() end)
		print(pcall(s.srp, s, echo))
		s:close()
	`), luaModules()...)
	if want := "0\t1\n1\t0\nfalse\t<string>:13: packet.srp: veth0: packets go to the on() callback\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// srp of ICMPv6 echo: the peer kernel's replies, through its own
// neighbour discovery of the sender.
func TestSrpICMPv6(t *testing.T) {
	a, b := pair(t)
	// the lab gives a 2001:2::1/64 and b 2001:2::2/64
	out := testlab.MustLua(t, srLua(a, b, `
		local ans, unans = packet.srp("veth0", { f.ether{ src = amac, dst = bmac }, f.ipv6{ src = "2001:2::1", dst = { "2001:2::2", "2001:2::99" } },
			f.icmp6{ type = 128, id = 4, seq = "1-2" } }, { netns = A, timeout = 0.3 })
		for _, x in ipairs(ans) do print("ans", x.recv.ipv6.src, x.recv.icmp6.type, x.recv.icmp6.seq) end
		for _, x in ipairs(unans) do print("unans", x.ipv6.dst, x.icmp6.seq) end
	`), luaModules()...)
	if want := "ans\t2001:2::2\t129\t1\nans\t2001:2::2\t129\t2\nunans\t2001:2::99\t1\nunans\t2001:2::99\t2\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// srp fills what the frames leave unset as send does: the ARP request
// and the echo requests carry a's addresses and reach b by its MAC, so
// b's kernel answers; a next hop nobody has is the call's error.
func TestSrpFillsAddresses(t *testing.T) {
	a, b := pair(t)
	out := testlab.MustLua(t, srLua(a, b, `
		local s = packet.open("veth0", { netns = A })
		local p = s:srp1{ f.ether{}, f.arp{ pdst = bip } }
		print(p.arp.hwsrc == bmac, p.arp.pdst == aip, p.ether.dst == amac)
		local ans, unans = s:srp({ f.ether{}, f.ipv4{ dst = bip }, f.icmp4{ id = 9, seq = "1-3" } })
		print(#ans, #unans, ans[1].sent.ether.src == amac, ans[1].sent.ether.dst == bmac, ans[1].sent.ipv4.src == aip, ans[3].recv.ipv4.dst == aip)
		print(pcall(s.srp1, s, { f.ether{}, f.ipv4{ dst = "198.18.0.99" }, f.icmp4{} }, { timeout = 0.2 }))
	`), luaModules()...)
	want := "true\ttrue\ttrue\n3\t0\ttrue\ttrue\ttrue\ttrue\nfalse\t"
	if !strings.HasPrefix(out, want) || !strings.Contains(out, "no ARP reply from 198.18.0.99 on veth0 within 1 s") {
		t.Errorf("got\n%s\nwant %q... no ARP reply from 198.18.0.99 on veth0 within 1 s", out, want)
	}
}
