-- bench/build_send.lua IFACE [COUNT [SECONDS]]: a Lua loop that builds
-- every frame anew (benchframe's, with the UDP source port counting) and
-- sends it: what a script that crafts each packet pays. COUNT frames
-- (default 200000) or SECONDS (default 10); prints frames per second.
-- bench/compare.lua sets it against Scapy doing the same
-- (bench/scapy_build_send.py).

local packet = require "packet"
local benchframe = require "benchframe"

local ifname = arg[1]
if not ifname then
  io.stderr:write("usage: netlua scripts/bench/build_send.lua IFACE [COUNT [SECONDS]]\n")
  os.exit(2)
end
local count = tonumber(arg[2] or 200000)
local seconds = tonumber(arg[3] or 10)

local s = packet.open(ifname, { proto = 0x88b6 })
local build, mac = benchframe.build, s.mac

local sent, start = 0, now()
local stop = start + seconds
while sent < count and now() < stop do
  for _ = 1, math.min(100, count - sent) do
    s:send(build(mac, 1024 + sent % 60000))
    sent = sent + 1
  end
end
local elapsed = now() - start
print(("%d frames built and sent in %.3f s: %.0f pps"):format(sent, elapsed, sent / elapsed))
