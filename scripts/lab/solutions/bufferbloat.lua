-- A solution to exercise 15 (scripts/lab/bufferbloat.lua).
local packet, frame = require "packet", require "frame"

local M = {}

-- pps is the load's rate: 1250 frames of 1514 bytes a second, 15 Mbit/s,
-- one and a half times the bottleneck: its excess fills a queue of 100 in
-- 0.24 s, and leaves the pings more room than a heavier load would.
local pps = 1250

function M.load(net, seconds)
  local src, dst = net.src, net.dst
  local s = packet.open(src.ifname, { proto = 0x88b6, netns = src }) -- receives nothing
  local bytes = frame.build{
    frame.ether{ src = src.mac, dst = src.peer.mac }, -- to the router
    frame.ipv4{ src = src.ip, dst = dst.ip },
    frame.udp{ sport = 9, dport = 9 }, -- discard
    ("\0"):rep(1472),
  }
  local r = s:blast(bytes, { rate = pps, duration = seconds, count = math.ceil(pps * seconds) })
  s:close()
  return r
end

-- median is the middle value of a list of numbers, nil for none.
local function median(xs)
  table.sort(xs)
  return xs[math.ceil(#xs / 2)]
end

function M.rtt(net, queue)
  net.bottleneck:shape{ rate = "10mbit", queue = queue }
  -- 40 pings while the queue is full: drop-tail loses many of them
  local p = net.src:spawn{ "sh", "-c", "sleep 0.3; exec ping -n -i 0.02 -c 40 -W 1 " .. net.dst.ip }
  M.load(net, 1.2)
  p:wait(5)
  local times = {}
  for ms in p:read():gmatch("time=([%d.]+) ms") do
    times[#times + 1] = tonumber(ms)
  end
  return median(times)
end

function M.report(net, queues)
  local rtts = {}
  for _, q in ipairs(queues) do
    rtts[q] = M.rtt(net, q)
    print(("queue %4d: median RTT %6.1f ms"):format(q, rtts[q] or -1))
  end
  return rtts
end

return M
