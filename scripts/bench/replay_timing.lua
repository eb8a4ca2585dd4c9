-- bench/replay_timing.lua [--quick] [COUNT [MCOUNT]]: how well s:replay
-- keeps a capture's recorded timing, measured from the kernel receive
-- timestamps of a tcpdump on the peer (nanosecond precision):
--
--   x1: COUNT frames (default 100000) 1 ms apart, at the recorded speed:
--       the run's length against the recorded one (goal: error < 0.1%)
--       and each frame's offset from its time, anchored to the first
--       frame (goal: p50 < 20 µs, p99 < 200 µs); tcpreplay on the same
--       file, for reference, when it is installed;
--   x0.5, x2, x10: MCOUNT frames (default 10000) 1 ms apart at those
--       multipliers (goal: length within 1%).
--
-- The receiver drops everything in an nftables ingress chain (after
-- tcpdump's socket has seen the frames). --quick: 2000 and 500 frames.
--
--   sudo ./netlua scripts/bench/replay_timing.lua
local lab, nft, loop, packet, pcap = require "lab", require "nft", require "loop", require "packet", require "pcap"
local benchframe = require "benchframe"

local quick = arg[1] == "--quick"
local first = quick and 2 or 1
local count = tonumber(arg[first]) or (quick and 2000 or 100000)
local mcount = tonumber(arg[first + 1]) or (quick and 500 or 10000)
local gap = 0.001

local a, b = lab.pair()
nft.drop{ hook = "ingress", iface = b.ifname, netns = b }
local frame = benchframe.build(a.mac)

local tmp, read = benchframe.tmp, benchframe.read

-- capture writes n copies of the frame, gap seconds apart, to a file.
local function capture(n)
  local name = tmp()
  local w = pcap.writer(name)
  local t0 = 1.7e9
  for i = 0, n - 1 do
    w:write(frame, t0 + i * gap)
  end
  w:close()
  return name
end

-- peer starts tcpdump on b and returns what stops it and returns the
-- receive times of the frames, relative to the first.
local function peer()
  local out, log = tmp(), tmp()
  local pid = b:exec({ "sh", "-c", ("timeout 900 tcpdump -n -i %s -U --immediate-mode -B 65536 --time-stamp-precision=nano -w %q udp >%q 2>&1 </dev/null & echo $!")
    :format(b.ifname, out, log) })
  pid = pid:match("%d+")
  -- b has a PID namespace of its own: kill there (its end kills it too)
  loop.defer(function() pcall(b.exec, b, { "kill", pid }) end)
  local deadline = os.time() + 30
  while not read(log):match("listening on") do
    assert(os.time() < deadline, "tcpdump did not start:\n" .. read(log))
    sleep(0.05)
  end
  return function()
    sleep(0.5)
    b:exec({ "kill", "-INT", pid })
    deadline = os.time() + 30
    -- until it has ended, its file closed
    while select(2, b:exec({ "kill", "-0", pid })) == 0 do
      assert(os.time() < deadline, "tcpdump did not end:\n" .. read(log))
      sleep(0.05)
    end
    local times, t0 = {}, nil
    for _, info in pcap.read(out) do
      t0 = t0 or info.ts
      times[#times + 1] = info.ts - t0
    end
    return times
  end
end

-- measure reports how the received times follow the recorded ones at
-- speed: the length's error in %, the offsets' p50, p99 and max in µs.
local function measure(times, n, speed)
  local step = gap / speed
  local offs = {}
  for i, t in ipairs(times) do
    offs[i] = math.abs(t - (i - 1) * step) * 1e6
  end
  table.sort(offs)
  local recorded = (n - 1) * step
  local length = times[#times] or 0
  return {
    lost = n - #times, length = length, recorded = recorded,
    err = 100 * math.abs(length - recorded) / recorded,
    p50 = offs[math.max(1, math.floor(#offs * 0.5))] or 0,
    p99 = offs[math.max(1, math.floor(#offs * 0.99))] or 0,
    max = offs[#offs] or 0,
  }
end

local function show(who, speed, n, m)
  print(("%s x%g: %d frames %g ms apart: %.6f s (recorded %.6f s), error %.4f%%, offset p50 %.1f us, p99 %.1f us, max %.1f us, lost %d")
    :format(who, speed, n, gap * 1e3, m.length, m.recorded, m.err, m.p50, m.p99, m.max, m.lost))
end

local s = packet.open(a.ifname, { netns = a })
local results = {}
local function ours(n, speed)
  local file = capture(n)
  local stop = peer()
  s:replay(file, { speed = speed, progress = false })
  local m = measure(stop(), n, speed)
  show("netlua", speed, n, m)
  results[#results + 1] = { speed = speed, m = m }
  return file
end

local file = ours(count, 1)
if os.execute("command -v tcpreplay >/dev/null 2>&1") == 0 then
  local stop = peer()
  local out, status = a:exec({ "tcpreplay", "-q", "-i", a.ifname, file }, { timeout = count * gap * 2 + 60 })
  assert(status == 0, "tcpreplay failed:\n" .. out)
  show("tcpreplay", 1, count, measure(stop(), count, 1))
else
  print("note: tcpreplay is not installed (apt-get install tcpreplay): no reference row")
end
for _, speed in ipairs{ 0.5, 2, 10 } do
  ours(mcount, speed)
end

local x1 = results[1].m
print(("goal x1 length error < 0.1%%: %s"):format(x1.err < 0.1 and "yes" or "NO"))
print(("goal x1 offset p50 < 20 us, p99 < 200 us: %s"):format((x1.p50 < 20 and x1.p99 < 200) and "yes" or "NO"))
local within = true
for i = 2, #results do
  within = within and results[i].m.err < 1
end
print(("goal x0.5, x2, x10 length within 1%%: %s"):format(within and "yes" or "NO"))
