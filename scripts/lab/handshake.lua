-- Exercise 16: the TCP three-way handshake, by hand.
--
-- Goal: play the remote end of a TCP connection against the Linux kernel,
-- with tcptest (packetdrill's model: `netlua doc tcptest`, and the ported
-- tests in scripts/tcp). The test gives you tt, a tcptest pair: tt.host
-- runs the kernel under test, and you inject the remote's segments
-- (tt:inject) and check the kernel's (tt:expect). Sequence numbers are
-- relative, as in packetdrill: your first SYN has seq 0, the kernel's too,
-- and a SYN counts as one byte.
--
--   accept(tt)  the kernel listens (the test called tt:listen()): send it
--               a SYN announcing MSS 1000, expect its SYN-ACK, and send
--               the ACK that completes the handshake. Return the SYN-ACK
--               (the segment tt:expect returned).
--   connect(tt) the kernel connects (the test called tt:connect()): expect
--               its SYN, answer with a SYN-ACK announcing MSS 1000, and
--               expect the kernel's ACK. Return the kernel's SYN.
--
-- Hints:
--   * tt:inject{ flags = "S", seq = 0, win = 65535, options = {{"MSS", 1000}} }
--   * tt:expect{ flags = "SA", seq = ?, ack = ? } fails the test, showing
--     expected and actual side by side, when the kernel sends otherwise.
--     What does the kernel acknowledge after your SYN of seq 0?
--   * The kernel's SYN-ACK carries its own options: options = tcptest.ANY
--     accepts them. Your ACK needs seq and ack too.
--   * The test then reads tcp_info of the kernel's socket: its state must
--     be ESTABLISHED and its snd_mss the MSS you announced.
--
-- Check your work:   sudo netlua test scripts/lab/handshake_test.lua
-- A solution:        scripts/lab/solutions/handshake.lua
local tcptest = require "tcptest"

local M = {}

function M.accept(tt)
  error("exercise 16: write accept") -- your code here
end

function M.connect(tt)
  error("exercise 16: write connect") -- your code here
end

return M
