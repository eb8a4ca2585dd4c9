-- bench/build_send.lua IFACE [COUNT [SECONDS [fresh]]]: a Lua loop that
-- builds every frame anew and sends it: what a script that crafts each
-- packet pays. The frame is benchframe's, with the UDP source port
-- counting. f.build makes every frame from its layers, lengths and
-- checksums computed each time; the layers that stay the same (Ethernet,
-- IPv4) are described once, as a script would write it, and the UDP layer
-- for each frame. With "fresh", every layer's table is made for each
-- frame too (Lua tables cost gopher-lua about a microsecond each). COUNT
-- frames (default 200000) or SECONDS (default 10); prints frames per
-- second. bench/compare.lua sets it against Scapy building each frame
-- (bench/scapy_build_send.py).

local f = require "frame"
local benchframe = require "benchframe"

local s, count, seconds = benchframe.sender("build_send.lua", 200000, " [fresh]")
local fresh = arg[4] == "fresh"
local mac, payload = s.mac, benchframe.payload
local ether = f.ether{ src = mac, dst = benchframe.dst }
local ipv4 = f.ipv4{ src = benchframe.src_ip, dst = benchframe.dst_ip }

local function build(sport)
  if fresh then
    return benchframe.build(mac, sport)
  end
  return f.build{ ether, ipv4, f.udp{ sport = sport, dport = 9 }, payload }
end

local sent, start = 0, now()
local stop = start + seconds
while sent < count and now() < stop do
  for _ = 1, math.min(100, count - sent) do
    s:send(build(1024 + sent % 60000))
    sent = sent + 1
  end
end
local elapsed = now() - start
print(("%d frames built and sent in %.3f s: %.0f pps"):format(sent, elapsed, sent / elapsed))
