-- A solution to exercise 3 (scripts/lab/linkdown.lua).
local netlink, loop = require "netlink", require "loop"

local M = {}

-- watch brings e down while watching the links of w (an end) and returns
-- the operstates of w's interface until the one it waits for.
local function watch(e, w, want)
  local states = {}
  local watcher = netlink.watch("link", function(ev)
    if ev.ifname == w.ifname and ev.operstate then
      states[#states + 1] = ev.operstate
      if ev.operstate == want then
        loop.stop()
      end
    end
  end, { netns = w })
  local timer = loop.after(2, loop.stop)
  netlink.set_link(e.ifname, { up = false, netns = e })
  loop.run()
  timer:cancel()
  watcher:close()
  return states
end

function M.down(e)
  return watch(e, e, "DOWN")
end

function M.peer_down(e)
  return watch(e, e.peer, "DOWN")
end

return M
