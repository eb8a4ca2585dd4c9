-- Exercise 6: a protocol of your own.
--
-- Goal: teach netlua a made-up protocol, "hello", carried in UDP to port
-- 7777, so that frame.build writes it and frame.parse reads it:
--
--    0                   1                   2                   3
--    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
--   +-------+-------+---------------+-------------------------------+
--   |version| kind  |     ttl       |           sequence            |
--   +-------+-------+---------------+-------------------------------+
--   |            length             |   text (length - 6 bytes)...
--   +-------------------------------+
--
-- version is 4 bits (always 1), kind 4 bits, ttl 8 bits, sequence 16 bits,
-- and length (16 bits) counts the hello header and its text. Write
-- define(), which declares the protocol (fields named version, kind, ttl,
-- seq, len) and binds it to UDP port 7777, and returns its constructor;
-- and greet(src, dst, seq, text), which returns a whole frame from the lab
-- end src to the lab end dst (Ethernet, IPv4, UDP) carrying a hello of
-- kind 1, ttl 8, that sequence number and text.
--
-- Hints:
--   * frame.define("hello", { { "version", 4, "bits", default = 1 }, ... })
--     and auto = "length" for a length field.
--   * frame.bind("udp", { dport = 7777 }, "hello") makes parse decode it
--     above UDP, and build set the port.
--   * frame.show(frame.parse(bytes)) prints what you built.
--
-- Check your work:   sudo netlua test scripts/lab/proto_test.lua
-- A solution:        scripts/lab/solutions/proto.lua
local frame = require "frame"

local M = {}

function M.define()
  error("exercise 6: write define") -- your code here
end

function M.greet(src, dst, seq, text)
  error("exercise 6: write greet") -- your code here
end

return M
