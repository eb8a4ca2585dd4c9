-- arping.lua IFACE CIDR [TIMEOUT]: ARP who-has to every address of CIDR
-- out of IFACE, in one srp call (scan.arping, Scapy's arping); one line
-- per host that answered, by address, as arp-scan prints them:
--
--   198.18.0.2	02:00:c6:12:00:02
--
--   sudo netlua scripts/arping.lua veth0 198.18.0.0/24
local scan = require "scan"

local ifname, cidr = arg[1], arg[2]
if not cidr then
  io.stderr:write("usage: netlua scripts/arping.lua IFACE CIDR [TIMEOUT]\n")
  os.exit(2)
end
for _, h in ipairs(scan.arping(cidr, { iface = ifname, timeout = tonumber(arg[3]) })) do
  print(("%s\t%s"):format(h.ip, h.mac))
end
