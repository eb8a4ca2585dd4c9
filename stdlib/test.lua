-- test: the harness of `netlua test`. Loading it defines the global
-- test(name, fn). The runner (cmd/netlua) loads a test file in a fresh
-- state for each test, reads test.tests, calls the chosen test's function
-- with test.new(name) and reports what that t recorded.
--
-- Checks (ok, eq, ne, match, bytes) record a failure and let the test go
-- on, as Go's t.Error does, and return whether they passed. Calls that
-- cannot go on (fatal, skip, expect when nothing matched) stop the test by
-- raising the t itself, which the runner knows is no error.
local pp = require "pp"

local test = { tests = {} }
local T = {}
T.__index = T

local getinfo, now = debug.getinfo, now
local type, tostring, error, pairs, ipairs = type, tostring, error, pairs, ipairs
local harness = getinfo(1, "S").source

-- caller is "file:line" of the innermost Lua frame outside this file: the
-- line of the test that made the check, however deep the harness is.
local function caller()
  for level = 2, 100 do
    local info = getinfo(level, "Sl")
    if not info then break end
    if info.source ~= harness and info.currentline > 0 then
      return info.source .. ":" .. info.currentline
    end
  end
  return "?"
end

-- raise is error(msg) at the caller's line.
local function raise(msg)
  error(caller() .. ": " .. msg, 0)
end

-- argcheck raises Lua's own "bad argument" error for argument n of a
-- function or method.
local function argcheck(ok, n, name, want, got)
  if not ok then
    raise(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, name, want, type(got)))
  end
end

