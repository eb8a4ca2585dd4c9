-- bench/netlink.lua: how fast rtnetlink events reach a Lua callback, and
-- whether any are lost on the way.
--
--   sudo netlua scripts/bench/netlink.lua [ROUTES]      (default 20000)
--
-- In a throwaway namespace, ip -batch adds ROUTES blackhole routes while a
-- watcher counts their events: how long the kernel took, how many events
-- arrived (a loss would show as an overrun), and how fast the callback
-- took them. Then 200 single route changes, each timed from the request
-- to its event's callback.
local nl, lab, loop = require "netlink", require "lab", require "loop"

local n = tonumber(arg[1] or "20000")
if not n or n < 1 or n > 65536 then
  io.stderr:write("usage: netlua scripts/bench/netlink.lua [ROUTES from 1 to 65536]\n")
  os.exit(2)
end

local host = lab.new():host("bench")
local seen, overruns, w = 0, 0
local burst_start, burst_end
local latency -- set by the second part

local function report_burst()
  local drained = now()
  local s = w:stats()
  print(string.format("burst: %d routes added by ip -batch in %.3f s (%.0f routes/s)",
    n, burst_end - burst_start, n / (burst_end - burst_start)))
  print(string.format("burst: %d of %d events, %d lost, %d overruns, rcvbuf %d",
    seen, n, n - seen, overruns, s.rcvbuf))
  print(string.format("lua: %d callbacks in %.3f s after ip ended (%.0f events/s)",
    seen, drained - burst_end, seen / (drained - burst_end)))
end

-- percentile is the p-th percentile of the sorted list xs.
local function percentile(xs, p)
  return xs[math.max(1, math.ceil(#xs * p / 100))]
end

local function report_latency(request, reply)
  table.sort(request); table.sort(reply)
  print(string.format("latency: %d changes, request to callback median %.0f us, p99 %.0f us; reply to callback median %.0f us",
    #request, percentile(request, 50) * 1e6, percentile(request, 99) * 1e6, percentile(reply, 50) * 1e6))
end

-- measure_latency adds 200 routes one by one, each when the event of the
-- one before has reached the callback.
local function measure_latency()
  local request, reply, sent, returned = {}, {}, 0, 0
  local function next_change()
    local i = #request + 1
    sent = now()
    nl.add_route{ dst = string.format("198.18.%d.%d/32", 200 + math.floor(i / 256), i % 256), type = "blackhole", netns = host }
    returned = now()
  end
  latency = function(ev)
    if ev.action ~= "new" or ev.rtype ~= "blackhole" then return end
    request[#request + 1], reply[#reply + 1] = now() - sent, now() - returned
    if #request == 200 then
      report_latency(request, reply)
      w:close()
    else
      loop.after(0, next_change)
    end
  end
  next_change()
end

w = nl.watch("route4", function(ev)
  if latency then return latency(ev) end
  if ev.type == "overrun" then overruns = overruns + 1 end
  if ev.rtype == "blackhole" and ev.action == "new" and not ev.resync then seen = seen + 1 end
  if seen == n or ev.type == "resynced" then
    report_burst()
    measure_latency()
  end
end, { netns = host })

-- The batch is built 256 lines at a time: gopher-lua's table.concat
-- overflows its registry on 20,000 strings.
local chunks = {}
for x = 0, math.floor((n - 1) / 256) do
  local lines = {}
  for y = 0, math.min(255, n - 1 - x * 256) do
    lines[#lines + 1] = string.format("route add blackhole 198.19.%d.%d/32\n", x, y)
  end
  chunks[#chunks + 1] = table.concat(lines)
end
burst_start = now()
local out, status = host:exec({ "ip", "-batch", "-" }, { stdin = table.concat(chunks) })
burst_end = now()
assert(status == 0, out)
