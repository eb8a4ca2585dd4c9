-- Exercise 12: DNS spoofing, answering a query before the real server.
--
-- Goal: write answer(query, addr), which returns the frame that answers
-- query (the bytes of an Ethernet/IPv4/UDP frame carrying a DNS query) with
-- addr as the address of the name it asks for, as if the server it was
-- sent to had answered; and spoof(attacker, name, addr), which from now on
-- sniffs every query for name's IPv4 address on attacker's segment and
-- answers it with answer, and returns the packet socket it reads (closing
-- the socket stops it). Leave other queries alone: the real server answers
-- them.
--
-- The test puts a victim, its DNS server (dnsmasq, which knows the real
-- address) and the attacker on one Ethernet segment. Two things put the
-- attacker in the path:
--   * the segment is a hub (the switch learns no MAC addresses, its
--     ageing time is 0), so every host sees every frame, as on shared
--     Ethernet or an open Wi-Fi: the attacker hears the victim's query;
--   * the server is slow: the test holds each of its answers for half a
--     second before sending it on, as if it were far away (a resolver
--     that must ask the name's own servers on the Internet takes as
--     long). Your answer has that long to arrive first.
-- The victim resolves the name with its C library (getent ahostsv4), the
-- stub resolver every program there uses, which takes the first answer
-- that matches its query and ignores the one that comes after.
--
-- What makes an answer match (glibc, resolv/res_send.c): it comes from the
-- server's address and port 53 to the port the query came from (the
-- resolver's UDP socket is connected to the server, so the kernel drops
-- anything else), has the query's id, and repeats its question (name,
-- type, class). An answer that misses one of these is dropped and the
-- real one still wins.
--
-- Hints:
--   * packet.open(attacker.ifname, { netns = attacker,
--     filter = "udp dst port 53" }), then s:on(function(bytes) ... end):
--     the test runs the loop while the victim resolves.
--   * local q = frame.parse(query): q.dns.id, q.dns.qd[1].qname ("lab.example.",
--     with the final dot), q.dns.qd[1].qtype ("A"); q.ipv4, q.udp, q.ether
--     for the addresses and ports to swap.
--   * frame.dns{ id =, qr = 1, rd =, ra = 1, qd = q.dns.qd,
--     an = {{ rrname =, ttl =, rdata = addr }} }.
--
-- Check your work:   sudo netlua test scripts/lab/dnsspoof_test.lua
-- A solution:        scripts/lab/solutions/dnsspoof.lua
local packet, frame = require "packet", require "frame"

local M = {}

function M.answer(query, addr)
  error("exercise 12: write answer") -- your code here
end

function M.spoof(attacker, name, addr)
  error("exercise 12: write spoof") -- your code here
end

return M
