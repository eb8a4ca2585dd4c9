-- A solution to exercise 11 (scripts/lab/nd.lua).
local packet, frame, netlink = require "packet", require "frame", require "netlink"

local M = {}

-- na builds a neighbour advertisement for target at mac.
local function na(mac, target, edst, ipdst, solicited)
  return frame.build{
    frame.ether{ src = mac, dst = edst },
    frame.ipv6{ src = target, dst = ipdst },
    frame.icmp6{},
    frame.nd_na{ R = 0, S = solicited and 1 or 0, O = 1, tgt = target,
      options = { { "DstLLAddr", lladdr = mac } } },
  }
end

function M.respond(e, target, mac)
  local s = packet.open(e.ifname, { proto = "ipv6", netns = e })
  s:on(function(bytes)
    local p = frame.parse(bytes)
    if not (p.nd_ns and p.nd_ns.tgt == target) then return end
    if p.ipv6.src == "::" then -- duplicate address detection: tell everyone
      s:send(na(mac, target, "33:33:00:00:00:01", "ff02::1", false))
    else
      s:send(na(mac, target, p.ether.src, p.ipv6.src, true))
    end
  end)
  return s
end

function M.announce(e, target, mac)
  local s = packet.open(e.ifname, { proto = "ipv6", netns = e })
  s:send(na(mac, target, "33:33:00:00:00:01", "ff02::1", false))
  s:close()
end

-- linklocal is e's fe80:: address, without its prefix length.
local function linklocal(e)
  for _, a in ipairs(netlink.addrs(e.ifname, { family = 6, netns = e })) do
    if a.scope == "link" then return (a.addr:gsub("/%d+$", "")) end
  end
  error("no link-local address on " .. e.ifname)
end

function M.advertise(e, prefix)
  local s = packet.open(e.ifname, { proto = "ipv6", netns = e })
  s:send(frame.build{
    frame.ether{ src = e.mac, dst = "33:33:00:00:00:01" },
    frame.ipv6{ src = linklocal(e), dst = "ff02::1" },
    frame.icmp6{},
    frame.nd_ra{ routerlifetime = 1800, options = {
      { "SrcLLAddr", lladdr = e.mac },
      { "PrefixInfo", prefix = prefix, prefixlen = 64 },
    } },
  })
  s:close()
end

return M
