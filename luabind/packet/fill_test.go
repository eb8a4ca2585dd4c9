package packet

import (
	"regexp"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// The Lua of the tests below: echo(s) waits for the next echo reply
// that s receives, parsed, or nil after 2 s.
const echoLua = `
	local lab, packet, f = require "lab", require "packet", require "frame"
	local function echo(s)
		for _ = 1, 20 do
			local bytes, info = s:recv(2)
			if not bytes then return nil end
			local p = f.parse(bytes)
			if info.pkttype ~= "outgoing" and (p.icmp4 and p.icmp4.type == 0 or p.icmp6 and p.icmp6.type == 129) then
				return p
			end
		end
	end
`

// A frame sent with no MACs and no IP source reaches the peer, whose
// kernel answers it; the neighbour tables of both ends hold each other
// as the kernel's own ARP left them.
func TestSendFillsIPv4(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, echoLua+`
		local a, b = lab.pair()
		local s = packet.open(a.ifname, { netns = a, filter = "icmp" })
		local e, ip = f.ether{}, f.ipv4{ dst = b.ip }
		local before = f.build{ e, ip }
		s:send{ e, ip, f.icmp4{ id = 7, seq = 1 }, "netlua" }
		local p = assert(echo(s), "no echo reply")
		print(p.ether.src == b.mac, p.ether.dst == a.mac, p.ipv4.src == b.ip, p.ipv4.dst == a.ip, p.icmp4.id, p.icmp4.seq)
		print(f.build{ e, ip } == before)       -- the script's layers are left as they were
		print((a:exec{ "ip", "neigh", "show", b.ip }))
		print((b:exec{ "ip", "neigh", "show", a.ip }))
	`, luaModules()...)
	want := regexp.MustCompile(`^true\ttrue\ttrue\ttrue\t7\t1\ntrue\n` +
		`198\.18\.\d+\.2 dev veth0 lladdr 02:00:c6:12:\w\w:02 (REACHABLE|STALE|DELAY) \n\n` +
		`198\.18\.\d+\.1 dev veth0 lladdr 02:00:c6:12:\w\w:01 (REACHABLE|STALE|DELAY) \n\n$`)
	if !want.MatchString(out) {
		t.Errorf("got\n%s", out)
	}
}

// The same over IPv6, resolved by neighbour discovery.
func TestSendFillsIPv6(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, echoLua+`
		local a, b = lab.pair()
		local s = packet.open(a.ifname, { netns = a, filter = "icmp6" })
		s:send{ f.ether{}, f.ipv6{ dst = "2001:2::2" }, f.icmp6{ type = 128, id = 8, seq = 2 }, "netlua" }
		local p = assert(echo(s), "no echo reply")
		print(p.ether.src == b.mac, p.ether.dst == a.mac, p.ipv6.src, p.ipv6.dst, p.icmp6.id, p.icmp6.seq)
		print((a:exec{ "ip", "-6", "neigh", "show", "2001:2::2" }))
	`, luaModules()...)
	want := regexp.MustCompile(`^true\ttrue\t2001:2::2\t2001:2::1\t8\t2\n` +
		`2001:2::2 dev veth0 lladdr 02:00:c6:12:\w\w:02 (router )?(REACHABLE|STALE|DELAY) \n\n$`)
	if !want.MatchString(out) {
		t.Errorf("got\n%s", out)
	}
}

// A destination behind a router: the frame goes to the router's MAC,
// from the source of a's route, and the far host answers.
func TestSendFillsNextHopRouter(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, echoLua+`
		local n = lab.new()
		local a, r, c = n:host("a"), n:host("r"), n:host("c")
		local ar, ra = n:link(a, r)
		local rc, cr = n:link(r, c)
		r:forward(true)
		a:exec{ "ip", "route", "add", "default", "via", ra.ip }
		c:exec{ "ip", "route", "add", "default", "via", rc.ip }
		local s = packet.open(ar.ifname, { netns = a, filter = "icmp" })
		local at_r = packet.open(ra.ifname, { netns = r, filter = "icmp[0] = 8" })
		s:send{ f.ether{}, f.ipv4{ dst = cr.ip }, f.icmp4{ id = 9, seq = 3 } }
		local q = f.parse((assert(at_r:recv(2), "no request at the router")))
		print(q.ether.dst == ra.mac, q.ether.src == ar.mac, q.ipv4.src == ar.ip, q.ipv4.dst == cr.ip)
		local p = assert(echo(s), "no echo reply")
		print(p.ether.src == ra.mac, p.ipv4.src == cr.ip, p.icmp4.id)
	`, luaModules()...)
	if want := "true\ttrue\ttrue\ttrue\ntrue\ttrue\t9\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// A neighbour that never answers is an error naming it, the interface
