-- A solution to exercise 6 (scripts/lab/proto.lua).
local frame = require "frame"

local M = {}

local hello

function M.define()
  hello = frame.define("hello", {
    { "version", 4, "bits", default = 1 },
    { "kind", 4, "bits" },
    { "ttl", 8 },
    { "seq", 16 },
    { "len", 16, auto = "length" },
  })
  frame.bind("udp", { dport = 7777 }, "hello")
  return hello
end

function M.greet(src, dst, seq, text)
  return frame.build{
    frame.ether{ src = src.mac, dst = dst.mac },
    frame.ipv4{ src = src.ip, dst = dst.ip },
    frame.udp{ sport = 7777 },
    hello{ kind = 1, ttl = 8, seq = seq },
    text,
  }
end

return M
