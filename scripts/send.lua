-- send.lua IFACE [DST_MAC [DST_IP]]: sends one raw Ethernet frame out of
-- IFACE, like the seed's send-raw-packet.c: to 52:54:00:cf:ab:76 unless
-- DST_MAC is given, from the interface's own MAC, carrying an IPv4 header
-- and the 32 payload bytes 0x00..0x1f.
--
-- Unlike the seed, the IPv4 header is valid: its source is the
-- interface's address, its destination DST_IP (the limited broadcast
-- 255.255.255.255 by default), its length and checksum are computed, and
-- its protocol is 253, which RFC 3692 sets aside for experiments (the
-- seed's IPPROTO_IP, 0, is not a transport protocol).
--
--   sudo netlua scripts/send.lua veth0

local packet = require "packet"
local f = require "frame"

local ifname = arg[1]
if not ifname then
  io.stderr:write("usage: netlua scripts/send.lua IFACE [DST_MAC [DST_IP]]\n")
  os.exit(2)
end
local dst_mac = arg[2] or "52:54:00:cf:ab:76"
local dst_ip = arg[3] or "255.255.255.255"

local s = packet.open(ifname)
print(("( %s )  MAC address = %s"):format(ifname, s.mac or "none"))

local payload = {}
for i = 0, 31 do
  payload[#payload + 1] = string.char(i)
end

local frame = f.build{
  f.ether{ src = s.mac, dst = dst_mac },
  f.ipv4{ src = s.ip or "0.0.0.0", dst = dst_ip, proto = 253 },
  table.concat(payload),
}
local n = s:send(frame)
print(("Sent %d bytes: %s > %s, IPv4 %s > %s, 32 bytes of payload"):format(
  n, s.mac or "00:00:00:00:00:00", dst_mac, s.ip or "0.0.0.0", dst_ip))
