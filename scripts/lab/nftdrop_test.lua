-- Checks exercise 5 (nftdrop.lua): sudo netlua test scripts/lab/nftdrop_test.lua
local lab, packet, rawip, f = require "lab", require "packet", require "rawip", require "frame"
local nftdrop = require("exercise")("nftdrop")

test("UDP is dropped and counted, pings are answered and counted", function(t)
  local a, b = lab.pair()
  local drop = nftdrop.drop_udp(b)
  local count = nftdrop.count_icmp(b)

  -- b listens for what its kernel sends back: echo replies, and port
  -- unreachables if a datagram got through to a closed port.
  local icmp = rawip.open{ proto = "icmp", netns = a }
  local tx = packet.open(a.ifname, { proto = 0x88b6, netns = a })
  for i = 1, 5 do
    tx:send(f.build{ f.ether{ src = a.mac, dst = b.mac }, f.ipv4{ src = a.ip, dst = b.ip },
      f.udp{ sport = 40000 + i, dport = 9999 }, "hello" })
  end
  for i = 1, 3 do
    icmp:sendto(f.build{ f.icmp4{ type = 8, id = 77, seq = i }, "ping" }, b.ip)
  end

  local replies, unreachable = 0, 0
  while true do
    local bytes = icmp:recv(0.3)
    if not bytes then break end
    local p = f.parse(bytes, { first = "ipv4" })
    if p.icmp4 and p.icmp4.type == 0 and p.icmp4.id == 77 then replies = replies + 1 end
    if p.icmp4 and p.icmp4.type == 3 then unreachable = unreachable + 1 end
  end
  t:eq(drop:counter().packets, 5, "UDP packets dropped")
  t:eq(count:counter().packets, 3, "ICMP packets counted")
  t:eq(replies, 3, "echo replies")
  t:eq(unreachable, 0, "port unreachables (a datagram got through)")
end)
