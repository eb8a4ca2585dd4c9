-- Exercise 2: where does the TTL run out?
--
-- Goal: write trace(e, dst, maxttl), a small traceroute. From the
-- namespace of e, send ICMP echo requests to dst with TTL 1, 2, 3, ...
-- Each router on the way that sees the TTL reach 0 drops the packet and
-- answers "time exceeded" (ICMP type 11) from its own address; dst itself
-- answers with an echo reply (type 0). Return the list of the addresses
-- that answered, one per TTL, ending with dst; "*" for a TTL nobody
-- answered within a second. Stop at maxttl (default 8).
--
-- The test builds a chain a - r1 - r2 - b of four namespaces with
-- forwarding routers: the answer there is { r1, r2, b }.
--
-- Hints:
--   * rawip.open{ proto = "icmp", ttl = n, netns = e } sends with TTL n.
--   * frame.build{ frame.icmp4{ type = 8, id = ..., seq = n }, "data" } is
--     an echo request; s:sendto(bytes, dst) sends it.
--   * s:recv(seconds) returns the whole IPv4 packet and info.src, the
--     address it came from; frame.parse(bytes, { first = "ipv4" }).icmp4.
--
-- Check your work:   sudo netlua test scripts/lab/trace_test.lua
-- A solution:        scripts/lab/solutions/trace.lua
local rawip, frame = require "rawip", require "frame"

local M = {}

function M.trace(e, dst, maxttl)
  error("exercise 2: write trace") -- your code here
end

return M
