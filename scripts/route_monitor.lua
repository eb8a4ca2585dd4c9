-- route_monitor.lua: the seed's route monitor (001), on rtnetlink.
--
--   sudo netlua scripts/route_monitor.lua
--
-- Prints every IPv4 route and address message the kernel sends (the
-- seed's RTMGRP_IPV4_ROUTE | RTMGRP_IPV4_IFADDR): its type, the sequence
-- number and netlink port (Pid) of the request that caused it (0 for the
-- kernel's own), and the route or address as ip prints it. Runs until ^C.
-- Try it with, from another terminal:
--
--   sudo ip route add 198.18.9.0/24 dev lo; sudo ip route del 198.18.9.0/24 dev lo
--
-- When a link goes down the kernel drops its IPv4 routes without a
-- message; resync_on_link_down makes netlua report them as RTM_DELROUTE.
local nl = require "netlink"

local tables = { [253] = "default", [254] = "main", [255] = "local" }

-- route is a route as ip route prints it.
local function route(ev)
  local s = {}
  local function add(...) for _, v in ipairs{ ... } do s[#s + 1] = v end end
  if ev.rtype ~= "unicast" then add(ev.rtype) end
  add(ev.dst)
  if ev.gateway then add("via", ev.gateway) end
  if ev.ifname then add("dev", ev.ifname) end
  if ev.table ~= 254 then add("table", tables[ev.table] or tostring(ev.table)) end
  add("proto", ev.proto)
  if ev.scope ~= "global" then add("scope", ev.scope) end
  if ev.src then add("src", ev.src) end
  if ev.metric ~= 0 then add("metric", tostring(ev.metric)) end
  return table.concat(s, " ")
end

-- describe is what a message is about: a route, or an address.
local function describe(ev)
  if ev.kind == "addr" then
    return string.format("%s dev %s scope %s", ev.addr, ev.ifname or ev.ifindex, ev.scope)
  end
  return route(ev)
end

nl.watch({ "route4", "addr4" }, function(ev)
  if ev.type == "overrun" then
    print("overrun: the kernel dropped messages; the routes and addresses follow")
  elseif ev.type == "resynced" then
    print(string.format("resynced: %d routes and addresses", ev.count))
  else
    local note = ev.resync and "  (resync)" or ""
    print(string.format("%-12s Seq: %-10d Pid: %-10d %s%s", ev.type, ev.seq, ev.pid, describe(ev), note))
  end
end, { resync_on_link_down = true })
print("watching IPv4 routes and addresses; ^C to stop")
