-- pingsweep.lua CIDR [TIMEOUT]: an ICMP echo request to every host
-- address of CIDR in one sr call (scan.pingsweep); prints the addresses
-- that answered, one a line, as fping -a -g does.
--
--   sudo netlua scripts/pingsweep.lua 198.18.0.0/24
local scan = require "scan"

local cidr = arg[1]
if not cidr then
  io.stderr:write("usage: netlua scripts/pingsweep.lua CIDR [TIMEOUT]\n")
  os.exit(2)
end
for _, ip in ipairs(scan.pingsweep(cidr, { timeout = tonumber(arg[2]) })) do
  print(ip)
end
