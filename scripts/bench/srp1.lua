-- bench/srp1.lua IFACE PEER [COUNT]: round trips per second of srp1, an
-- ARP who-has to PEER and its is-at from PEER's kernel, COUNT (default
-- 10000) calls one after the other on one packet socket, as a script
-- talking to one host does. Run it in a lab; bench/compare.lua sets it
-- against Scapy's srp1 (bench/scapy_srp1.py).
local packet, f = require "packet", require "frame"

local ifname, peer, count = arg[1], arg[2], tonumber(arg[3] or 10000)
if not peer then
  io.stderr:write("usage: netlua scripts/bench/srp1.lua IFACE PEER [COUNT]\n")
  os.exit(2)
end
local s = packet.open(ifname)
local who = { f.ether{ dst = "ff:ff:ff:ff:ff:ff" }, f.arp{ pdst = peer } }
local start = now()
for i = 1, count do
  assert(s:srp1(who, { timeout = 1 }), "no answer to who-has " .. peer .. " in round " .. i)
end
local elapsed = now() - start
print(("%d srp1 round trips in %.3f s: %.0f pps"):format(count, elapsed, count / elapsed))
