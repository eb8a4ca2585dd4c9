-- Exercise 5: drop a protocol with nftables, and prove it with counters.
--
-- Goal: write drop_udp(e), which makes the kernel of e's namespace drop
-- every UDP packet that arrives for it, and returns the rule, so its
-- counter can prove it. Then write count_icmp(e), which adds a rule that
-- only counts the ICMP packets arriving, and returns it. The test sends UDP
-- datagrams and pings from the other end of the link, and checks that
-- your counters saw exactly those, that the pings were still answered and
-- the datagrams were not.
--
-- Hints:
--   * nft.drop{ proto = ..., netns = e } and nft.count{ ... }; the rules
--     live in a table of netlua's own, gone when the script ends.
--   * rule:counter() reads { packets, bytes } from the kernel.
--   * Which hook sees packets for this host? (nft.drop's hook option.)
--
-- Check your work:   sudo netlua test scripts/lab/nftdrop_test.lua
-- A solution:        scripts/lab/solutions/nftdrop.lua
local nft = require "nft"

local M = {}

function M.drop_udp(e)
  error("exercise 5: write drop_udp") -- your code here
end

function M.count_icmp(e)
  error("exercise 5: write count_icmp") -- your code here
end

return M