local function register(name, fn)
  argcheck(type(name) == "string", 1, "test", "string", name)
  argcheck(type(fn) == "function", 2, "test", "function", fn)
  for _, def in ipairs(test.tests) do
    if def.name == name then
      raise(("test %s is defined twice (first at %s)"):format(pp.format(name), def.where))
    end
  end
  test.tests[#test.tests + 1] = { name = name, fn = fn, where = caller() }
end
rawset(_G, "test", register)

--- A fresh test object, as the runner passes to each test's function.
function test.new(name)
  return setmetatable({ name = name, failed = false, failures = {} }, T)
end

-- fail records a failure at the caller's line (caller skips the levels
-- that tail calls lost, which have no line).
local function fail(t, msg, record)
  record = record or {}
  record.where, record.msg = caller(), msg
  t.failures[#t.failures + 1] = record
  t.failed = true
end

-- message is the user's msg, or the check's own description.
local function message(msg, default)
  if msg == nil then return default end
  return tostring(msg)
end

local function key(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then return "." .. k end
  return "[" .. pp.format(k) .. "]"
end

local function index(v, k) return v[k] end

-- get is t[k], or nil where reading it raises: a layer made by
-- f.ipv4{...} raises for a name it has no field of, which the other
-- table may have (comparing a udp layer with an ipv4 one).
local function get(t, k)
  local ok, v = pcall(index, t, k)
  if ok then return v end
end

-- equal compares deeply; when a and b differ it also returns the path of
-- a difference (".ipv4.ttl", "[2]"), "" for the values themselves.
local function equal(a, b, path, seen)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false, path end
  if seen[a] == b then return true end
  seen[a] = b
  for k, v in pairs(a) do
    local same, where = equal(v, get(b, k), path .. key(k), seen)
    if not same then return false, where end
  end
  for k in pairs(b) do
    if get(a, k) == nil then return false, path .. key(k) end
  end
  return true
end

--- Passes when cond is true (anything but false and nil).
function T:ok(cond, msg)
  if cond then return true end
  fail(self, message(msg, "t:ok: got " .. tostring(cond)))
  return false
end

--- Passes when got equals want; tables are compared deeply.
function T:eq(got, want, msg)
  local same, path = equal(got, want, "", {})
  if same then return true end
  local default = "t:eq: not equal"
  if path ~= "" then default = default .. " at " .. path:gsub("^%.", "") end
  fail(self, message(msg, default), { got = pp.format(got), want = pp.format(want) })
  return false
end

--- Passes when got and want differ; tables are compared deeply.
function T:ne(got, want, msg)
  if not equal(got, want, "", {}) then return true end
  fail(self, message(msg, "t:ne: equal, want different"), { got = pp.format(got) })
  return false
end

--- Passes when s is a string in which the Lua pattern matches.
function T:match(s, pattern, msg)
  argcheck(type(pattern) == "string", 2, "match", "string", pattern)
  if type(s) == "string" and s:find(pattern) then return true end
  fail(self, message(msg, "t:match: no match for " .. pp.format(pattern)),
    { got = pp.format(s), want = "a string matching " .. pp.format(pattern) })
  return false
end

--- Passes when the byte strings are equal; the runner shows where they differ.
function T:bytes(got, want, msg)
  argcheck(type(want) == "string", 2, "bytes", "string", want)
  if got == want then return true end
  if type(got) ~= "string" then
    fail(self, message(msg, "t:bytes: got no bytes"), { got = pp.format(got), want = #want .. " bytes" })
    return false
  end
  fail(self, msg ~= nil and tostring(msg) or nil, { kind = "bytes", got = got, want = want })
  return false
end

--- Fails the test and stops it.
function T:fatal(msg)
  fail(self, message(msg, "t:fatal"))
  error(self, 0)
end

--- Stops the test and marks it skipped (unless it already failed).
function T:skip(why)
  self.skipped = message(why, "skipped")
  self.skipped_at = caller()
  error(self, 0)
end

-- One line per frame in expect's summary: the layers and their addresses.
local brief = {
  ether = function(l) return l.src .. " > " .. l.dst end,
  ipv4 = function(l) return l.src .. " > " .. l.dst end,
  ipv6 = function(l) return l.src .. " > " .. l.dst end,
  udp = function(l) return l.sport .. " > " .. l.dport end,
  tcp = function(l) return l.sport .. " > " .. l.dport .. " " .. l.flags end,
  arp = function(l) return "op " .. l.op .. " " .. l.psrc .. " > " .. l.pdst end,
  icmp4 = function(l) return "type " .. l.type .. " code " .. l.code end,
  icmp6 = function(l) return "type " .. l.type .. " code " .. l.code end,
}

local function summary(p, data)
  if type(data) ~= "string" then return (pp.format(p, { depth = 1, indent = 0 }):gsub("\n", " ")) end
  local parts = {}
  for _, l in ipairs(p.layers) do
    local f = brief[l.name]
    parts[#parts + 1] = f and (l.name .. " " .. f(l)) or l.name
  end
  parts[#parts + 1] = #p.payload .. " bytes"
  return table.concat(parts, " / ")
end

local expect_lines = 10

-- arrived says what expect received and did not want: a count, and a
-- line per frame for the first few.
local function arrived(n, lines)
  if n == 0 then return "nothing arrived", nil end
  local detail = {}
  for i, line in ipairs(lines) do detail[i] = i .. ". " .. line end
  if n > #lines then detail[#detail + 1] = "(and " .. (n - #lines) .. " more)" end
  return (n == 1 and "1 frame" or n .. " frames") .. " arrived:", table.concat(detail, "\n")
end

-- The names a parsed packet has besides its layers.
local packet_fields = { layers = true, payload = true, padding = true, error = true }

-- missing_layer is the name of the layer the predicate's error err is
-- about, if it is one p lacks: Lua's "attempt to index field 'udp' (a nil
-- value)" when p is a parsed packet and p.udp reads nil, so udp is a layer
-- (a misspelt name raises) that p does not have. A predicate that reads
-- p.udp.dport does not match an ARP frame; any other error is a bug in it.
local function missing_layer(err, p)
  if type(err) ~= "string" or getmetatable(p) ~= "frame.packet" then return nil end
  local name = err:match(": attempt to index field '([%a_][%w_]*)' %(a nil value%)$")
  if name == nil or packet_fields[name] then return nil end
  local ok, layer = pcall(index, p, name)
  if ok and layer == nil then return name end
end

-- matches calls pred(p, data, info): it returns whether pred accepted
-- the frame and, for a frame pred could not read because it lacks a
-- layer, why not. Other errors (and t:fatal, t:skip) go on up.
local function matches(pred, p, data, info)
  if pred == nil then return true end
  local ok, res = pcall(pred, p, data, info)
  if ok then return res end
  local name = missing_layer(res, p)
  if name == nil then error(res, 0) end
  return false, "no " .. name .. " layer for the predicate"
end

--- Receives from sock until pred accepts a frame; fails and stops the test after timeout seconds.
function T:expect(sock, pred, timeout)
  argcheck(type(sock) == "userdata" or type(sock) == "table", 1, "expect", "socket", sock)
  argcheck(pred == nil or type(pred) == "function", 2, "expect", "function", pred)
  argcheck(timeout == nil or type(timeout) == "number", 3, "expect", "number", timeout)
  timeout = timeout or 1
  local frame = require "frame"
  local opts = getmetatable(sock) == "rawip.socket" and { first = "ip" } or nil
  local deadline, n, lines = now() + timeout, 0, {}
  while true do
    local left = deadline - now()
    if left <= 0 then break end
    local data, info = sock:recv(left)
    if data == nil then break end
    local p = data
    if type(data) == "string" then p = frame.parse(data, opts) end
    local matched, why = matches(pred, p, data, info)
    if matched then return p, data, info end
    n = n + 1
    if n <= expect_lines then lines[n] = summary(p, data) .. (why and " (" .. why .. ")" or "") end
  end
  local what, detail = arrived(n, lines)
  fail(self, ("t:expect: no %s within %g s; %s"):format(pred and "match" or "frame", timeout, what), { detail = detail })
  error(self, 0)
end

return test
