-- A solution to exercise 5 (scripts/lab/nftdrop.lua).
local nft = require "nft"

local M = {}

function M.drop_udp(e)
  return nft.drop{ hook = "input", proto = "udp", netns = e }
end

function M.count_icmp(e)
  return nft.count{ hook = "input", proto = "icmp", netns = e }
end

return M
