local template = "host=$host port=$port"
local vars = { host = "r1" }
print((template:gsub("%$(%w+)", function(k)
  return vars[k]:upper()
end)))
