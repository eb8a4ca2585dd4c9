-- raw_send.lua DST [PORT]: the seed's raw-socket sender. It builds the
-- IPv4 header and the UDP header itself, sends them on a raw socket with
-- IP_HDRINCL to DST, UDP port 5500 unless PORT is given, and prints what
-- it sent. The source address is the one the kernel would use for DST
-- (the route's preferred source, as `ip route get DST` shows).
--
--   sudo netlua scripts/raw_send.lua 198.18.0.2

local rawip, f = require "rawip", require "frame"

local dst = arg[1]
if not dst then
  io.stderr:write("usage: netlua scripts/raw_send.lua DST [PORT]\n")
  os.exit(2)
end
local port = tonumber(arg[2] or 5500)
dst = rawip.resolve(dst, 4)
local src = rawip.source(dst)

-- IPPROTO_RAW: the socket sends whole packets, header included.
local s = rawip.open{ proto = "raw", hdrincl = true }
local payload = "Hello from netlua's raw socket"
local packet = f.build{
  f.ipv4{ src = src, dst = dst, ttl = 64 },
  f.udp{ sport = 40000, dport = port },
  payload,
}
local n = s:sendto(packet, dst)
local p = f.parse(packet, { first = "ipv4" })
print(("Sent %d bytes: IPv4 %s > %s, ttl %d, id %d, UDP %d > %d, %d bytes of payload: %q"):format(
  n, p.ipv4.src, p.ipv4.dst, p.ipv4.ttl, p.ipv4.id, p.udp.sport, p.udp.dport, #p.payload, p.payload))
