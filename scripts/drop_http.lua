-- drop_http.lua: the seed's netfilter module that drops incoming TCP
-- packets whose payload contains "HTTP", as one nftables rule.
--
--   sudo netlua scripts/drop_http.lua [IFACE] [SECONDS]
--
-- IFACE limits the rule to packets coming in by that interface (default:
-- all); SECONDS ends the script after that long (default: run until ^C).
-- It prints the rule, then the rule's counter every second and at the end.
-- The kernel does the dropping: no packet passes through Lua. The rule
-- lives in netlua's own table, which the kernel removes when the script
-- ends, however it ends (^C, kill, even kill -9).
local nft = require "nft"
local loop = require "loop"

local iface = arg[1] ~= "all" and arg[1] ~= "" and arg[1] or nil
local seconds = tonumber(arg[2])

local rule = nft.drop{ hook = "input", proto = "tcp", contains = "HTTP", iface = iface }
print("dropping: " .. tostring(rule))

local function report()
  local c = rule:counter()
  print(string.format("dropped %d packets (%d bytes)", c.packets, c.bytes))
end

loop.every(1, report)
loop.defer(report) -- the last count, at the end or at ^C
if seconds then
  loop.after(seconds, loop.stop)
end
