-- Exercise 4: a filter that keeps only TCP SYNs.
--
-- Goal: set expr to a tcpdump filter expression that matches the first
-- packet of a TCP handshake (SYN set, ACK not set) over IPv4, and nothing
-- else: not SYN-ACKs, not plain ACKs, resets or FINs, not UDP, not ARP.
-- The test compiles it (filter.compile), runs it on frames it builds, and
-- attaches it to a packet socket in a lab to see what the kernel lets
-- through.
--
-- Hints:
--   * pcap-filter(7): "tcp[13]" is the byte of the TCP flags; tcpdump also
--     names it tcp[tcpflags], and the bits tcp-syn, tcp-ack, tcp-rst ...
--   * "SYN set and ACK not set" is one mask and one comparison.
--   * Try it: netlua -e 'print(require("filter").compile(EXPR):explain())'
--
-- Check your work:   sudo netlua test scripts/lab/synfilter_test.lua
-- A solution:        scripts/lab/solutions/synfilter.lua
local M = {}

M.expr = nil -- your expression here, a string

return M
