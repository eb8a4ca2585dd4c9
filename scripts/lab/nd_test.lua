-- Checks exercise 11 (nd.lua): sudo netlua test scripts/lab/nd_test.lua
local lab, netlink, packet, rawip, loop, f =
  require "lab", require "netlink", require "packet", require "rawip", require "loop", require "frame"
local nd = require("exercise")("nd")

local PEER, TARGET = "2001:2::2", "2001:2::1" -- the peer's address, and the one claimed
local MAC = "02:00:00:00:0d:01" -- the claimed address's MAC: not the end's own

-- pair makes two ends and gives b the address PEER (without duplicate
-- address detection, so that it is usable at once).
local function pair()
  local a, b = lab.pair{ ipv6 = false } -- the exercise gives its own IPv6 addresses
  b:sysctl("net.ipv6.conf." .. b.ifname .. ".accept_dad", 0)
  netlink.add_addr(b.ifname, PEER .. "/64", { netns = b })
  -- Linux 5.19 and later could be told to take unsolicited NAs; not here.
  pcall(b.sysctl, b, "net.ipv6.conf." .. b.ifname .. ".accept_untracked_na", 0)
  return a, b
end

-- entry is b's neighbour entry for TARGET, from the kernel, or nil.
local function entry(b)
  for _, n in ipairs(netlink.neighbors(b.ifname, { netns = b, family = 6 })) do
    if n.dst == TARGET then return n end
  end
end

-- await watches groups of b's netlink, calls action, then runs the loop
-- until done() holds after an event (netlink reporting the change), or for
-- 3 seconds: on a busy machine a peer whose link is brand new sometimes
-- lets the first exchange pass (the NA arrives, the entry stays
-- INCOMPLETE), and its kernel sends the next NS a second later.
local function await(b, groups, done, action)
  local w = netlink.watch(groups, function()
    if done() then loop.stop() end
  end, { netns = b })
  action()
  local timer = loop.after(3, loop.stop)
  loop.run()
  timer:cancel()
  w:close()
end

-- settle calls action and waits until b's entry for TARGET shows mac in
-- state (or 3 seconds passed), and returns the entry.
local function settle(b, mac, state, action)
  await(b, "neigh", function()
    local n = entry(b)
    return n and n.mac == mac and n.state == state
  end, action)
  return entry(b)
end

-- received is how many neighbour advertisements b's kernel has taken in.
local function received(b)
  local out = b:exec{ "cat", "/proc/net/snmp6" }
  return tonumber(out:match("Icmp6InNeighborAdvertisements%s+(%d+)"))
end

-- announced calls announce and waits until b's kernel has the NA (or a
-- second passed), so that what b did with it can be judged.
local function announced(a, b)
  local before = received(b)
  nd.announce(a, TARGET, MAC)
  local deadline = now() + 1
  while received(b) == before and now() < deadline do sleep(0.01) end
end

test("respond answers the peer's solicitation: the peer marks the target REACHABLE", function(t)
  local a, b = pair()
  local s = nd.respond(a, TARGET, MAC)
  local ping = rawip.open{ family = 6, proto = "icmp6", netns = b }
  local n = settle(b, MAC, "REACHABLE", function()
    ping:sendto(f.build{ f.icmp6{ type = 128, id = 7, seq = 1 }, "who is there?" }, TARGET)
  end)
  s:close()
  t:ok(n, "the peer has an entry for the target")
  t:eq(n and n.mac, MAC, "the target's MAC in the peer's table")
  t:eq(n and n.state, "REACHABLE", "its state")
end)

test("announce moves the peer's entry to the new MAC, STALE", function(t)
  local a, b = pair()
  announced(a, b)
  t:eq(entry(b), nil, "an unsolicited NA creates no entry")
  -- An NS from TARGET at OLD makes b note TARGET at OLD (STALE), as an ARP
  -- request does in IPv4.
  local OLD = "02:00:00:00:0d:99"
  local tx = packet.open(a.ifname, { netns = a })
  settle(b, OLD, "STALE", function()
    tx:send(f.build{ f.ether{ src = OLD, dst = b.mac }, f.ipv6{ src = TARGET, dst = PEER }, f.icmp6{},
      f.nd_ns{ tgt = PEER, options = { { "SrcLLAddr", lladdr = OLD } } } })
  end)
  t:eq(entry(b) and entry(b).mac, OLD, "the peer's entry before")
  local n = settle(b, MAC, "STALE", function() nd.announce(a, TARGET, MAC) end)
  t:eq(n and n.mac, MAC, "the target's MAC in the peer's table")
  t:eq(n and n.state, "STALE", "its state")
end)

-- learnt is what b learnt from an RA: its address in prefix, its default
-- route and the neighbour entry of that route's gateway.
local function learnt(b, prefix)
  local addr, route, neigh
  for _, x in ipairs(netlink.addrs(b.ifname, { family = 6, netns = b })) do
    if x.addr:sub(1, #prefix) == prefix then addr = x.addr end
  end
  for _, r in ipairs(netlink.routes{ family = 6, netns = b }) do
    if r.dst == "default" then route = r end
  end
  for _, n in ipairs(netlink.neighbors(b.ifname, { family = 6, netns = b })) do
    if route and n.dst == route.gateway then neigh = n end
  end
  return addr, route, neigh
end

-- router calls action and waits until b has an address in prefix and a
-- default route (or 3 seconds passed), and returns what b learnt.
local function router(b, prefix, action)
  await(b, { "addr6", "route6" }, function()
    local addr, route = learnt(b, prefix)
    return addr and route
  end, action)
  return learnt(b, prefix)
end

test("advertise makes the peer a SLAAC address and a default route", function(t)
  local a, b = lab.pair{ ipv6 = false } -- the exercise gives its own IPv6 addresses
  b:forward(false) -- a router takes no RA
  b:sysctl("net.ipv6.conf." .. b.ifname .. ".accept_ra", 1)
  b:sysctl("net.ipv6.conf." .. b.ifname .. ".autoconf", 1)
  local addr, route, neigh = router(b, "2001:2:0:7:", function() nd.advertise(a, "2001:2:0:7::") end)
  t:ok(addr, "the peer has an address in 2001:2:0:7::/64")
  if not t:ok(route, "the peer has a default route") then return end
  t:eq(route.proto, "ra", "learnt from a router advertisement")
  t:match(route.gateway, "^fe80:", "via a link-local address")
  t:eq(neigh and neigh.mac, a.mac, "the router's MAC in the peer's table")
end)
