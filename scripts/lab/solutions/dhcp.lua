-- A solution to exercise 10 (scripts/lab/dhcp.lua).
local packet, frame = require "packet", require "frame"

local M = {}

-- bytes is a MAC address as its 6 bytes.
local function bytes(mac)
  return (mac:gsub("(%x%x):?", function(h) return string.char(tonumber(h, 16)) end))
end

-- option is the value of the DHCP option name in a parsed packet.
local function option(p, name)
  for _, o in ipairs(p.dhcp.options) do
    if type(o) == "table" and o[1] == name then return o[2] end
  end
end

-- exchange broadcasts a DHCP message with options and returns the first
-- answer with our xid whose type is one of want, parsed, or nil.
local function exchange(s, e, xid, options, want)
  s:send(frame.build{
    frame.ether{ src = e.mac },
    frame.ipv4{ src = "0.0.0.0", dst = "255.255.255.255" },
    frame.udp{ sport = 68, dport = 67 },
    frame.bootp{ xid = xid, chaddr = bytes(e.mac), flags = 0x8000 },
    frame.dhcp{ options = options },
  })
  local deadline = now() + 3
  while now() < deadline do
    local got = s:recv(deadline - now())
    if not got then break end
    local p = frame.parse(got)
    if p.dhcp and p.bootp.op == 2 and p.bootp.xid == xid and want[option(p, "message-type")] then
      return p
    end
  end
end

function M.lease(e, want)
  local s = packet.open(e.ifname, { netns = e, filter = "udp port 68" })
  local xid = math.random(1, 0x7fffffff)
  local discover = { { "message-type", "discover" } }
  if want then discover[2] = { "requested_addr", want } end
  discover[#discover + 1] = "end"
  local offer = exchange(s, e, xid, discover, { offer = true })
  if not offer then s:close() return nil, "no offer" end
  local ack = exchange(s, e, xid, {
    { "message-type", "request" },
    { "requested_addr", offer.bootp.yiaddr },
    { "server_id", option(offer, "server_id") },
    "end",
  }, { ack = true, nak = true })
  s:close()
  if not ack then return nil, "no answer to the request" end
  if option(ack, "message-type") == "nak" then return nil, "nak" end
  return ack.bootp.yiaddr
end

return M
