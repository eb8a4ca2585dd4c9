local function checkport(p)
  if type(p) ~= "number" then
    error("port must be a number", 2)
  end
  return p
end
local function connect(host, port)
  return checkport(port)
end
local function main()
  connect("198.18.0.1", "eighty")
end
main()
