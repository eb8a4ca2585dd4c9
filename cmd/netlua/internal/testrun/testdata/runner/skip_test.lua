test("skips", function(t)
  t:skip("needs a kernel with frobnication")
end)

test("fails before skipping", function(t)
  t:ok(false)
  t:skip("too late")
end)
