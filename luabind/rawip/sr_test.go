package rawip

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// rawip.sr of ICMP echo to the peer and to an address nobody has: the
// peer kernel's three replies, exactly the three others unanswered; sr1
// of a UDP probe to a closed port gets the peer's ICMP port unreachable
// (matched through its quote), of a TCP SYN the peer's RST; a socket's
// own sr1 needs hdrincl.
func TestSrICMPUDPTCP(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, rawip, f = require "lab", require "rawip", require "frame"
		local a, b = lab.pair()
		local ans, unans = rawip.sr({ f.ipv4{ src = a.ip, dst = { b.ip, "198.18.0.77" } }, f.icmp4{ id = 5, seq = "1-3" } },
			{ timeout = 0.2, netns = a })
		for _, x in ipairs(ans) do print("ans", x.sent.ipv4.dst == b.ip, x.recv.ipv4.src == b.ip, x.recv.icmp4.type, x.recv.icmp4.seq, x.rtt > 0) end
		for _, x in ipairs(unans) do print("unans", x.ipv4.dst, x.icmp4.seq) end
		local p = rawip.sr1({ f.ipv4{ src = a.ip, dst = b.ip }, f.udp{ sport = 4000, dport = 33434 } }, { netns = a })
		print("udp", p.icmp4.type, p.icmp4.code)
		p = rawip.sr1({ f.ipv4{ src = a.ip, dst = b.ip }, f.tcp{ sport = 4000, dport = 80, flags = "S", seq = 1000 } }, { netns = a })
		print("tcp", p.tcp.flags, p.tcp.ack, p.tcp.sport, p.tcp.dport)
		local s = rawip.open{ proto = "icmp", netns = a, hdrincl = true }
		p = s:sr1(f.build{ f.ipv4{ src = a.ip, dst = b.ip }, f.icmp4{ id = 9, seq = 4 } })
		print("socket", p.icmp4.type, p.icmp4.id, p.icmp4.seq)
		print(pcall(s.sr1, s, "short"))
		local plain = rawip.open{ proto = "icmp", netns = a }
		print(pcall(plain.sr, plain, { f.ipv4{ dst = b.ip }, f.icmp4{} }))
	`, luaModules()...)
	var want strings.Builder
	for seq := 1; seq <= 3; seq++ {
		fmt.Fprintf(&want, "ans\ttrue\ttrue\t0\t%d\ttrue\n", seq)
	}
	for seq := 1; seq <= 3; seq++ {
		fmt.Fprintf(&want, "unans\t198.18.0.77\t%d\n", seq)
	}
	want.WriteString("udp\t3\t3\ntcp\tRA\t1001\t80\t4000\nsocket\t0\t9\t4\n")
	want.WriteString("false\t<string>:15: bad argument #1 to 'sr1' (frame 1: not an IP packet: sr sends frames from their IP header)\n")
	want.WriteString("false\t<string>:17: rawip.sr: icmp: sr sends whole IPv4 packets: open the socket with hdrincl = true (IPv6: rawip.sr)\n")
	if out != want.String() {
		t.Errorf("got\n%s\nwant\n%s", out, want.String())
	}
}

// rawip.sr of IPv6 packets: the peer kernel's echo replies, the
// unreachable address exactly unanswered, its port unreachable for a
// UDP probe and its RST for a SYN; frames of both families in one call
// are an error.
func TestSrIPv6(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, rawip, f = require "lab", require "rawip", require "frame"
		local a, b = lab.pair()
		local ans, unans = rawip.sr({ f.ipv6{ src = "2001:2::1", dst = { "2001:2::2", "2001:2::99" } },
			f.icmp6{ type = 128, id = 4, seq = "1-2" } }, { netns = a, timeout = 0.3 })
		for _, x in ipairs(ans) do print("ans", x.recv.ipv6.src, x.recv.icmp6.type, x.recv.icmp6.seq) end
		for _, x in ipairs(unans) do print("unans", x.ipv6.dst, x.icmp6.seq) end
		local p = rawip.sr1({ f.ipv6{ src = "2001:2::1", dst = "2001:2::2" }, f.udp{ sport = 4000, dport = 33434 } }, { netns = a })
		print("udp", p.icmp6.type, p.icmp6.code)
		p = rawip.sr1({ f.ipv6{ src = "2001:2::1", dst = "2001:2::2" }, f.tcp{ sport = 4000, dport = 80 } }, { netns = a })
		print("tcp", p.tcp.flags)
		print(pcall(rawip.sr, { f.build{ f.ipv6{ dst = "2001:2::2" }, f.icmp6{} }, f.build{ f.ipv4{}, f.icmp4{} } }, { netns = a }))
	`, luaModules()...)
	want := "ans\t2001:2::2\t129\t1\nans\t2001:2::2\t129\t2\nunans\t2001:2::99\t1\nunans\t2001:2::99\t2\n" +
		"udp\t1\t4\ntcp\tRA\n" +
		"false\t<string>:12: bad argument #1 to 'sr' (frame 2: the frames mix IPv4 and IPv6)\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// sr fills the source address a packet leaves unset, as sendto does:
