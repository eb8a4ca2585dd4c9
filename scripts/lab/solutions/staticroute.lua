-- A solution to exercise 13 (scripts/lab/staticroute.lua).
local netlink = require "netlink"

local M = {}

-- subnets are the IPv4 and IPv6 subnets of a link end: 198.18.3.0/24
-- and 2001:2:0:3::/64.
local function subnets(e)
  return e.ip:gsub("%d+$", "0") .. "/" .. e.prefix, (e.cidr6:gsub("::%x+/", "::/"))
end

-- route sends the subnets of link end e from host h via the end next.
local function route(h, e, next)
  local v4, v6 = subnets(e)
  netlink.add_route{ dst = v4, via = next.ip, netns = h }
  netlink.add_route{ dst = v6, via = next.ip6, netns = h }
end

function M.install(chain)
  -- links[j] is the end of chain[j] on the link to chain[j + 1].
  local links = {}
  for j = 1, #chain - 1 do
    links[j] = chain[j].ifaces[#chain[j].ifaces]
  end
  for i, h in ipairs(chain) do
    for j, e in ipairs(links) do
      if j < i - 1 then -- beyond the link on our left: via the left neighbour
        route(h, e, links[i - 1])
      elseif j > i then -- beyond the link on our right: via the right neighbour
        route(h, e, links[i].peer)
      end
    end
  end
end

return M
