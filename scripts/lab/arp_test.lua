-- Checks exercise 1 (arp.lua): sudo netlua test scripts/lab/arp_test.lua
local lab = require "lab"
local arp = require("exercise")("arp")

test("resolve finds the peer's MAC", function(t)
  local a, b = lab.pair()
  t:eq(arp.resolve(a, b.ip, 2), b.mac)
end)

test("resolve works from either end", function(t)
  local a, b = lab.pair()
  t:eq(arp.resolve(b, a.ip, 2), a.mac)
end)

test("resolve gives nil for an address nobody has, after the timeout", function(t)
  local a = lab.pair()
  local nobody = a.ip:gsub("%d+$", "77")
  local start = now()
  t:eq(arp.resolve(a, nobody, 0.3), nil)
  local took = now() - start
  t:ok(took >= 0.25 and took < 1.5, ("waited %.2f s for a 0.3 s timeout"):format(took))
end)
