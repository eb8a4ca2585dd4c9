-- netlua: runtime errors name what failed, error levels and tracebacks, as
-- Lua 5.1 has them. Every assertion here holds under lua5.1 too (run
-- `lua5.1 errnames.lua` in this directory).

local function doit(s)
  local f, msg = loadstring(s)
  if f == nil then return msg end
  local ok, msg = pcall(f)
  return (not ok) and msg
end

-- msg is the end of the error message, after "chunk:line: "
local function checkmessage(prog, msg)
  local got = doit(prog)
  assert(got and string.sub(got, -#msg) == msg, got)
end

-- names
checkmessage("pakcet.open('eth0')", "attempt to index global 'pakcet' (a nil value)")
checkmessage("local x = 1; f(x)", "attempt to call global 'f' (a nil value)")
checkmessage("local obj = {}; obj:foo(1)", "attempt to call method 'foo' (a nil value)")
checkmessage("local t = {}; return t.x.y", "attempt to index field 'x' (a nil value)")
checkmessage("local t = 5; return t.x", "attempt to index local 't' (a number value)")
checkmessage("local u; local function f() return u.x end; f()", "attempt to index upvalue 'u' (a nil value)")
checkmessage("local x; local y = x + 1", "attempt to perform arithmetic on local 'x' (a nil value)")
checkmessage("local s = 'a' .. y", "attempt to concatenate global 'y' (a nil value)")
checkmessage("local t = {}; return #t.z", "attempt to get length of field 'z' (a nil value)")
checkmessage("local t = {}; t[1]()", "attempt to call field '?' (a nil value)")
checkmessage("local cfg; cfg.port = 80", "attempt to index local 'cfg' (a nil value)")
checkmessage("config.port = 80", "attempt to index global 'config' (a nil value)")
checkmessage("local t = {}; t.a.b = 1", "attempt to index field 'a' (a nil value)")
checkmessage("x = 3 * yy", "attempt to perform arithmetic on global 'yy' (a nil value)")
checkmessage("local s = 'abc'; return s + 1", "attempt to perform arithmetic on local 's' (a string value)")
checkmessage("local v = {}; local function f() return -v end; f()", "attempt to perform arithmetic on upvalue 'v' (a table value)")
checkmessage("local t = {}; return 'n: ' .. t.name .. '!'", "attempt to concatenate field 'name' (a nil value)")
checkmessage("local a, b, c = 'x', nil, 'z'; return a .. b .. c", "attempt to concatenate local 'b' (a nil value)")
checkmessage("return 'flag=' .. true", "attempt to concatenate a boolean value")
checkmessage("local x = -nil", "attempt to perform arithmetic on a nil value")
checkmessage("local sock = {}; sock.conn:send('x')", "attempt to index field 'conn' (a nil value)")
checkmessage("local s = 'abc'; s:nosuch()", "attempt to call method 'nosuch' (a nil value)")
checkmessage("local function f(p) return p.x end; f()", "attempt to index local 'p' (a nil value)")
checkmessage("local function f() return nil end; f().x = 1", "attempt to index a nil value")
checkmessage("local a; local b = (a or a).x", "attempt to index a nil value")
checkmessage("local t = {}; local k = 'key'; return t[k].z", "attempt to index field '?' (a nil value)")
checkmessage("do local a = 1 end do local b; b.c = 2 end", "attempt to index local 'b' (a nil value)")
checkmessage("for i, v in ipairs({1, 2}) do local _ = v.x end", "attempt to index local 'v' (a number value)")
checkmessage("local t; for k, v in pairs(t) do end", "bad argument #1 to 'pairs' (table expected, got nil)")
checkmessage("for i = 1, 3 do local t; t.x = i end", "attempt to index local 't' (a nil value)")
checkmessage("local n; for i = f(), 2 do end", "attempt to call global 'f' (a nil value)")
checkmessage("for k in nil do end", "attempt to call a nil value")

-- comparisons
checkmessage("local a, b = 1, nil; return a < b", "attempt to compare number with nil")
checkmessage("local a, b = {}, {}; return a <= b", "attempt to compare two table values")
checkmessage("return {} < 1", "attempt to compare table with number")

-- numeric for
checkmessage("for i = nil, 3 do end", "'for' initial value must be a number")
checkmessage("local n; for i = 1, n do end", "'for' limit must be a number")
checkmessage("for i = 1, 3, {} do end", "'for' step must be a number")

-- library argument errors
checkmessage("string.rep()", "bad argument #1 to 'rep' (string expected, got no value)")
checkmessage("local s = ('x'):rep({})", "bad argument #1 to 'rep' (number expected, got table)")
checkmessage("table.insert(nil, 1)", "bad argument #1 to 'insert' (table expected, got nil)")

-- error levels: the line the message names
local function line(msg)
  return tonumber(string.match(msg, "^errnames.lua:(%d+):"))
end

local function check(x)
  error("expected a number", 2)
end
local function use()
  check("a") -- line 76
end
local _, msg = pcall(use)
assert(line(msg) == 76, msg)

local function three() error("three", 3) end
local function two() three() end
local function one()
  two() -- line 84
end
_, msg = pcall(one)
assert(line(msg) == 84, msg)

-- a level lost to a tail call has no position
local function tailchecked() return check(1) end
_, msg = pcall(tailchecked)
assert(msg == "expected a number", msg)

-- level 2 of a function pcall called is pcall: no position
_, msg = pcall(check)
assert(msg == "expected a number", msg)

_, msg = pcall(error, "plain", 0)
assert(msg == "plain")
_, msg = pcall(function() error(42) end)
assert(line(msg) == 100 and string.sub(msg, -2) == "42", msg)
local e = {}
_, msg = pcall(error, e)
assert(msg == e)
_, msg = pcall(error)
assert(msg == nil)

-- in a coroutine
local co = coroutine.create(function() local n; return n + 1 end)
local ok, cmsg = coroutine.resume(co)
assert(not ok and line(cmsg) == 109, cmsg)
assert(string.find(cmsg, "local 'n'", 1, true))
local wrapped = coroutine.wrap(function() error("in wrap") end)
_, msg = pcall(function()
  wrapped() -- line 115
end)
assert(msg == "errnames.lua:115: errnames.lua:113: in wrap", msg)
_, msg = pcall(wrapped)
assert(string.find(msg, "cannot resume dead coroutine", 1, true), msg)

-- tracebacks name functions as the calling instruction does
local function traceof(f, ...)
  local _, tb = xpcall(f, debug.traceback)
  local lines = {}
  for l in string.gmatch(tb, "\n\t([^\n]*)") do lines[#lines + 1] = l end
  return lines
end

local M = {}
local function helper() local z; return z.q end
function M.run(cb) cb() end
function M:go() M.run(helper) end
local lines = traceof(function() M:go() end)
assert(lines[1] == "errnames.lua:130: in function 'cb'", lines[1])
assert(lines[2] == "errnames.lua:131: in function 'run'", lines[2])
assert(lines[3] == "errnames.lua:132: in function 'go'", lines[3])
assert(lines[4] == "errnames.lua:133: in function <errnames.lua:133>", lines[4])
assert(lines[5] == "[C]: in function 'xpcall'", lines[5])
assert(lines[6] == "errnames.lua:123: in function 'traceof'", lines[6])

local function deep(n) if n == 0 then error("deep") end return deep(n - 1) end
lines = traceof(function() deep(2) end)
assert(lines[1] == "[C]: in function 'error'", lines[1])
assert(lines[2] == "errnames.lua:141: in function <errnames.lua:141>", lines[2])
assert(lines[3] == "(tail call): ?" and lines[4] == "(tail call): ?", lines[3])
assert(lines[5] == "errnames.lua:142: in function <errnames.lua:142>", lines[5])

local function level1() local t = {}; t.x.y = 1 end
local function level2() level1() end
lines = traceof(level2)
assert(lines[1] == "errnames.lua:148: in function 'level1'", lines[1])
assert(lines[2] == "errnames.lua:149: in function <errnames.lua:149>", lines[2])

-- debug.getinfo of a level lost to a tail call
local function tailinfo() return debug.getinfo(2, "Sl") end
local function calltail() return tailinfo() end
local info = calltail()
assert(info.what == "tail" and info.currentline == -1, info.what)
assert(debug.getinfo(print).what == "C")
assert(debug.getinfo(1, "S").what == "main")

print("OK")
