-- Checks exercise 14 (learnswitch.lua): sudo netlua test scripts/lab/learnswitch_test.lua
local lab, netlink = require "lab", require "netlink"
local learnswitch = require("exercise")("learnswitch")

-- fdbshow is what the bridge of sw learnt, by iproute2's bridge fdb show:
-- { [mac] = port }, the bridge's own (permanent) and static entries left out.
local function fdbshow(sw)
  local out, status = sw:exec{ "bridge", "fdb", "show", "br", "br0" }
  assert(status == 0, out)
  local macs = {}
  for line in out:gmatch("[^\n]+") do
    local mac, port = line:match("^(%S+) dev (%S+) .*master br0")
    if mac and not line:find("permanent") and not line:find("static") then
      macs[mac] = port
    end
  end
  return macs
end

-- quiet makes a fresh lab.single(n) whose hosts send nothing by
-- themselves (IPv6, even link-local only, announces every host at once)
-- and whose switch has forgotten what it learnt from them so far: a
-- bridge port going down loses its learnt entries. All through netlua,
-- no program run, so that it works under setcap too.
local function quiet(n)
  local l = lab.single(n, { ipv6 = false })
  for _, h in ipairs(l.hosts) do
    h:sysctl("net.ipv6.conf.all.disable_ipv6", 1)
  end
  for _, port in ipairs(l.s1.ifaces) do
    netlink.set_link(port.ifname, { up = false, netns = port })
    netlink.set_link(port.ifname, { up = true, netns = port })
  end
  return l
end

-- port is the switch port h sits behind: the peer of its end.
local function port(h)
  return h.ifaces[1].peer.ifname
end

-- ping is the kernel's ping from h to g's address: true when answered.
local function ping(h, g)
  local _, status = h:exec{ "ping", "-c", "1", "-W", "2", g.ifaces[1].ip }
  return status == 0
end

test("the switch learns the hosts that talk, behind their ports", function(t)
  local n = quiet(3)
  local h1, h2, h3 = n.h1, n.h2, n.h3
  local hosts = { h1, h2, h3 }
  t:eq(learnswitch.learned(n.s1), fdbshow(n.s1), "before anyone talks")

  t:ok(ping(h1, h2), "h1 pings h2")
  local learned = learnswitch.learned(n.s1)
  t:eq(learned, fdbshow(n.s1), "after h1 pings h2")
  t:eq(learned[h1.ifaces[1].mac], port(h1), "h1's MAC behind h1's port")
  t:eq(learned[h2.ifaces[1].mac], port(h2), "h2's MAC behind h2's port")
  t:eq(learnswitch.ports(n.s1, hosts), { h1 = port(h1), h2 = port(h2) }, "h3 has said nothing yet")

  t:ok(ping(h3, h1), "h3 pings h1")
  t:eq(learnswitch.learned(n.s1), fdbshow(n.s1), "after h3 pings h1")
  t:eq(learnswitch.ports(n.s1, hosts), { h1 = port(h1), h2 = port(h2), h3 = port(h3) })
end)

test("ports leaves out a host the switch has not heard from", function(t)
  local n = quiet(2)
  local elsewhere = lab.new{ ipv6 = false } -- a host on another link altogether
  local other = elsewhere:host("stranger")
  elsewhere:link(other, elsewhere:host())
  t:ok(ping(n.h2, n.h1), "h2 pings h1")
  local ports = learnswitch.ports(n.s1, { n.h1, n.h2, other })
  t:eq(ports, { h1 = port(n.h1), h2 = port(n.h2) })
  t:eq(learnswitch.learned(n.s1), fdbshow(n.s1))
end)
