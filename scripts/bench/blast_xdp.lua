-- bench/blast_xdp.lua IFACE [COUNT [SECONDS]]: bench/blast.lua through
-- AF_XDP (engine = "xdp"): the same 60-byte frame out of IFACE, COUNT
-- frames (default 1000000) or SECONDS (default 10), whichever ends first;
-- prints frames per second.

local benchframe = require "benchframe"

local s, count, seconds = benchframe.sender("blast_xdp.lua", 1000000)
local frame = benchframe.build(s.mac)
local r = s:blast(frame, { count = count, duration = seconds, engine = "xdp" })
print(("%d frames of %d bytes in %.3f s: %.0f pps"):format(r.sent, #frame, r.seconds, r.pps))
