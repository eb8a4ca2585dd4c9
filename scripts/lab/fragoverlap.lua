-- Exercise 9: overlapping IPv4 fragments.
--
-- Goal: write reassemble(frames), which reassembles IPv4 fragments as the
-- Linux kernel does. frames is a list of Ethernet frames, in the order they
-- arrive, all fragments of one UDP datagram (same src, dst, id); the UDP
-- checksum is 0 (none), so whichever bytes win, UDP takes them. Return the
-- UDP payload a socket of the receiver gets, or nil when it gets nothing.
--
-- The test sends the same frames to a lab host and compares your answer
-- with what its raw UDP socket receives, for fragments in order, reversed,
-- repeated with other bytes, overlapping, and with a hole.
--
-- Attacks on intrusion detection played on reassembly: when fragments
-- overlap, which bytes win? Systems have answered differently (first,
-- last, by offset), so a sensor could see other bytes than the host.
-- frame.defragment, like Scapy, never chooses: it leaves such a datagram as
-- its fragments. Linux (since 4.19, net/ipv4/inet_fragment.c,
-- inet_frag_queue_insert; RFC 5722 says the same for IPv6) chooses this:
--   * a fragment that lies wholly inside bytes it already has is a
--     duplicate: it is dropped and the first bytes stay;
--   * a fragment that overlaps bytes it has, any other way, kills the
--     whole datagram: every fragment so far is dropped, and a fragment
--     that comes later starts a new datagram from nothing;
--   * a datagram is complete when the bytes from 0 to the end of the last
--     fragment (MF not set) are all there; until then, nothing arrives.
-- One subtlety (the tests stay clear of it): "inside bytes it has" means
-- inside a run of fragments that arrived in order, one after the other.
--
-- Hints:
--   * frame.parse(bytes).ipv4 gives frag (the offset in 8-byte units),
--     flags ("MF" when more fragments follow), ihl and len; the fragment's
--     data is bytes:sub(14 + ihl * 4 + 1, 14 + len).
--   * The first fragment's data starts with the 8-byte UDP header.
--
-- Check your work:   sudo netlua test scripts/lab/fragoverlap_test.lua
-- A solution:        scripts/lab/solutions/fragoverlap.lua
local frame = require "frame"

local M = {}

function M.reassemble(frames)
  error("exercise 9: write reassemble") -- your code here
end

return M
