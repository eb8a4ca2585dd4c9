-- The top level fails: the file fails, once.
error("setup failed")

test("never runs", function(t) end)
