-- Checks exercise 10 (dhcp.lua): sudo netlua test scripts/lab/dhcp_test.lua
-- It needs dnsmasq (Debian: apt install dnsmasq-base).
local lab, loop = require "lab", require "loop"
local dhcp = require("exercise")("dhcp")

-- dnsmasq is the path of the program, or nil.
local function dnsmasq()
  for _, path in ipairs{ "/usr/sbin/dnsmasq", "/usr/bin/dnsmasq" } do
    local f = io.open(path)
    if f then f:close() return path end
  end
end

-- capable skips the test when programs run without capabilities, as they
-- do when netlua runs under setcap (the kernel gives file capabilities to
-- the file, not to the children host:exec starts): dnsmasq needs some.
local function capable(t, host)
  local out = host:exec{ "grep", "CapEff", "/proc/self/status" }
  if out:match("CapEff:%s*0+%s*$") then
    t:skip("dnsmasq gets no capabilities when netlua runs under setcap: run this test as root")
  end
end

local FILES = { "dnsmasq.conf", "leases", "pid", "log" }

-- server makes a client and a server host joined by a link, and runs
-- dnsmasq on the server end, its files in a directory of its own that goes
-- with the lab when the test ends. It returns the client end, the server
-- end, the range's first three octets and the directory.
local function server(t)
  local program = dnsmasq()
  if not program then t:fatal("dnsmasq is not installed (Debian: apt install dnsmasq-base)") end
  local l = lab.new()
  local c, s = l:link(l:host("client"), l:host("server"))
  capable(t, s)
  local dir = s:exec{ "mktemp", "-d", "-t", "netlua-dhcp.XXXXXX" }:gsub("%s+$", "")
  loop.defer(function()
    l:close() -- dnsmasq with it: nothing writes there any more
    for _, name in ipairs(FILES) do os.remove(dir .. "/" .. name) end
    assert(os.remove(dir))
  end)
  local net = s.ip:match("^(%d+%.%d+%.%d+)%.")
  local conf = assert(io.open(dir .. "/dnsmasq.conf", "w"))
  conf:write(table.concat({
    "port=0", -- no DNS
    "interface=" .. s.ifname, "bind-interfaces",
    "dhcp-range=" .. net .. ".100," .. net .. ".150,255.255.255.0,1h",
    "no-ping", -- offer at once, without pinging the address first
    "dhcp-leasefile=" .. dir .. "/leases", "pid-file=" .. dir .. "/pid",
    "log-dhcp", "log-facility=" .. dir .. "/log", "",
  }, "\n"))
  conf:close()
  local out, status = s:exec{ program, "--conf-file=" .. dir .. "/dnsmasq.conf" }
  if status ~= 0 then t:fatal("dnsmasq: " .. out) end
  return c, s, net, dir
end

-- lease is the line of dnsmasq's leases file for mac, once there (or after
-- a second): dnsmasq writes it when it acknowledges.
local function lease(dir, mac)
  local deadline = now() + 1
  repeat
    local f = io.open(dir .. "/leases")
    if f then
      for line in f:lines() do
        if line:find(" " .. mac .. " ", 1, true) then f:close() return line end
      end
      f:close()
    end
    sleep(0.01)
  until now() > deadline
end

-- log is dnsmasq's log, to show when a check fails.
local function log(dir)
  local f = io.open(dir .. "/log")
  if not f then return "(no log)" end
  local text = f:read("*a")
  f:close()
  return text
end

test("the handshake gets a lease", function(t)
  local c, _, net, dir = server(t)
  local addr, err = dhcp.lease(c)
  t:ok(addr, "lease gave no address: " .. tostring(err))
  local line = lease(dir, c.mac)
  if not t:ok(line, "dnsmasq's leases file has the client's MAC\n" .. log(dir)) then return end
  local leased = line:match("^%d+ %S+ (%S+) ")
  t:eq(addr, leased, "the address dnsmasq leased")
  t:match(leased, "^" .. net:gsub("%.", "%%.") .. "%.1[0-5]%d$", "in dnsmasq's range")
end)

test("the address asked for", function(t)
  local c, _, net, dir = server(t)
  local want = net .. ".142"
  local addr, err = dhcp.lease(c, want)
  t:eq(addr, want, "the address lease gave" .. (err and ": " .. err or ""))
  local line = lease(dir, c.mac)
  t:eq(line and line:match("^%d+ %S+ (%S+) "), want, "the address in dnsmasq's leases file\n" .. log(dir))
end)
