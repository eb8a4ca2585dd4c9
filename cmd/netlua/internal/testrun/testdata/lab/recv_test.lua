-- A test blocked in recv, with no timeout of its own, fails on --timeout.
local lab = require "lab"
local packet = require "packet"

test("blocks in recv", function(t)
  local a = lab.pair()
  packet.open(a.ifname, { netns = a, proto = 0x88b5 }):recv()
end)
