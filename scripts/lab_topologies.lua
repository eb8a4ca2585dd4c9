-- Builds each of lab's topologies, prints its hosts and addresses, and
-- pings from every host to every other (IPv4 and IPv6) with the
-- kernel's ping: sudo ./netlua scripts/lab_topologies.lua
local lab = require "lab"

-- reach pings every host of n from every other and returns how many of
-- the pings got an answer, and how many were sent.
local function reach(n)
  local ok, sent = 0, 0
  for _, a in ipairs(n.hosts) do
    for _, b in ipairs(n.hosts) do
      if a ~= b and a.kind == "host" and b.kind == "host" then
        for _, ip in ipairs{ b.ifaces[1].ip, b.ifaces[1].ip6 } do
          sent = sent + 1
          if select(2, a:exec{ "ping", "-c1", "-W2", ip }) == 0 then ok = ok + 1 end
        end
      end
    end
  end
  return ok, sent
end

local topologies = {
  { "single(3)", function() return lab.single(3) end },
  { "linear(4)", function() return lab.linear(4) end },
  { "tree(2, 2)", function() return lab.tree(2, 2) end },
  { "ring(4)", function() return lab.ring(4) end },
  { "dumbbell{ left = 2, right = 2 }", function() return lab.dumbbell{ left = 2, right = 2 } end },
  { "build{ ... } (three subnets, one router)", function()
    return lab.build{ hosts = { "h1", "h2", "h3" }, switches = { "s1", "s2", "s3" }, routers = { "r1" },
      links = { { "h1", "s1" }, { "h2", "s2" }, { "h3", "s3" }, { "s1", "r1" }, { "s2", "r1" }, { "s3", "r1" } } }
  end },
}

for _, t in ipairs(topologies) do
  local start = now()
  local n = t[2]()
  print(string.format("lab.%s: %d nodes, built in %.0f ms", t[1], #n.hosts, (now() - start) * 1000))
  for _, h in ipairs(n.hosts) do
    local addrs = {}
    for _, e in ipairs(h.ifaces) do
      if e.cidr then addrs[#addrs + 1] = e.ifname .. " " .. e.cidr .. " " .. (e.cidr6 or "") end
    end
    print(string.format("  %-3s %-6s %s", h.name, h.kind, table.concat(addrs, ", ")))
  end
  print(string.format("  pings answered: %d of %d", reach(n)))
  n:close()
end
