local function parse(s)
  local n = tonumber(s)
  if not n then error("not a number: " .. s) end
  return n
end
parse("12")
parse("x")
