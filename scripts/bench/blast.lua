-- bench/blast.lua IFACE [COUNT [SECONDS]]: how fast s:blast sends
-- benchframe's 60-byte frame out of IFACE: in Go, in sendmmsg batches, no
-- Lua per frame. COUNT frames (default 1000000) or SECONDS (default 10),
-- whichever ends first; prints frames per second. Run it in a lab:
--
--   sudo ./netlua -e 'local a = require("lab").pair()
--     print(a:exec{ "./netlua", "scripts/bench/blast.lua", a.ifname })'

local packet = require "packet"
local benchframe = require "benchframe"

local ifname = arg[1]
if not ifname then
  io.stderr:write("usage: netlua scripts/bench/blast.lua IFACE [COUNT [SECONDS]]\n")
  os.exit(2)
end
local count = tonumber(arg[2] or 1000000)
local seconds = tonumber(arg[3] or 10)

local s = packet.open(ifname, { proto = 0x88b6 })
local frame = benchframe.build(s.mac)
local r = s:blast(frame, { count = count, duration = seconds })
print(("%d frames of %d bytes in %.3f s: %.0f pps"):format(r.sent, #frame, r.seconds, r.pps))
