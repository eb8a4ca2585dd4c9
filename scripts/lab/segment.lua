-- segment: hosts on one Ethernet segment, for the exercises that need more
-- than two machines on a link (ARP poisoning, ICMP redirects). lab:link
-- joins two hosts only, so a switch host "sw" gets one link to each host
-- and bridges them; every host's end then moves into the first link's /24,
-- numbered .1, .2, ... in the order given. The bridge is made by `ip`, a
-- program: under setcap, where programs get no capabilities, the test is
-- skipped.
--
--   local seg = require("segment")(t, { "victim", "gw", "attacker" })
--   seg.victim  -> { name, host, ifname, mac, ip, prefix, cidr }
--   seg.lab     -> the lab, seg.net -> "198.18.N"
local lab, netlink = require "lab", require "netlink"
local privileged = require "privileged"

-- bridge makes br0 in sw, up, with the given ends of sw as its ports.
local function bridge(sw, ports)
  local function ip(argv)
    local out, status = sw:exec(argv)
    if status ~= 0 then error(table.concat(argv, " ") .. ": " .. out, 3) end
  end
  ip{ "ip", "link", "add", "br0", "type", "bridge" }
  for _, p in ipairs(ports) do
    -- a port's address would still be the switch's, answering ARP for it
    netlink.del_addr(p.ifname, p.cidr, { netns = p })
    ip{ "ip", "link", "set", p.ifname, "master", "br0" }
  end
  ip{ "ip", "link", "set", "br0", "up" }
end

return function(t, names)
  local l = lab.new()
  local sw = l:host("sw")
  privileged(t, sw, "ip link add (the switch's bridge)")
  local seg = { lab = l }
  local ports = {}
  for i, name in ipairs(names) do
    local e, p = l:link(l:host(name), sw)
    ports[i] = p
    seg.net = seg.net or e.ip:match("^(%d+%.%d+%.%d+)%.")
    local ip = seg.net .. "." .. i
    netlink.del_addr(e.ifname, e.cidr, { netns = e })
    netlink.add_addr(e.ifname, ip .. "/24", { netns = e })
    seg[name] = { name = name, host = e.host, ifname = e.ifname, mac = e.mac,
      ip = ip, prefix = 24, cidr = ip .. "/24" }
  end
  bridge(sw, ports)
  return seg
end
