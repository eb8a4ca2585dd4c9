-- Exercise 13: static routing across three routers.
--
-- Goal: write install(chain). chain is a list of five lab hosts,
-- { h1, r1, r2, r3, h2 }, joined in a line h1 - r1 - r2 - r3 - h2, one
-- subnet per link (IPv4 /24 and IPv6 /64). The routers forward, but no
-- host knows a route beyond its own links: h1 cannot reach h2. Install
-- the routes, with netlink, in every host and router that needs them, so
-- that h1 reaches h2 and h2 reaches h1, in IPv4 and in IPv6.
--
-- Hints:
--   * host.ifaces lists a host's link ends in link order: a router's
--     ifaces[1] faces h1, its ifaces[2] faces h2; end.peer is the end on
--     the other side of the link, the next hop (end.peer.ip, .ip6).
--   * end.cidr is 198.18.K.N/24: the subnet is 198.18.K.0/24 (and
--     2001:2:0:K::N/64 is in 2001:2:0:K::/64).
--   * netlink.add_route{ dst = ..., via = ..., netns = host } (dst may
--     be "default"; an IPv6 via makes an IPv6 route).
--   * Which subnets does each router reach directly, and which only
--     through a neighbour? (`ip route get ADDR` in a host shows the
--     kernel's choice.)
--
-- Check your work:   sudo netlua test scripts/lab/staticroute_test.lua
-- A solution:        scripts/lab/solutions/staticroute.lua
local netlink = require "netlink"

local M = {}

function M.install(chain)
  error("exercise 13: write install") -- your code here
end

return M
