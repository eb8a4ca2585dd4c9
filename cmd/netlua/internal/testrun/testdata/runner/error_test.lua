-- An error thrown in a test fails it; the run goes on.

local function explode()
  error("boom")
end

test("throws", function(t)
  explode()
end)

test("runs after the error", function(t)
  t:ok(true)
end)

test("cleanup fails", function(t)
  require("loop").defer(function() error("undo failed") end)
  t:ok(true)
end)
