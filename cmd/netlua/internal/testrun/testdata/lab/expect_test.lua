-- t:expect in a lab: frames sent from a to b, received at b. The second
-- test fails on purpose, to show what arrived.
local lab = require "lab"
local packet = require "packet"
local rawip = require "rawip"
local f = require "frame"

local function udp(a, b, dport)
  return f.build{
    f.ether{ src = a.mac, dst = b.mac },
    f.ipv4{ src = a.ip, dst = b.ip },
    f.udp{ sport = 4000, dport = dport },
    "hello",
  }
end

test("a frame sent from a arrives at b", function(t)
  local a, b = lab.pair()
  local sa, sb = packet.open(a.ifname, { netns = a }), packet.open(b.ifname, { netns = b })
  sa:send(udp(a, b, 5000))
  local p = t:expect(sb, function(p) return p.udp and p.udp.dport == 5000 end, 2)
  t:eq(p.payload, "hello")
  t:eq(p.ipv4.src, a.ip)
end)

test("a raw IP socket's packets parse from the IP header", function(t)
  local a, b = lab.pair()
  local sa, rb = packet.open(a.ifname, { netns = a }), rawip.open{ proto = "udp", family = 4, netns = b }
  sa:send(udp(a, b, 5000))
  local p, bytes = t:expect(rb, function(p) return p.udp and p.udp.dport == 5000 end, 2)
  t:eq(p.layers[1].name, "ipv4")
  t:eq(#bytes, 20 + 8 + 5)
end)

test("a frame without the layer the predicate reads does not match", function(t)
  local a, b = lab.pair()
  local sa, sb = packet.open(a.ifname, { netns = a }), packet.open(b.ifname, { netns = b })
  sa:send(f.build{ f.ether{ src = a.mac }, f.arp{ hwsrc = a.mac, psrc = a.ip, pdst = b.ip } })
  sa:send(udp(a, b, 5000))
  local p = t:expect(sb, function(p) return p.udp.dport == 5000 end, 2)
  t:eq(p.payload, "hello")
end)

test("nothing matches", function(t)
  local a, b = lab.pair()
  local sa, sb = packet.open(a.ifname, { netns = a }), packet.open(b.ifname, { netns = b, filter = "udp" })
  for port = 5001, 5003 do sa:send(udp(a, b, port)) end
  t:expect(sb, function(p) return p.udp.dport == 9999 end, 0.3)
  t:ok(false, "expect should have stopped the test")
end)
