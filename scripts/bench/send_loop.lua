-- bench/send_loop.lua IFACE [COUNT [SECONDS]]: how fast a Lua loop of
-- s:send sends a prebuilt 64-byte frame out of IFACE. It sends COUNT
-- frames (default 1000000), or stops after SECONDS (default 10), and
-- prints frames per second. Run it in a lab, where the frames (to a
-- made-up MAC, of the experimental EtherType 0x88b5) go nowhere:
--
--   sudo ./netlua -e 'local a = require("lab").pair()
--     print(a:exec{ "./netlua", "scripts/bench/send_loop.lua", a.ifname })'
--
-- go test -bench Send ./luabind/packet compares it with a plain Go
-- write(2) loop and trafgen on one lab pair.

local packet = require "packet"
local f = require "frame"

local ifname = arg[1]
if not ifname then
  io.stderr:write("usage: netlua scripts/bench/send_loop.lua IFACE [COUNT [SECONDS]]\n")
  os.exit(2)
end
local count = tonumber(arg[2] or 1000000)
local seconds = tonumber(arg[3] or 10)

-- Bound to another EtherType than the frame's, so it does not receive
-- what it sends.
local s = packet.open(ifname, { proto = 0x88b6 })
local frame = f.build{
  f.ether{ src = s.mac, dst = "02:00:00:00:00:99", type = 0x88b5 },
  ("\0"):rep(50),
}

local sent, start = 0, now()
local stop = start + seconds
while sent < count and now() < stop do
  for _ = 1, 1000 do
    s:send(frame)
  end
  sent = sent + 1000
end
local elapsed = now() - start
print(("%d frames of %d bytes in %.3f s: %.0f pps"):format(sent, #frame, elapsed, sent / elapsed))
