-- hook_http.lua: the seed's netfilter module that drops incoming TCP
-- packets whose payload contains "HTTP", with the decision made in Lua.
--
--   sudo netlua scripts/hook_http.lua [IFACE] [SECONDS]
--
-- An nftables rule queues incoming TCP (from IFACE only, if given) to
-- userspace; the function below sees each packet, prints "HTTP Detected"
-- with its addresses and drops it when its payload holds "HTTP", and lets
-- every other packet pass. SECONDS ends the script after that long
-- (default: run until ^C). When the script ends the rule goes, and until
-- then a packet never waits on a script that is not there: the queue lets
-- packets pass while nothing listens.
local nfq = require "nfqueue"
local loop = require "loop"

local iface = arg[1] ~= "all" and arg[1] ~= "" and arg[1] or nil
local seconds = tonumber(arg[2])

local hook = nfq.hook({ hook = "input", proto = "tcp", iface = iface }, function(pkt)
  if pkt.tcp and pkt.payload:find("HTTP", 1, true) then
    local ip = pkt.ipv4 or pkt.ipv6
    print(string.format("HTTP Detected: %s:%d -> %s:%d on %s",
      ip.src, pkt.tcp.sport, ip.dst, pkt.tcp.dport, pkt.ifname))
    return "drop"
  end
  return "accept"
end)
print("judging in Lua: " .. hook.rule)

if seconds then
  loop.after(seconds, loop.stop)
end
