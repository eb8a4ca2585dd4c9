-- bench/arp_sweep.lua IFACE CIDR [TIMEOUT]: how long scan.arping takes to
-- sweep CIDR out of IFACE, waiting TIMEOUT seconds (default 1) after the
-- last who-has; prints the hosts found and the time, and the time beyond
-- the timeout (the work itself). bench/compare.lua sets it against
-- Scapy's arping (bench/scapy_arping.py) on a /24 with 20 hosts.
local scan = require "scan"

local ifname, cidr, timeout = arg[1], arg[2], tonumber(arg[3] or 1)
if not cidr then
  io.stderr:write("usage: netlua scripts/bench/arp_sweep.lua IFACE CIDR [TIMEOUT]\n")
  os.exit(2)
end
local start = now()
local found = scan.arping(cidr, { iface = ifname, timeout = timeout })
local elapsed = now() - start
print(("%d hosts in %.4f s, %.4f s beyond the timeout"):format(#found, elapsed, elapsed - timeout))
