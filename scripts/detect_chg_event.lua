-- detect_chg_event.lua: the seed's detect_chg_event (000), on rtnetlink.
--
--   sudo netlua scripts/detect_chg_event.lua IFACE
--
-- Prints the interface's address (IPv4, else IPv6) and state, then the
-- same line again on every link or address event of that interface: an
-- MTU change, the link going down or up, an address added or removed.
-- "active" is IFF_RUNNING (up with a carrier), as in the seed. Runs until
-- ^C, or until the interface is deleted. Try it while changing the
-- interface from another terminal:
--
--   sudo ip link set IFACE mtu 1501; sudo ip link set IFACE down
local nl = require "netlink"

local ifname = arg[1]
if not ifname then
  io.stderr:write("usage: netlua scripts/detect_chg_event.lua IFACE\n")
  os.exit(2)
end

-- address is the interface's first IPv4 address, else its first IPv6
-- one, without the prefix length, as the seed's getifaddrs loop finds it.
local function address(index)
  local v6
  for _, a in ipairs(nl.addrs(index)) do
    local ip = a.addr:gsub("/%d+$", "")
    if a.family == 4 then return ip end
    v6 = v6 or ip
  end
  return v6 or "(no address)"
end

-- line is what the seed prints: the name, the address, active or
-- inactive (IFF_RUNNING) and the link's state.
local function line(name, index, running, up, mtu)
  return string.format("%s: %s %s, link %s, mtu %d", name, address(index),
    running and "active" or "inactive", up and "up" or "down", mtu)
end

local link = nl.link(ifname)
local watcher
watcher = nl.watch({ "link", "addr" }, function(ev)
  if ev.type == "overrun" then
    print("overrun: the kernel dropped events; current state follows")
  elseif ev.ifindex ~= link.index then
    return
  elseif ev.type == "RTM_DELLINK" then
    print(ev.type .. " " .. ev.ifname .. ": deleted")
    watcher:close()
  elseif ev.kind == "link" then -- the state the event reports, not the state now
    print(ev.type .. " " .. line(ev.ifname, ev.ifindex, ev.running, ev.up, ev.mtu))
  else
    local now = nl.link(link.index)
    print(ev.type .. " " .. line(now.name, now.index, now.running, now.up, now.mtu))
  end
end)
print(line(link.name, link.index, link.running, link.up, link.mtu))
