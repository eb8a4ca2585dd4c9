-- bench/capture.lua IFACE COUNT [SECONDS [FILE [FILTER [WORKERS]]]]: captures COUNT
-- frames from IFACE into a pcap file (FILE, default a temporary file that
-- is removed at the end) with s:capture, in Go, and prints how many it got
-- and how many the kernel dropped. It ends after SECONDS (default 30) if
-- fewer come. FILTER is a tcpdump expression, as tcpdump takes one. Like
-- tcpdump, it says "listening on IFACE" on stderr once it is receiving,
-- so a runner knows when to start sending. WORKERS reads with that many
-- rings and pinned threads (0: one per CPU; default 1), spread by CPU.
--
--   sudo ./netlua scripts/bench/capture.lua veth0 1000000 10 out.pcap udp

local packet, loop = require "packet", require "loop"

local ifname, count = arg[1], tonumber(arg[2])
if not ifname or not count then
  io.stderr:write("usage: netlua scripts/bench/capture.lua IFACE COUNT [SECONDS [FILE [FILTER [WORKERS]]]]\n")
  os.exit(2)
end
local seconds = tonumber(arg[3] or 30)
local file, filter, workers = arg[4], arg[5], tonumber(arg[6])
if not file or file == "" then
  file = os.tmpname()
  loop.defer(function() os.remove(file) end)
end

local s = packet.open(ifname, { filter = filter ~= "" and filter or nil })
io.stderr:write(("listening on %s\n"):format(ifname))
io.stderr:flush()
local start = now()
local r = s:capture{ file = file, count = count, duration = seconds, workers = workers }
print(("%d frames captured, %d dropped by the kernel, in %.3f s"):format(r.captured, r.dropped, now() - start))
