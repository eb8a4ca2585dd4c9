-- Exercise 11: IPv6 neighbour discovery by hand.
--
-- IPv6 has no ARP: a host that wants the MAC of a neighbour sends a
-- Neighbor Solicitation (ICMPv6 135) to the target's solicited-node
-- multicast address (ff02::1:ffXX:XXXX, Ethernet 33:33:ff:XX:XX:XX), and
-- the owner answers with a Neighbor Advertisement (136) carrying its MAC
-- in a target link-layer address option (RFC 4861).
--
-- Goal 1: write respond(e, target, mac), which claims the IPv6 address
-- target on e's link for the MAC mac (not e's own, not an address e's
-- kernel has): from then on, through the event loop, each NS for target
-- that arrives on e's interface gets an NA saying target is at mac, until
-- the socket it returns is closed. The test makes the other end ping
-- target and checks that end's neighbour table: target at mac, REACHABLE
-- (an answer to an NS sets the Solicited flag, which tells the peer that
-- target is reachable right now).
--
-- Goal 2: write announce(e, target, mac), which sends one unsolicited NA
-- to all nodes (ff02::1) saying that target is now at mac, overriding
-- what they had. The test checks the peer's table: an entry it had for
-- target moves to mac, STALE (RFC 4861 7.2.5: unconfirmed). Try it on a
-- peer with no entry for target: Linux creates none (accept_untracked_na
-- is 0 by default), as it ignores unsolicited ARP replies.
--
-- Goal 3: write advertise(e, prefix), which makes e a router on its link:
-- one Router Advertisement (ICMPv6 134) to all nodes, with a router
-- lifetime, a prefix information option for prefix (a /64, on-link and
-- autonomous: hosts form an address in it from their MAC, SLAAC) and a
-- source link-layer address option with e.mac. The test checks the peer:
-- an address in prefix, a default route via your link-local address, and
-- your MAC in its neighbour table for that address. Linux takes an RA only
-- from a link-local source (fe80::/10) with hop limit 255.
--
-- Hints:
--   * packet.open(e.ifname, { proto = "ipv6", netns = e }); s:on(fn)
--     calls fn(bytes) through the loop; frame.parse(bytes).nd_ns.tgt.
--   * frame.ether{ src =, dst = }, frame.ipv6{ src = target, dst = },
--     frame.icmp6{}, frame.nd_na{ R = 0, S = 1, O = 1, tgt = target,
--     options = { { "DstLLAddr", lladdr = mac } } }: ipv6's hop limit
--     becomes 255 by itself, as ND requires, and the checksum is computed.
--   * Answer to the NS's source address and MAC; an NS from "::" (DAD) wants
--     the answer at ff02::1, with S = 0.
--   * frame.nd_ra{ routerlifetime = 1800, options = { { "SrcLLAddr",
--     lladdr = }, { "PrefixInfo", prefix =, prefixlen = 64 } } } (L and A
--     are 1 by default, as in Scapy); e's link-local address:
--     netlink.addrs(e.ifname, { family = 6, netns = e }).
--
-- Check your work:   sudo netlua test scripts/lab/nd_test.lua
-- A solution:        scripts/lab/solutions/nd.lua
local packet, frame, netlink = require "packet", require "frame", require "netlink"

local M = {}

function M.respond(e, target, mac)
  error("exercise 11: write respond") -- your code here
end

function M.announce(e, target, mac)
  error("exercise 11: write announce") -- your code here
end

function M.advertise(e, prefix)
  error("exercise 11: write advertise") -- your code here
end

return M
