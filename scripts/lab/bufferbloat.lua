-- Exercise 15: bufferbloat, the RTT under load.
--
-- Goal: a router's queue in front of a slow link absorbs bursts, but a
-- sender that sends faster than the link fills it, and every packet
-- behind then waits for the whole queue to drain: at 10 Mbit/s a full
-- 1514-byte frame takes 1.2 ms, so 100 of them add 120 ms to a ping.
-- Measure it. net is { src = an end of h1, dst = an end of h2,
-- bottleneck = the link between the routers } of a chain
-- h1 - r1 - r2 - h2 (a dumbbell with a host on each side).
--   * load(net, seconds): from net.src, send full-sized UDP datagrams
--     (1500-byte IP packets) to net.dst.ip at more than 10 Mbit/s, for
--     seconds and no longer, and return when done.
--   * rtt(net, queue): shape the bottleneck to 10 Mbit/s with a queue of
--     queue packets, ping net.dst from net.src while load runs, and return
--     the median RTT of the answered pings, in ms.
--   * report(net, queues): rtt for each queue size of the list, printed
--     and returned as { [queue] = rtt, ... }.
-- The test checks, with the kernel's ping and the qdisc's drop counter,
-- that load fills the bottleneck and ends in time, and that your RTTs grow
-- with the queue: queues 5, 20 and 100; the whole run in a few seconds.
--
-- Hints:
--   * link:shape{ rate = "10mbit", queue = q } (a tbf qdisc on both ends).
--   * packet.open(src.ifname, { netns = src }) and s:blast(bytes, { rate,
--     duration, count }) send in Go, blocking the script meanwhile; the
--     frame goes to the next hop, the router: src.peer.mac. 1472 bytes of
--     UDP payload make a 1500-byte IP packet.
--   * src:spawn{ "ping", ... } runs ping beside the load; p:wait(), then
--     p:read() has its output: "time=12.3 ms" per answer. ping -i 0.02
--     sends 50 a second; start it a moment after the load (sh -c "sleep
--     0.3; exec ping ..."), once the queue has filled.
--   * Why are some pings lost under load? (The test pings once before, so
--     that every neighbour on the way is resolved: an ARP request that
--     meets a full queue is dropped too.)
--
-- Check your work:   sudo netlua test scripts/lab/bufferbloat_test.lua
-- A solution:        scripts/lab/solutions/bufferbloat.lua
local packet, frame = require "packet", require "frame"

local M = {}

function M.load(net, seconds)
  error("exercise 15: write load") -- your code here
end

function M.rtt(net, queue)
  error("exercise 15: write rtt") -- your code here
end

function M.report(net, queues)
  error("exercise 15: write report") -- your code here
end

return M
