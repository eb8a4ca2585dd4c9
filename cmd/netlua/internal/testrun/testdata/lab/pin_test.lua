-- What a test makes is undone when it ends: a pinned lab namespace made
-- by the first test is gone when the second runs. NETLUA_FIXTURE_OUT
-- names a file through which the first tells the second its name.
local lab = require "lab"
local out = os.getenv("NETLUA_FIXTURE_OUT")

test("pins a lab namespace", function(t)
  if not out then t:skip("NETLUA_FIXTURE_OUT is not set") end
  local a = lab.pair{ pin = true }
  t:ok(io.open("/run/netns/" .. a.netns) ~= nil, "pinned under /run/netns")
  local w = assert(io.open(out, "w"))
  w:write(a.netns)
  w:close()
end)

test("the namespace is gone in the next test", function(t)
  if not out then t:skip("NETLUA_FIXTURE_OUT is not set") end
  local name = assert(io.open(out)):read("*a")
  t:ne(name, "")
  t:eq(io.open("/run/netns/" .. name), nil, "/run/netns/" .. name .. " is still there")
end)
