-- dnsmasq: runs dnsmasq (Debian: dnsmasq-base) in a lab host for the
-- tests of the DHCP and DNS exercises, its files in a temporary directory
-- of its own that goes with the lab when the test ends. Not an exercise.
--
--   local d = require("dnsmasq").new(t, l, host)
--   d:run{ "port=0", "dhcp-leasefile=" .. d:file("leases"), ... }
--   d:log()            -- what it logged, to show when a check fails
local loop = require "loop"

local M = {}

local Server = {}
Server.__index = Server

-- program is the path of dnsmasq, or nil.
local function program()
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

-- file is the path of name in the server's directory; the file is removed
-- when the test ends.
function Server:file(name)
  self.files[name] = true
  return self.dir .. "/" .. name
end

-- log is what dnsmasq logged, to show when a check fails.
function Server:log()
  local f = io.open(self.dir .. "/log")
  if not f then return "(no log)" end
  local text = f:read("*a")
  f:close()
  return text
end

-- new makes the directory of a dnsmasq to run in host, a host of the
-- lab l. The lab is closed (dnsmasq with it) before the directory is
-- removed. It skips the test when dnsmasq cannot run there.
function M.new(t, l, host)
  local path = program()
  if not path then t:fatal("dnsmasq is not installed (Debian: apt install dnsmasq-base)") end
  capable(t, host)
  local dir = host:exec{ "mktemp", "-d", "-t", "netlua-dnsmasq.XXXXXX" }:gsub("%s+$", "")
  local d = setmetatable({ t = t, host = host, program = path, dir = dir, files = {} }, Server)
  loop.defer(function()
    l:close() -- dnsmasq with it: nothing writes there any more
    for name in pairs(d.files) do os.remove(dir .. "/" .. name) end
    assert(os.remove(dir))
  end)
  return d
end

-- run starts dnsmasq with the lines of conf, its pid file and log in its
-- directory; it fails the test when dnsmasq does not start.
function Server:run(conf)
  local lines = { "pid-file=" .. self:file("pid"), "log-facility=" .. self:file("log") }
  for _, line in ipairs(conf) do lines[#lines + 1] = line end
  lines[#lines + 1] = ""
  local name = self:write("dnsmasq.conf", table.concat(lines, "\n"))
  local out, status = self.host:exec{ self.program, "--conf-file=" .. name }
  if status ~= 0 then self.t:fatal("dnsmasq: " .. out) end
end

-- write writes text to the file name in the directory and returns its path.
function Server:write(name, text)
  local path = self:file(name)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path
end

return M