// the peer's answer comes back to the route's source.
func TestSrFillsSource(t *testing.T) {
	a, b := labtest.Pair(t)
	out := testlab.MustLua(t, fmt.Sprintf(`
		local rawip, f = require "rawip", require "frame"
		local ans, unans = rawip.sr({ f.ipv4{ dst = %q }, f.icmp4{ id = 5, seq = { 1, 2 } } }, { netns = %q })
		print(#ans, #unans, ans[1].sent.ipv4.src, ans[2].recv.ipv4.dst)
	`, b.Addr.Addr(), labtest.NSPath(a)), luaModules()...)
	if want := fmt.Sprintf("2\t0\t%s\t%s\n", a.Addr.Addr(), a.Addr.Addr()); out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// Probes to a subnet's broadcast address go out, as Scapy's sr sends
// them, and the peer's kernel (answering broadcast pings here) answers:
// a socket of the test's own sees the reply. As in Scapy, whose
// checkIPaddr wants the reply from the address asked, sr leaves the
// probe unanswered. A socket of the script's own needs broadcast = true,
// and says so.
func TestSrBroadcast(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, rawip, f = require "lab", require "rawip", require "frame"
		local a, b = lab.pair()
		b:sysctl("net.ipv4.icmp_echo_ignore_broadcasts", 0)
		local seen = rawip.open{ proto = "icmp", netns = a }
		local ans, unans = rawip.sr({ f.ipv4{ dst = "198.18.0.255" }, f.icmp4{ id = 3 } }, { netns = a, timeout = 0.2 })
		local p, info
		repeat -- the socket sees a's own broadcast request too
			local reply
			reply, info = seen:recv(1)
			p = f.parse(reply, { first = "ip" })
		until p.icmp4.type == 0
		print(#ans, #unans, info.src, p.icmp4.type, p.icmp4.id)
		local ping = f.build{ f.icmp4{ id = 4 } }
		local plain = rawip.open{ proto = "icmp", netns = a }
		print(pcall(plain.sendto, plain, ping, "198.18.0.255"))
		local s = rawip.open{ proto = "icmp", netns = a, broadcast = true }
		print(s:sendto(ping, "198.18.0.255") == #ping)
	`, luaModules()...)
	lines := strings.Split(out, "\n")
	if len(lines) != 4 || lines[0] != "0\t1\t198.18.0.2\t0\t3" ||
		!strings.HasSuffix(lines[1], ": 198.18.0.255: a broadcast address needs the socket opened with broadcast = true (the kernel said: permission denied)") ||
		lines[2] != "true" {
		t.Errorf("got\n%s", out)
	}
}
