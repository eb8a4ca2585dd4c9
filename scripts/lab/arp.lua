-- Exercise 1: ARP by hand.
--
-- Goal: write resolve(e, ip, timeout), which finds the MAC address of ip
-- on the link of e (an end of a lab link) as the kernel does: broadcast an
-- ARP request ("who has ip? tell e.ip") out of e.ifname, inside e's
-- namespace, then read frames until the ARP reply from ip comes. Return
-- the MAC it gives, or nil when no reply came within timeout seconds.
--
-- Hints:
--   * packet.open(e.ifname, { proto = "arp", netns = e }) receives ARP only.
--   * frame.ether{ dst = "ff:ff:ff:ff:ff:ff", src = e.mac } and
--     frame.arp{ op = 1, hwsrc = e.mac, psrc = e.ip, pdst = ip }.
--   * s:recv(seconds) returns nil on timeout; frame.parse(bytes).arp is
--     the ARP layer: a reply has op 2, and psrc is who answers.
--   * Other ARP traffic may arrive too: keep reading until the deadline.
--
-- Check your work:   sudo netlua test scripts/lab/arp_test.lua
-- A solution:        scripts/lab/solutions/arp.lua
local packet, frame = require "packet", require "frame"

local M = {}

function M.resolve(e, ip, timeout)
  error("exercise 1: write resolve") -- your code here
end

return M
