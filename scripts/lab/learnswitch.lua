-- Exercise 14: a learning switch, its forwarding table filling.
--
-- Goal: a switch (a Linux bridge, br0 in the switch's host) learns which
-- port each MAC address sits behind from the source address of every
-- frame it forwards, and sends a frame for a known address out of that
-- one port only (an unknown one, or a broadcast, out of all of them).
-- Write learned(sw), which reads the forwarding database of switch sw and
-- returns what the bridge has learnt: { [mac] = port, ... }, the port
-- being the name of the switch's interface ("veth1"), leaving out the
-- addresses the bridge knows by itself (its own ports'). Then write
-- ports(sw, hosts), which says behind which port of sw each host of the
-- list sits, from what the bridge learnt: { [host.name] = port, ... },
-- a host the bridge has not heard from yet being left out.
--
-- The test builds three hosts on one switch (lab.single(3)), turns their
-- IPv6 off (it would announce every host at once) and makes the bridge
-- forget what it learnt so far (its ports down and up); then it reads your tables before and
-- after h1 pings h2, then after h3 pings h1, and compares them with
-- `bridge fdb show` in the switch's host.
--
-- Hints:
--   * netlink.fdb{ netns = sw } lists the forwarding database as bridge
--     fdb show does; an entry the bridge learnt has master = "br0" and
--     state REACHABLE (or STALE); its own are PERMANENT.
--   * To watch the table fill as it happens: netlink.watch("neigh", fn,
--     { netns = sw }) calls fn for each entry the bridge learns, an event
--     of family 0 with ifname (the port) and mac.
--   * A host's MAC is its end's: host.ifaces[1].mac.
--   * Before anyone talks, what has the switch learnt? Which hosts does
--     h1's ping teach it about, and why not h3, which hears h1's ARP
--     request too?
--
-- Check your work:   sudo netlua test scripts/lab/learnswitch_test.lua
-- A solution:        scripts/lab/solutions/learnswitch.lua
local netlink = require "netlink"

local M = {}

function M.learned(sw)
  error("exercise 14: write learned") -- your code here
end

function M.ports(sw, hosts)
  error("exercise 14: write ports") -- your code here
end

return M
