-- Checks exercise 2 (trace.lua): sudo netlua test scripts/lab/trace_test.lua
local lab, netlink = require "lab", require "netlink"
local trace = require("exercise")("trace")

-- subnet is the /24 of a link end: 198.18.3.0/24.
local function subnet(e)
  return e.ip:gsub("%d+$", "0") .. "/" .. e.prefix
end

-- chain makes hosts a, r1 .. rn, b joined in a line, with forwarding on
-- the routers and routes to every subnet, and returns the links' ends:
-- links[i] = { left end, right end }.
local function chain(n)
  local l = lab.new()
  local hosts = { l:host("a") }
  for i = 1, n do hosts[#hosts + 1] = l:host("r" .. i) end
  hosts[#hosts + 1] = l:host("b")
  local links = {}
  for i = 1, #hosts - 1 do
    links[i] = { l:link(hosts[i], hosts[i + 1]) }
  end
  for i, h in ipairs(hosts) do
    if i > 1 and i < #hosts then
      h:forward() -- no program run: works under setcap too
    end
    for j, link in ipairs(links) do
      if j < i - 1 then -- left of the link on our left: via the left neighbour
        netlink.add_route{ dst = subnet(link[1]), via = links[i - 1][1].ip, netns = h }
      elseif j > i then -- right of the link on our right: via the right neighbour
        netlink.add_route{ dst = subnet(link[1]), via = links[i][2].ip, netns = h }
      end
    end
  end
  return links
end

test("trace names both routers and the end", function(t)
  local links = chain(2)
  local a, b = links[1][1], links[3][2]
  local hops = trace.trace(a, b.ip)
  t:eq(hops, { links[1][2].ip, links[2][2].ip, b.ip })
end)

test("trace of a neighbour is one hop", function(t)
  local a, b = lab.pair()
  t:eq(trace.trace(a, b.ip), { b.ip })
end)

test("trace stops at maxttl", function(t)
  local links = chain(3)
  local hops = trace.trace(links[1][1], links[4][2].ip, 2)
  t:eq(hops, { links[1][2].ip, links[2][2].ip })
end)
