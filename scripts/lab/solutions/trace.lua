-- A solution to exercise 2 (scripts/lab/trace.lua).
local rawip, frame = require "rawip", require "frame"

local M = {}

-- probe sends one echo request with ttl and returns who answered, or nil.
local function probe(e, dst, ttl)
  local s = rawip.open{ proto = "icmp", ttl = ttl, netns = e }
  local id = 0x4e4c
  s:sendto(frame.build{ frame.icmp4{ type = 8, id = id, seq = ttl }, "netlua trace" }, dst)
  local deadline = now() + 1
  while now() < deadline do
    local bytes, info = s:recv(deadline - now())
    if not bytes then break end
    local icmp = frame.parse(bytes, { first = "ipv4" }).icmp4
    if icmp and (icmp.type == 11 or (icmp.type == 0 and icmp.id == id and icmp.seq == ttl)) then
      s:close()
      return info.src
    end
  end
  s:close()
end

function M.trace(e, dst, maxttl)
  local hops = {}
  for ttl = 1, maxttl or 8 do
    hops[ttl] = probe(e, dst, ttl) or "*"
    if hops[ttl] == dst then break end
  end
  return hops
end

return M
