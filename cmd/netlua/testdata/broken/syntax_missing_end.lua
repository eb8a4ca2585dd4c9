local x = tonumber(arg and arg[1]) or 1
if x > 0 then
  print("positive")

print("done")
