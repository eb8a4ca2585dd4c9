-- Checks that fail, each on a known line; checks go on after a failure.
local f = require "frame"

test("eq on numbers", function(t)
  t:eq(63, 64, "ttl")
  t:ok(1 == 2)
end)

test("eq on tables", function(t)
  t:eq({ a = { 1, 2 } }, { a = { 1, 3 } })
end)

test("match and fatal", function(t)
  t:match("SSH-2.0", "^HTTP")
  t:fatal("cannot go on")
  t:ok(false, "never reached")
end)

test("bytes name the field", function(t)
  local want = f.build{ f.ether{}, f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2", ttl = 64 }, f.udp{}, "x" }
  local got = f.build{ f.ether{}, f.ipv4{ src = "198.18.0.1", dst = "198.18.0.2", ttl = 63 }, f.udp{}, "x" }
  t:bytes(got, want)
end)
