-- bench/blast.lua IFACE [COUNT [SECONDS [WORKERS]]]: how fast s:blast sends
-- benchframe's 60-byte frame out of IFACE: in Go, in sendmmsg batches, no
-- Lua per frame. COUNT frames (default 1000000) or SECONDS (default 10),
-- whichever ends first; prints frames per second. WORKERS senders at once
-- (default: one per CPU; 1 is one sender, as trafgen -P1). Run it in a lab:
--
--   sudo ./netlua -e 'local a = require("lab").pair()
--     print(a:exec{ "./netlua", "scripts/bench/blast.lua", a.ifname })'

local benchframe = require "benchframe"

local s, count, seconds = benchframe.sender("blast.lua", 1000000, " [WORKERS]")
local frame = benchframe.build(s.mac)
local r = s:blast(frame, { count = count, duration = seconds, workers = tonumber(arg[4]) })
print(("%d frames of %d bytes in %.3f s: %.0f pps"):format(r.sent, #frame, r.seconds, r.pps))
