-- exercise: loads an exercise's module for its test: yours
-- (scripts/lab/NAME.lua), or the given solution
-- (scripts/lab/solutions/NAME.lua) when NETLUA_LAB_SOLUTIONS=1.
--
--   local arp = require("exercise")("arp")
return function(name)
  if os.getenv("NETLUA_LAB_SOLUTIONS") == "1" then
    return require("solutions." .. name)
  end
  return require(name)
end
