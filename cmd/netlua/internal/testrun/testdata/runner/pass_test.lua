-- Tests that pass: every check, each kind of value.
local f = require "frame"

test("scalars and tables", function(t)
  t:eq(1 + 1, 2)
  t:eq({ a = { 1, 2 }, b = "x" }, { b = "x", a = { 1, 2 } })
  t:ne({ 1 }, { 2 })
  t:ok(true)
  t:match("HTTP/1.1 200 OK", "^HTTP/%d")
end)

test("bytes", function(t)
  local frame = f.build{ f.ether{ src = "02:00:00:00:00:01" }, f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2" }, f.udp{}, "x" }
  t:bytes(frame, frame)
  print("built", #frame, "bytes")
end)
