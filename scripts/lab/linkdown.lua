-- Exercise 3: watch netlink while a link goes down.
--
-- Goal: write down(e), which watches the link events of e's namespace,
-- brings e's interface down (as `ip link set veth0 down` would), and
-- returns the operstates that the events for e.ifname showed, in order,
-- ending with "DOWN". Then write peer_down(e), which watches the
-- namespace of e.peer (the other end of the veth pair) instead, brings e
-- down, and returns the peer's operstates: what does a veth see when its
-- partner goes away? Give up after 2 seconds in both.
--
-- Hints:
--   * netlink.watch("link", fn, { netns = e }) calls fn(event) through the
--     event loop; event.ifname and event.operstate say which link and how.
--   * netlink.set_link(e.ifname, { up = false, netns = e }).
--   * Callbacks run while the loop runs: loop.after(2, loop.stop), then
--     loop.run(); in the callback, w:close() and loop.stop() when done.
--
-- Check your work:   sudo netlua test scripts/lab/linkdown_test.lua
-- A solution:        scripts/lab/solutions/linkdown.lua
local netlink, loop = require "netlink", require "loop"

local M = {}

function M.down(e)
  error("exercise 3: write down") -- your code here
end

function M.peer_down(e)
  error("exercise 3: write peer_down") -- your code here
end

return M
