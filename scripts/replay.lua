-- replay.lua IFACE FILE [options]: sends the frames of a pcap or pcapng
-- capture out of IFACE again, as tcpreplay does, and prints tcpreplay's
-- summary. The timing is the recorded one unless an option says
-- otherwise; the sending is Go's (s:replay), batched at top speed.
--
--   sudo netlua scripts/replay.lua veth0 capture.pcap --speed 2 --loop 3

local packet = require "packet"

local usage = [[
usage: netlua scripts/replay.lua IFACE FILE [--speed X | --pps N | --mbps N | --topspeed]
                                 [--loop N] [--limit N]
  --speed X    the recorded timing sped up X times (default: 1, as recorded)
  --pps N      N frames a second, evenly spaced
  --mbps N     N megabits a second
  --topspeed   as fast as the interface takes them
  --loop N     send the file N times (0: over and over, with --limit)
  --limit N    send at most N frames
^C ends the replay and prints what it sent.
]]

local function fail(msg)
  io.stderr:write(msg and ("replay.lua: " .. msg .. "\n") or "", usage)
  os.exit(2)
end

-- number reads the value of option name, a number.
local function number(name, v)
  local n = tonumber(v)
  if not n then fail(("%s expects a number, got %s"):format(name, tostring(v))) end
  return n
end

local ifname, file = arg[1], arg[2]
if ifname == "-h" or ifname == "--help" then
  io.stdout:write(usage)
  os.exit(0)
end
if not ifname or not file then fail() end

local opts, i = {}, 3
local takes = { ["--speed"] = "speed", ["--pps"] = "pps", ["--mbps"] = "mbps", ["--loop"] = "loop", ["--limit"] = "limit" }
while arg[i] do
  local a = arg[i]
  if a == "--topspeed" then
    opts.speed = "top"
    i = i + 1
  elseif takes[a] then
    opts[takes[a]] = number(a, arg[i + 1])
    i = i + 2
  else
    fail("unknown option " .. a)
  end
end

opts.progress = false -- the summary below says it all
local s = packet.open(ifname)
local ok, r = pcall(s.replay, s, file, opts)
if not ok then
  io.stderr:write("replay.lua: ", (tostring(r):gsub("^[^:]*:%d+: ", "")), "\n")
  os.exit(1)
end
local secs = math.max(r.seconds, 1e-9)
print(("Actual: %d packets (%d bytes) sent in %.6f seconds"):format(r.sent, r.bytes, r.seconds))
print(("Rated: %.1f Bps, %.2f Mbps, %.2f pps"):format(r.bytes / secs, r.bytes * 8 / 1e6 / secs, r.pps))
print(("Statistics for network device: %s"):format(ifname))
print(("\tSuccessful packets:        %d"):format(r.sent))
print(("\tFailed packets:            %d"):format(r.errors))
