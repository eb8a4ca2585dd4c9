-- Each test runs in its own state after the top level: nothing leaks.
loaded = (loaded or 0) + 1

test("sets a global", function(t)
  leaked = true
  t:eq(loaded, 1)
end)

test("does not see it", function(t)
  t:eq(leaked, nil)
  t:eq(loaded, 1)
end)
