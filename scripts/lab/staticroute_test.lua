-- Checks exercise 13 (staticroute.lua): sudo netlua test scripts/lab/staticroute_test.lua
local lab, netlink = require "lab", require "netlink"
local staticroute = require("exercise")("staticroute")

-- chain builds h1 - r1 - r2 - r3 - h2 with no routes beyond each link,
-- and returns its hosts in that order.
local function chain()
  local n = lab.new()
  local hosts = { n:host("h1"), n:router("r1"), n:router("r2"), n:router("r3"), n:host("h2") }
  for i = 1, #hosts - 1 do
    n:link(hosts[i], hosts[i + 1])
  end
  return hosts
end

-- ping is the kernel's own ping from host h to addr: true when answered.
local function ping(h, addr)
  local out, status = h:exec{ "ping", "-c", "1", "-W", "2", addr }
  return status == 0, out
end

-- nexthop is the gateway the kernel of h chooses for addr (ip route get),
-- or nil for a directly reachable address (or none).
local function nexthop(h, addr)
  local out = h:exec{ "ip", "-o", "route", "get", addr }
  return out:match(" via (%S+)")
end

for _, v in ipairs{ { "IPv4", "ip" }, { "IPv6", "ip6" } } do
  local name, field = v[1], v[2]

  test("h1 reaches h2 and back through three routers, " .. name, function(t)
    local hosts = chain()
    local h1, h2 = hosts[1], hosts[5]
    local a, b = h1.ifaces[1][field], h2.ifaces[1][field]
    t:eq(ping(h1, b), false, "no route before install")
    staticroute.install(hosts)
    t:ok(ping(h1, b), "h1 pings h2 at " .. b)
    t:ok(ping(h2, a), "h2 pings h1 at " .. a)
    -- every hop but the last forwards to its neighbour, both ways
    for i = 1, 3 do
      t:eq(nexthop(hosts[i], b), hosts[i].ifaces[#hosts[i].ifaces].peer[field], hosts[i].name .. " towards h2")
      t:eq(nexthop(hosts[6 - i], a), hosts[6 - i].ifaces[1].peer[field], hosts[6 - i].name .. " towards h1")
    end
  end)
end

test("the routes are static routes, listed by netlink", function(t)
  local hosts = chain()
  staticroute.install(hosts)
  local r2 = hosts[3]
  local left, right = r2.ifaces[1].peer, r2.ifaces[2].peer -- r1's and r3's ends
  local gateways = {}
  for _, r in ipairs(netlink.routes{ netns = r2, family = 4 }) do
    if r.gateway then
      t:eq(r.proto, "static", "route to " .. r.dst)
      gateways[r.gateway] = (gateways[r.gateway] or 0) + 1
    end
  end
  t:ok((gateways[left.ip] or 0) >= 1, "r2 routes via r1 (" .. left.ip .. ")")
  t:ok((gateways[right.ip] or 0) >= 1, "r2 routes via r3 (" .. right.ip .. ")")
end)
