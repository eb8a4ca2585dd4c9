-- Checks exercise 15 (bufferbloat.lua): sudo netlua test scripts/lab/bufferbloat_test.lua
local lab = require "lab"
local bufferbloat = require("exercise")("bufferbloat")

-- chain builds h1 - r1 - r2 - h2 and returns the exercise's net (and the
-- lab), every neighbour on the way resolved by a ping: an ARP request
-- behind a full queue would be lost, and the pings with it.
local function chain()
  local n = lab.build{ hosts = { "h1", "h2" }, routers = { "r1", "r2" },
    links = { { "h1", "r1" }, { "r1", "r2" }, { "r2", "h2" } }, ipv6 = false }
  local bottleneck = n.r1.ifaces[2]
  assert(bottleneck.peer.host == n.r2)
  local out, status = n.h1:exec{ "ping", "-c", "1", "-W", "2", n.h2.ifaces[1].ip }
  assert(status == 0, out)
  return { src = n.h1.ifaces[1], dst = n.h2.ifaces[1], bottleneck = bottleneck.link }, n
end

-- median is the middle of the RTTs ping printed, nil for none.
local function median(out)
  local xs = {}
  for ms in out:gmatch("time=([%d.]+) ms") do
    xs[#xs + 1] = tonumber(ms)
  end
  table.sort(xs)
  return xs[math.ceil(#xs / 2)]
end

-- drops is the count of packets r1's qdisc on the bottleneck dropped,
-- by tc -s qdisc.
local function drops(n)
  local out = n.r1:exec{ "tc", "-s", "qdisc", "show", "dev", n.r1.ifaces[2].ifname }
  return tonumber(out:match("dropped (%d+)"))
end

test("load overfills the bottleneck, and ends in time", function(t)
  local net, n = chain()
  net.bottleneck:shape{ rate = "10mbit", queue = 50 }
  local p = net.src:spawn{ "sh", "-c", "sleep 0.3; exec ping -n -i 0.02 -c 40 -W 1 " .. net.dst.ip }
  local t0 = now()
  bufferbloat.load(net, 1.2)
  local took = now() - t0
  t:ok(took > 0.9 and took < 2.5, ("load(net, 1.2) took %.2f s"):format(took))
  p:wait(5)
  -- 50 full frames at 10 Mbit/s are 60 ms; an idle link answers in under 1
  local rtt = median(p:read())
  t:ok(rtt and rtt > 30, "the kernel's ping under load: median " .. tostring(rtt) .. " ms")
  t:ok((drops(n) or 0) > 0, "r1's queue overflowed: " .. tostring(drops(n)) .. " dropped")
end)

test("the RTT grows with the queue: 5, 20, 100 packets at 10 Mbit/s", function(t)
  local net = chain()
  local rtts = bufferbloat.report(net, { 5, 20, 100 })
  local r5, r20, r100 = rtts[5], rtts[20], rtts[100]
  t:ok(r5 and r20 and r100, "an RTT for every queue")
  -- a queue of q full frames adds about q x 1.2 ms: 6, 24, 120 ms
  t:ok(r5 < r20 and r20 < r100, ("%s < %s < %s ms"):format(r5, r20, r100))
  t:ok(r5 < 30, "queue 5: " .. r5 .. " ms")
  t:ok(r100 > 60 and r100 < 300, "queue 100: " .. r100 .. " ms")
end)