// and the timeout; the kernel's entry is left as its own resolution left it.
func TestSendNoNeighbour(t *testing.T) {
	testlab.Privileged(t)
	out, _ := testlab.RunLua(t, echoLua+`
		local a, b = lab.pair()
		local s = packet.open(a.ifname, { netns = a })
		local absent = b.ip:gsub("%.2$", ".99")
		print(select(2, pcall(s.send, s, { f.ether{}, f.ipv4{ dst = absent }, f.icmp4{} }, { timeout = 0.3 })))
		print((a:exec{ "ip", "neigh", "show", absent }))
		print(select(2, pcall(s.send, s, { f.ether{}, f.ipv4{ dst = b.ip }, f.icmp4{} }, { timeout = 0 })))
	`, luaModules()...)
	want := regexp.MustCompile(`^[^\n]*: packet\.send: veth0: no ARP reply from 198\.18\.\d+\.99 on veth0 within 0\.3 s\n` +
		`198\.18\.\d+\.99 dev veth0 (INCOMPLETE|FAILED) \n\n` +
		`[^\n]*bad argument #2 to 'send' \(option 'timeout' must be more than 0 seconds\)\n$`)
	if !want.MatchString(out) {
		t.Errorf("got\n%s", out)
	}
}

// Fields the script gives are sent as given; an ARP request goes to
// broadcast from the interface's addresses, and the peer's kernel
// answers it to them.
func TestSendKeepsGivenFields(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, echoLua+`
		local a, b = lab.pair()
		local s = packet.open(a.ifname, { netns = a, filter = "arp" })
		local sb = packet.open(b.ifname, { netns = b, filter = "icmp or arp" })
		local given = { f.ether{ src = "02:00:00:00:00:99", dst = b.mac }, f.ipv4{ src = "198.18.200.7", dst = b.ip }, f.icmp4{}, "x" }
		s:send(given)
		print(sb:recv(1) == f.build(given))
		s:send{ f.ether{}, f.arp{ pdst = b.ip } }
		local q = f.parse((assert(sb:recv(1), "no ARP request")))
		print(q.ether.dst, q.ether.src == a.mac, q.arp.op, q.arp.hwsrc == a.mac, q.arp.psrc == a.ip, q.arp.pdst == b.ip)
		local r = f.parse((assert(s:recv(1), "no ARP reply")))
		print(r.ether.dst == a.mac, r.arp.op, r.arp.hwsrc == b.mac, r.arp.pdst == a.ip)
	`, luaModules()...)
	if want := "true\nff:ff:ff:ff:ff:ff\ttrue\t1\ttrue\ttrue\ttrue\ntrue\t2\ttrue\ttrue\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// Broadcast and multicast destinations go to their link addresses with
// no resolution, and the peer's kernel takes them: it answers an echo
// sent to its subnet's broadcast address once told to.
func TestSendFillsBroadcastAndMulticast(t *testing.T) {
	testlab.Privileged(t)
	out := testlab.MustLua(t, echoLua+`
		local a, b = lab.pair()
		b:sysctl("net.ipv4.icmp_echo_ignore_broadcasts", 0)
		local s = packet.open(a.ifname, { netns = a, filter = "icmp" })
		local sb = packet.open(b.ifname, { netns = b, filter = "icmp[0] = 8 or icmp6" })
		local bcast = b.ip:gsub("%.2$", ".255")
		for _, dst in ipairs{ bcast, "255.255.255.255", "224.0.0.1" } do
			s:send({ f.ether{}, f.ipv4{ dst = dst }, f.icmp4{ id = 5 } }, { timeout = 0.2 })
			print(f.parse((assert(sb:recv(1), "nothing at b"))).ether.dst)
		end
		s:send({ f.ether{}, f.ipv6{ src = "fe80::99", dst = "ff02::1" }, f.icmp6{ type = 128 } }, { timeout = 0.2 })
		print(f.parse((assert(sb:recv(1), "nothing at b"))).ether.dst)
		s:send{ f.ether{}, f.ipv4{ dst = bcast }, f.icmp4{ id = 6 } }
		local p
		repeat p = assert(echo(s), "no echo reply to broadcast") until p.icmp4.id == 6 -- the others are answered too
		print(p.ipv4.src == b.ip, p.icmp4.id)
	`, luaModules()...)
	want := "ff:ff:ff:ff:ff:ff\nff:ff:ff:ff:ff:ff\n01:00:5e:00:00:01\n33:33:00:00:00:01\ntrue\t6\n"
	if out != want {
		t.Errorf("got %q\nwant %q", out, want)
	}
}
