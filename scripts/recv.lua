-- recv.lua IFACE: receives the IPv4 frames that reach IFACE, in
-- promiscuous mode, like the seed's recv-raw-packet.c, until ^C. For each
-- frame it prints its size, its destination MAC, its source IP and the
-- interface's own; "but I sent it :(" when they are the same; otherwise
-- the UDP payload length when it is UDP, and the whole frame in hex.
--
-- Promiscuous mode belongs to this socket (PACKET_ADD_MEMBERSHIP): it ends
-- with the script, where the seed's SIOCSIFFLAGS left the interface
-- promiscuous for good.
--
--   sudo netlua scripts/recv.lua veth0

local packet = require "packet"
local f = require "frame"

local ifname = arg[1]
if not ifname then
  io.stderr:write("usage: netlua scripts/recv.lua IFACE\n")
  os.exit(2)
end

-- proto "all" and the filter "ip" rather than the seed's EtherType: the
-- kernel hands the frames a host sends only to sockets that take every
-- EtherType, and this script wants to see its host's own frames too.
local s = packet.open(ifname, { proto = "all", promisc = true, filter = "ip" })
local my_ip = s.ip or "none"

-- hex is the frame's bytes as the seed prints them: "02 00 c6 12 ...".
local function hex(bytes)
  return (bytes:gsub(".", function(c) return ("%02x "):format(c:byte()) end))
end

-- show prints one IPv4 frame as the seed does.
local function show(bytes, p)
  print(("  Got packet %d bytes"):format(#bytes))
  print("Destination  MAC address = " .. p.ether.dst)
  print(("Source IP: %s\n My IP: %s"):format(p.ipv4.src, my_ip))
  if p.ipv4.src == my_ip then
    print("but I sent it :(")
    return
  end
  if p.udp then
    print(("UDP payload length: %d"):format(p.udp.len - 8))
  end
  print(hex(bytes))
end

print("\nWaiting to recvfrom...")
while true do
  local bytes = s:recv()
  local p = f.parse(bytes)
  if p.ether and p.ipv4 then
    show(bytes, p)
  end
end
