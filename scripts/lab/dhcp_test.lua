-- Checks exercise 10 (dhcp.lua): sudo netlua test scripts/lab/dhcp_test.lua
-- It needs dnsmasq (Debian: apt install dnsmasq-base).
local lab, dnsmasq = require "lab", require "dnsmasq"
local dhcp = require("exercise")("dhcp")

-- server makes a client and a server host joined by a link, and runs
-- dnsmasq on the server end. It returns the client end, the server end,
-- the range's first three octets and the dnsmasq.
local function server(t)
  local l = lab.new()
  local c, s = l:link(l:host("client"), l:host("server"))
  local net = s.ip:match("^(%d+%.%d+%.%d+)%.")
  local d = dnsmasq.new(t, l, s)
  d:run{
    "port=0", -- no DNS
    "interface=" .. s.ifname, "bind-interfaces",
    "dhcp-range=" .. net .. ".100," .. net .. ".150,255.255.255.0,1h",
    "no-ping", -- offer at once, without pinging the address first
    "dhcp-leasefile=" .. d:file("leases"),
    "log-dhcp",
  }
  return c, s, net, d
end

-- lease is the line of dnsmasq's leases file for mac, once there (or after
-- a second): dnsmasq writes it when it acknowledges.
local function lease(d, mac)
  local deadline = now() + 1
  repeat
    local f = io.open(d:file("leases"))
    if f then
      for line in f:lines() do
        if line:find(" " .. mac .. " ", 1, true) then f:close() return line end
      end
      f:close()
    end
    sleep(0.01)
  until now() > deadline
end

test("the handshake gets a lease", function(t)
  local c, _, net, d = server(t)
  local addr, err = dhcp.lease(c)
  t:ok(addr, "lease gave no address: " .. tostring(err))
  local line = lease(d, c.mac)
  if not t:ok(line, "dnsmasq's leases file has the client's MAC\n" .. d:log()) then return end
  local leased = line:match("^%d+ %S+ (%S+) ")
  t:eq(addr, leased, "the address dnsmasq leased")
  t:match(leased, "^" .. net:gsub("%.", "%%.") .. "%.1[0-5]%d$", "in dnsmasq's range")
end)

test("the address asked for", function(t)
  local c, _, net, d = server(t)
  local want = net .. ".142"
  local addr, err = dhcp.lease(c, want)
  t:eq(addr, want, "the address lease gave" .. (err and ": " .. err or ""))
  local line = lease(d, c.mac)
  t:eq(line and line:match("^%d+ %S+ (%S+) "), want, "the address in dnsmasq's leases file\n" .. d:log())
end)
