-- traceroute.lua [-I|-U|-T] [-p PORT] [-m MAXTTL] DST: the route to DST,
-- printed as traceroute -n prints it, one probe a hop:
--
--   traceroute to 198.18.3.2 (198.18.3.2), 30 hops max
--    1  198.18.1.2  0.061 ms
--    2  *
--
-- -I sends ICMP echo, -U UDP (the default, to port 33434 and up), -T TCP
-- SYN (to port 80); every TTL goes at once, in one sr call
-- (scan.traceroute, Scapy's traceroute).
--
--   sudo netlua scripts/traceroute.lua -I 198.18.3.2
local scan, rawip = require "scan", require "rawip"

local protos = { ["-I"] = "icmp", ["-U"] = "udp", ["-T"] = "tcp" }
local opts, dst = { proto = "udp" }, nil
local i = 1
while arg[i] do
  local a = arg[i]
  if protos[a] then
    opts.proto = protos[a]
  elseif a == "-p" or a == "-m" then
    i = i + 1
    opts[a == "-p" and "dport" or "maxttl"] = tonumber(arg[i])
  else
    dst = a
  end
  i = i + 1
end
if not dst then
  io.stderr:write("usage: netlua scripts/traceroute.lua [-I|-U|-T] [-p PORT] [-m MAXTTL] DST\n")
  os.exit(2)
end

local addr = rawip.resolve(dst)
print(("traceroute to %s (%s), %d hops max"):format(dst, addr, opts.maxttl or 30))
for _, h in ipairs(scan.traceroute(addr, opts)) do
  if h.ip then
    print(("%2d  %s  %.3f ms"):format(h.ttl, h.ip, h.rtt * 1000))
  else
    print(("%2d  *"):format(h.ttl))
  end
end
