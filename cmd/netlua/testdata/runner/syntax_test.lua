test("never runs", function(t)
  t:ok(true)
end)

local x = = 1
