package packet

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// scapyFrames is run by Scapy inside lab host a: the frames Scapy builds
// from the same layers, its addresses filled from the namespace's routes
// and its own ARP and neighbour solicitations, one hex line each.
const scapyFrames = `
import sys
from scapy.all import Ether, IP, ICMP, ARP, IPv6, ICMPv6EchoRequest, raw
b = sys.argv[1]
print(raw(Ether()/IP(dst=b)/ICMP()).hex())
print(raw(Ether()/ARP(op=2, pdst=b)).hex())
print(raw(Ether()/IPv6(dst="2001:2::2")/ICMPv6EchoRequest()).hex())
`

// Frames sent as layers with their addresses left out leave as the frames
// Scapy builds from the same layers in the same namespace.
func TestSendFillsAsScapy(t *testing.T) {
	testlab.Privileged(t)
	needScapy(t)
	out := testlab.MustLua(t, echoLua+"local SCAPY = [["+scapyFrames+"]]\n"+`
		local a, b = lab.pair()
		print((a:exec{ "/usr/bin/python3", "-c", SCAPY, b.ip }))
		local s = packet.open(a.ifname, { netns = a })
		local sb = packet.open(b.ifname, { netns = b, filter = "ether src " .. a.mac })
		-- sent is the hex of the next frame b receives that is what want says.
		local function sent(want)
			for _ = 1, 20 do
				local bytes = assert(sb:recv(2), "nothing at b")
				if want(f.parse(bytes)) then
					return (bytes:gsub(".", function(c) return ("%02x"):format(c:byte()) end))
				end
			end
		end
		s:send{ f.ether{}, f.ipv4{ dst = b.ip }, f.icmp4{} }
		print(sent(function(p) return p.icmp4 end))
		s:send{ f.ether{}, f.arp{ op = 2, pdst = b.ip } }
		print(sent(function(p) return p.arp and p.arp.op == 2 end))
		s:send{ f.ether{}, f.ipv6{ dst = "2001:2::2" }, f.icmp6{ type = 128 } }
		print(sent(function(p) return p.icmp6 and p.icmp6.type == 128 end))
	`, luaModules()...)
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, "WARNING: ") { // Scapy's, on stderr, which exec merges
			lines = append(lines, l)
		}
	}
	if len(lines) != 7 || lines[3] != "" {
		t.Fatalf("got\n%s", out)
	}
	for i, what := range []string{"ipv4 echo", "arp reply", "ipv6 echo"} {
		if scapy, ours := lines[i], lines[4+i]; scapy != ours {
			t.Errorf("%s:\nscapy  %s\nnetlua %s", what, scapy, ours)
		}
	}
}
