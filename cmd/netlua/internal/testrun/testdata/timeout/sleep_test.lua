test("sleeps forever", function(t)
  sleep(1e6)
end)

test("spins forever", function(t)
  while true do end
end)

test("is quick", function(t)
  t:ok(true)
end)
