-- Checks exercise 7 (arpspoof.lua): sudo netlua test scripts/lab/arpspoof_test.lua
local lab, netlink, packet, rawip, f = require "lab", require "netlink", require "packet", require "rawip", require "frame"
local arpspoof = require("exercise")("arpspoof")

-- lan is the ends of victim, gateway and attacker on one segment. The
-- victim's ARP sysctls are set here: a namespace inherits IPv4's from the
-- machine.
local function lan()
  local l = lab.new()
  local v, gw, x = l:lan(l:host("victim"), l:host("gw"), l:host("attacker"))
  for _, conf in ipairs{ "all", v.ifname } do
    v:sysctl("net.ipv4.conf." .. conf .. ".arp_accept", 0)
    v:sysctl("net.ipv4.conf." .. conf .. ".arp_ignore", 0)
  end
  return v, gw, x
end

-- entry is the victim's neighbour entry for ip, from the kernel, or nil.
local function entry(v, ip)
  for _, n in ipairs(netlink.neighbors(v.ifname, { netns = v })) do
    if n.dst == ip then return n end
  end
end

-- poisoned waits up to a second for the victim's entry for ip to show
-- mac, since the frames cross the bridge in softirqs that may run after
-- the send returns, and returns the entry (or nil).
local function poisoned(v, ip, mac)
  local deadline = now() + 1
  local n = entry(v, ip)
  while not (n and n.mac == mac) and now() < deadline do
    sleep(0.01)
    n = entry(v, ip)
  end
  return n
end

-- ping sends one echo request from the victim to ip and returns at once.
local function ping(v, ip)
  local s = rawip.open{ proto = "icmp", netns = v }
  s:sendto(f.build{ f.icmp4{ type = 8, id = 0x7a7a, seq = 1 }, "to the gateway" }, ip)
  s:close()
end

test("a victim that never spoke to its gateway maps it to the attacker", function(t)
  local v, gw, x = lan()
  t:eq(entry(v, gw.ip), nil, "no entry before")
  arpspoof.poison(x, v, gw.ip)
  local n = poisoned(v, gw.ip, x.mac)
  t:ok(n, "the victim has an entry for the gateway")
  if n then t:eq(n.mac, x.mac, "the gateway's MAC in the victim's table") end
end)

test("a victim that just spoke to its gateway is poisoned too", function(t)
  local v, gw, x = lan()
  local out, status = v:exec{ "ping", "-c1", "-W1", gw.ip }
  t:eq(status, 0, "the victim pings its gateway: " .. out)
  local before = entry(v, gw.ip)
  t:eq(before and before.mac, gw.mac, "the real MAC before")
  arpspoof.poison(x, v, gw.ip)
  local n = poisoned(v, gw.ip, x.mac)
  t:eq(n and n.mac, x.mac, "the gateway's MAC in the victim's table")
end)

test("the victim's packets for its gateway reach the attacker", function(t)
  local v, gw, x = lan()
  arpspoof.poison(x, v, gw.ip)
  poisoned(v, gw.ip, x.mac)
  local rx = packet.open(x.ifname, { netns = x, filter = "icmp" })
  ping(v, gw.ip)
  local p = t:expect(rx, function(p) return p.ipv4.dst == gw.ip and p.icmp4.id == 0x7a7a end)
  t:eq(p.ether.dst, x.mac, "sent to the attacker's MAC")
  t:eq(p.ether.src, v.mac, "by the victim")
end)
