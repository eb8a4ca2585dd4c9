local function checkport(p)
  if type(p) ~= "number" then
    error("port must be a number", 2)
  end
  return p
end
local function connect(host, port)
  local p = checkport(port)
  return host .. ":" .. p
end
connect("198.18.0.1", "eighty")
