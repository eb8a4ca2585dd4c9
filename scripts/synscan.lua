-- synscan.lua DST PORTS [TIMEOUT]: a TCP SYN scan of DST's PORTS
-- ("22,80,8000-8010"), all in one sr call (scan.synscan); one line per
-- port, as nmap prints them:
--
--   22/tcp open
--   23/tcp closed
--   25/tcp filtered
--
--   sudo netlua scripts/synscan.lua 198.18.0.2 20-25,80
local scan, rawip = require "scan", require "rawip"

local dst, ports = arg[1], arg[2]
if not ports then
  io.stderr:write("usage: netlua scripts/synscan.lua DST PORTS [TIMEOUT]\n")
  os.exit(2)
end
for _, r in ipairs(scan.synscan(rawip.resolve(dst), ports, { timeout = tonumber(arg[3]) })) do
  print(("%d/tcp %s"):format(r.port, r.state))
end
