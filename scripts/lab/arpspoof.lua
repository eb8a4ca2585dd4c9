-- Exercise 7: ARP cache poisoning.
--
-- Goal: write poison(attacker, victim, gw_ip), which makes the kernel of
-- the victim send what it means for gw_ip (its gateway) to the attacker's
-- MAC instead: after it, the victim's neighbour table (`ip neigh`) must map
-- gw_ip to attacker.mac. Send only ARP frames, from the attacker's packet
-- socket; the victim runs no program of yours.
--
-- The test puts victim, gateway and attacker on one Ethernet segment
-- (lab:lan) and checks the victim's table twice: once when the victim has
-- never spoken to its gateway, once just after it did (the entry is
-- REACHABLE, with the real MAC).
--
-- What Linux believes (net/ipv4/arp.c, arp_process), with the test's
-- sysctls (arp_accept = 0, the default):
--   * an ARP reply nobody asked for creates no entry;
--   * a reply that comes less than a second (locktime) after the entry was
--     last changed is ignored: "the first reply wins";
--   * a request for the victim's own address is answered, and the kernel
--     first records who asked: the sender's psrc and hwsrc, whatever entry
--     was there before. Which of these does the job in both cases?
--
-- Hints:
--   * packet.open(attacker.ifname, { netns = attacker }).
--   * frame.ether{ src =, dst = } and frame.arp{ op = 1 or 2, hwsrc =,
--     psrc =, hwdst =, pdst = }.
--   * Watch it: netlink.neighbors(victim.ifname, { netns = victim }).
--
-- Check your work:   sudo netlua test scripts/lab/arpspoof_test.lua
-- A solution:        scripts/lab/solutions/arpspoof.lua
local packet, frame = require "packet", require "frame"

local M = {}

function M.poison(attacker, victim, gw_ip)
  error("exercise 7: write poison") -- your code here
end

return M
