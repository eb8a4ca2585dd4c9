package rawip

import (
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// An IPv4 packet given as layers with neither src nor dst leaves with the
// address sendto names and the source of the route to it; the peer's
// kernel answers it. A src given is kept.
func TestSendtoFillsSource(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, `
		local lab, rawip, f = require "lab", require "rawip", require "frame"
		local a, b = lab.pair()
		local s = rawip.open{ proto = "icmp", hdrincl = true, netns = a }
		local ip = f.ipv4{}
		s:sendto({ ip, f.icmp4{ id = 11, seq = 4 }, "netlua" }, b.ip)
		for _ = 1, 10 do
			local bytes, info = s:recv(2)
			assert(bytes, "no echo reply")
			local p = f.parse(bytes, { first = "ipv4" })
			if p.icmp4.type == 0 then
				print(info.src == b.ip, p.ipv4.dst == a.ip, p.icmp4.id, p.icmp4.seq)
				break
			end
		end
		print(ip.src, ip.dst)                   -- the script's layer keeps its defaults
		s:sendto({ f.ipv4{ src = "198.18.200.9" }, f.icmp4{ id = 12 } }, b.ip)
		local c = rawip.open{ proto = "icmp", netns = b }
		s:sendto({ f.ipv4{ src = "198.18.200.9" }, f.icmp4{ id = 13 } }, b.ip)
		local p = f.parse((assert(c:recv(2), "no request at b")), { first = "ipv4" })
		print(p.ipv4.src, p.ipv4.dst == b.ip, p.icmp4.id)
	`, luaModules()...)
	if want := "true\ttrue\t11\t4\n127.0.0.1\t127.0.0.1\n198.18.200.9\ttrue\t13\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
