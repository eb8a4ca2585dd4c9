package rawip

import (
	"fmt"
	"strings"
	"testing"

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
	want.WriteString("false\t<string>:15: bad argument #1 to 'sr1' (frame 1: not an IPv4 packet: sr sends frames from their IPv4 header (IPv6: packet.srp))\n")
	want.WriteString("false\t<string>:17: rawip.sr: icmp: sr sends whole IPv4 packets: open the socket with hdrincl = true (IPv6: packet.srp)\n")
	if out != want.String() {
		t.Errorf("got\n%s\nwant\n%s", out, want.String())
	}
}
