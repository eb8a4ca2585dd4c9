-- bench/send_loop.lua IFACE [COUNT [SECONDS]]: how fast a Lua loop of
-- s:send sends a prebuilt frame (benchframe's 60 bytes) out of IFACE. It
-- sends COUNT frames (default 1000000), or stops after SECONDS (default
-- 10), and prints frames per second. Run it in a lab, where the frames go
-- nowhere:
--
--   sudo ./netlua -e 'local a = require("lab").pair()
--     print(a:exec{ "./netlua", "scripts/bench/send_loop.lua", a.ifname })'
--
-- bench/compare.lua sets it against trafgen; go test -bench Send
-- ./luabind/packet against a plain Go write(2) loop.

local benchframe = require "benchframe"

local s, count, seconds = benchframe.sender("send_loop.lua", 1000000)
local frame = benchframe.build(s.mac)

local sent, start = 0, now()
local stop = start + seconds
while sent < count and now() < stop do
  for _ = 1, math.min(1000, count - sent) do
    s:send(frame)
  end
  sent = sent + math.min(1000, count - sent)
end
local elapsed = now() - start
print(("%d frames of %d bytes in %.3f s: %.0f pps"):format(sent, #frame, elapsed, sent / elapsed))
