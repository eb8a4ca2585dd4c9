-- Exercise 8: an ICMP redirect.
--
-- Goal: write redirect(attacker, victim, router_ip, dst), which makes the
-- kernel of the victim send its packets for dst to the attacker instead of
-- to router_ip, its default gateway: afterwards `ip route get dst` inside
-- the victim says "via <attacker.ip>" (and "cache <redirected>"). Use the
-- message routers send when a host should use another router on the same
-- link: ICMP redirect (type 5), code 1 (for this host), with the new
-- gateway in its gw field, sent from the attacker's packet socket.
--
-- The test puts victim, router and attacker on one Ethernet segment
-- (lab:lan). The
-- victim pings dst through its router (a raw ICMP socket, still open) and
-- accepts redirects: it sets accept_redirects = 1 and shared_media = 1
-- inside the victim (a namespace inherits IPv4's sysctls from the machine,
-- and many distributions turn redirects off).
--
-- What Linux checks before it believes a redirect (net/ipv4/route.c,
-- __ip_do_redirect, and icmp.c):
--   * the redirect comes from the gateway the victim uses now for dst (the
--     IPv4 source address; nothing checks the Ethernet one);
--   * it quotes the packet it complains about: that packet's IPv4 header
--     (from the victim to dst) and its first 8 bytes; the kernel hands it
--     to the socket that sent such a packet (here the raw ICMP socket of
--     an echo request);
--   * the new gateway is on the link, and the victim already has a valid
--     neighbour entry for it; if not, the kernel only sends an ARP request
--     for it and forgets the redirect;
--   * with shared_media = 0 and secure_redirects = 1 it must also be one of
--     the victim's default gateways (not the case here).
--
-- Hints:
--   * frame.ether{}, frame.ipv4{ src = router_ip, dst = victim.ip },
--     frame.icmp4{ type = 5, code = 1, gw = ... }, then the quote:
--     frame.ipv4{ src = victim.ip, dst = dst }, frame.icmp4{ type = 8 }.
--   * Exercise 7 shows one way to give the victim a neighbour entry; the
--     attacker's own kernel answers ARP for attacker.ip too.
--   * Look: victim:exec{ "ip", "route", "get", dst }.
--
-- Check your work:   sudo netlua test scripts/lab/redirect_test.lua
-- A solution:        scripts/lab/solutions/redirect.lua
local packet, frame = require "packet", require "frame"

local M = {}

function M.redirect(attacker, victim, router_ip, dst)
  error("exercise 8: write redirect") -- your code here
end

return M
