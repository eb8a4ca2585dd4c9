local function list(t)
  for i, v in ipairs(t.items) do print(i, v) end
end
list({})
