-- icmp_recv.lua [DEVICE]: the seed's raw-socket receiver. It prints each
-- ICMP message the host receives, until ^C: its type and code, source,
-- and id and sequence number for echoes. With DEVICE it listens on that
-- interface only (SO_BINDTODEVICE).
--
-- A raw ICMP socket receives a copy of every ICMP message for the host;
-- the kernel still answers pings itself.
--
--   sudo netlua scripts/icmp_recv.lua veth0

local rawip, f = require "rawip", require "frame"

local device = arg[1]
local s = rawip.open{ proto = "icmp", device = device }

local names = {
  [0] = "echo reply", [3] = "destination unreachable", [4] = "source quench",
  [5] = "redirect", [8] = "echo request", [11] = "time exceeded",
  [12] = "parameter problem", [13] = "timestamp", [14] = "timestamp reply",
}

print(("Listening for ICMP%s..."):format(device and " on " .. device or ""))
while true do
  local bytes, info = s:recv()
  local p = f.parse(bytes, { first = "ipv4" })
  local icmp = p.icmp4
  if icmp then
    local line = ("ICMP %s from %s to %s: type %d code %d"):format(
      names[icmp.type] or "type " .. icmp.type, info.src, p.ipv4.dst, icmp.type, icmp.code)
    if icmp.type == 0 or icmp.type == 8 then
      line = line .. (", id %d seq %d"):format(icmp.id, icmp.seq)
    end
    print(line .. (", ttl %d, %d bytes"):format(info.ttl, #bytes))
  end
end
