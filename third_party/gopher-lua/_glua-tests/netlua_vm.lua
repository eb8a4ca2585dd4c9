-- Tests of netlua's compiler and VM patches (PATCHES.md, rows 7 to 21). Each
-- passes under lua5.1 too: `lua5.1 netlua_vm.lua` checks the expectations
-- against the reference implementation.

-- patch 7: jump threading read already-patched jumps, and a jump turned into
-- a NOP kept its label id, which TFORLOOP then used as its loop offset.
function test()
  local t, got = {1}, {}
  local function rec(...) got[#got + 1] = table.concat({...}, " ") end
  local function f(x)
    if x==0 then elseif x==1 then for _ in pairs(t) do break end elseif x==2 then rec(1,2,3) end
  end
  f(0) f(1) f(3)
  assert(#got == 0)
  f(2)
  assert(got[1] == "1 2 3")
end
test()

-- patch 7: `if false then local x end` inside a generic for (upstream #540)
function test()
  local n = 0
  for _, v in ipairs({10, 20}) do
    if false then local x end
    n = n + v
  end
  assert(n == 30)
  local f = loadstring("for _ in pairs({1}) do if false then local x end end return 1")
  assert(f() == 1)
end
test()

-- patch 8: the generic for's explist is compiled before its hidden locals
function test()
  local function mk()
    return {it = function(n)
      local i = 0
      return function() i = i + 1; if i <= n then return i end end
    end}
  end
  local sum = 0
  for x in mk().it(3) do sum = sum + x end
  assert(sum == 6)
  local m = {f = function() return ipairs({4, 5}) end}
  sum = 0
  for _, v in m.f() do sum = sum + v end
  assert(sum == 9)
end
test()

-- patch 8: the explist is adjusted to three values (upstream #514)
function test()
  local calls = {}
  local function it(s, c)
    calls[#calls + 1] = tostring(s) .. "," .. tostring(c)
    if c == nil then return 1 end
  end
  for _ in it do end
  for _ in it, 5 do end
  for _ in it do end
  assert(table.concat(calls, " ") == "nil,nil nil,1 5,nil 5,1 nil,nil nil,1")
  local got
  for k, v in 1 and next, {z = 2} do got = k .. v end
  assert(got == "z2")
end
test()

-- patch 9: a caught error closes only the upvalues of the frames it
-- unwound (upstream #448)
function test()
  local n = 0
  local function inc() n = n + 1 end
  local function rec() return 1 + rec() end
  assert(not pcall(rec))
  inc()
  assert(n == 1)
  assert(not pcall(error, "x"))
  inc()
  assert(n == 2)
  assert(not xpcall(function() error("y") end, function(m) inc(); return m end))
  inc()
  assert(n == 4)
end
test()

-- patch 9: closures that escape an erroring call keep their values
function test()
  local function clobber(...) local p, q, r, s, t = 1, 2, 3, 4, 5; return p end
  local g
  pcall(function() local a = 41; g = function() a = a + 1; return a end; error("x") end)
  clobber(9, 9, 9)
  assert(g() == 42 and g() == 43)
  xpcall(function() local b = 7; g = function() return b end; error("y") end, tostring)
  clobber(8, 8, 8)
  assert(g() == 7)
  local co = coroutine.create(function()
    local c = 5; g = function() c = c + 1; return c end; error("z")
  end)
  assert(not coroutine.resume(co))
  assert(g() == 6 and g() == 7)
end
test()

-- patch 10: a table constructor with more than 511 * 50 positional items
-- (SETLIST keeps its block number in the next word)
function test()
  local n = 26000
  local src = "local a, b = 1, 2 local t = {" .. string.rep("7,", n) .. "} local c, d = a, b return t, c, d"
  local t, c, d = loadstring(src)()
  assert(#t == n and t[1] == 7 and t[n] == 7 and c == 1 and d == 2)
end
test()

-- patch 14: a multiple assignment computes every value before it assigns
-- any variable (upstream #440)
function test()
  local a, b = 1, 2
  a, b = b, a
  assert(a == 2 and b == 1)
  local x, y = 0, 0
  x, y = x + 1, x + y
  assert(x == 1 and y == 0)
  local i, t = 1, {}
  t[i], i = 20, 30
  assert(t[1] == 20 and t[30] == nil and i == 30)
  local u = {}
  local old = u
  u[1], u = 5, {}
  assert(old[1] == 5 and u[1] == nil)
  local k, v, m = "a", "b", {}
  m.x, k = k, v
  assert(m.x == "a" and k == "b")
  local g, seen = 1, nil
  g = 2, (function() seen = g end)()
  assert(g == 2 and seen == 1)
end
test()

-- patch 15: a call assigned to the last parameter does not overwrite it
-- before its arguments are read
function test()
  local function dbl(x) return x * 2 end
  local function f(v) v = (dbl(v)) return v end
  assert(f(5) == 10)
  local function va(...) return ... end
  local function g(v) v = (select(1, va(5))) return v end
  assert(g(1) == 5)
end
test()

-- patch 16: a break closes the captured locals of every block it leaves
function test()
  local fs = {}
  repeat
    do
      local v = 1
      fs[#fs + 1] = function() return v end
      break
    end
  until true
  for _, f in ipairs(fs) do
    local clobber = f -- reuses the register v had
    assert(f() == 1)
  end
  fs = {}
  for i = 1, 3 do
    do
      local w = i * 10
      fs[i] = function() return w end
      if i == 2 then break end
    end
  end
  local a, b, c = 0, 0, 0
  assert(fs[1]() == 10 and fs[2]() == 20)
end
test()

-- patch 18: and/or assigned to a local compute in a temporary, so that an
-- operand's value does not replace the local a later operand reads
function test()
  local n, s = 2, "ab"
  s = (((not (100 == n)) or undefined_global) and s or "10")
  assert(s == "ab")
end
test()
