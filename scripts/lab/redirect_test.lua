-- Checks exercise 8 (redirect.lua): sudo netlua test scripts/lab/redirect_test.lua
local lab, netlink, packet, rawip, f = require "lab", require "netlink", require "packet", require "rawip", require "frame"
local redirect = require("exercise")("redirect")

local DST = "198.19.77.7" -- beyond the router; nobody needs to have it

-- lan is the ends of victim, router and attacker on one segment; the
-- victim routes everything via the router, accepts redirects (as a host,
-- not forwarding) and pings DST through a raw ICMP socket it keeps open,
-- which comes fourth.
local function lan()
  local l = lab.new()
  local v, r, x = l:lan(l:host("victim"), l:host("router"), l:host("attacker"))
  v:forward(false)
  for _, conf in ipairs{ "all", v.ifname } do
    v:sysctl("net.ipv4.conf." .. conf .. ".accept_redirects", 1)
    v:sysctl("net.ipv4.conf." .. conf .. ".shared_media", 1)
  end
  netlink.add_route{ dst = "default", via = r.ip, netns = v }
  local s = rawip.open{ proto = "icmp", netns = v }
  s:sendto(f.build{ f.icmp4{ type = 8, id = 0x7264, seq = 1 }, "to dst" }, DST)
  return v, r, x, s
end

-- route is what `ip route get DST` says in the victim, once it names via
-- (or after a second): the kernel may take the redirect in a softirq that
-- runs after the attacker's send returns.
local function route(v, via)
  local deadline = now() + 1
  local out = v:exec{ "ip", "route", "get", DST }
  while not out:find("via " .. via .. " ", 1, true) and now() < deadline do
    sleep(0.01)
    out = v:exec{ "ip", "route", "get", DST }
  end
  return out
end

test("the victim's route to dst goes via the attacker", function(t)
  local v, r, x = lan()
  t:match(route(v, r.ip), "via " .. r.ip:gsub("%.", "%%.") .. " ", "via the router before")
  redirect.redirect(x, v, r.ip, DST)
  local out = route(v, x.ip)
  t:match(out, "via " .. x.ip:gsub("%.", "%%.") .. " ", "via the attacker after")
  t:match(out, "redirected", "a redirected route cache entry")
end)

test("the victim's next ping to dst reaches the attacker", function(t)
  local v, r, x, s = lan()
  redirect.redirect(x, v, r.ip, DST)
  route(v, x.ip)
  local rx = packet.open(x.ifname, { netns = x, filter = "icmp" })
  s:sendto(f.build{ f.icmp4{ type = 8, id = 0x7264, seq = 2 }, "to dst" }, DST)
  local p = t:expect(rx, function(p) return p.ipv4.dst == DST and p.icmp4.seq == 2 end)
  t:eq(p.ether.dst, x.mac, "sent to the attacker's MAC")
end)
