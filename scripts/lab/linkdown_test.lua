-- Checks exercise 3 (linkdown.lua): sudo netlua test scripts/lab/linkdown_test.lua
local lab, netlink = require "lab", require "netlink"
local linkdown = require("exercise")("linkdown")

test("down sees its own link go DOWN", function(t)
  local a = lab.pair()
  local states = linkdown.down(a)
  t:eq(states[#states], "DOWN")
  t:eq(netlink.link(a.ifname, { netns = a }).up, false, "the link is down afterwards")
end)

test("peer_down sees the peer lose its carrier", function(t)
  local a, b = lab.pair()
  local states = linkdown.peer_down(a)
  t:eq(states[#states], "DOWN")
  local peer = netlink.link(b.ifname, { netns = b })
  t:eq(peer.up, true, "the peer is still administratively up")
  t:eq(peer.running, false, "but not running")
end)
