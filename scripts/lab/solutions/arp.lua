-- A solution to exercise 1 (scripts/lab/arp.lua).
local packet, frame = require "packet", require "frame"

local M = {}

function M.resolve(e, ip, timeout)
  local s = packet.open(e.ifname, { proto = "arp", netns = e })
  s:send(frame.build{
    frame.ether{ dst = "ff:ff:ff:ff:ff:ff", src = e.mac },
    frame.arp{ op = 1, hwsrc = e.mac, psrc = e.ip, pdst = ip },
  })
  local deadline = now() + timeout
  while now() < deadline do
    local bytes = s:recv(deadline - now())
    if not bytes then break end
    local arp = frame.parse(bytes).arp
    if arp and arp.op == 2 and arp.psrc == ip then
      s:close()
      return arp.hwsrc
    end
  end
  s:close()
  return nil
end

return M
