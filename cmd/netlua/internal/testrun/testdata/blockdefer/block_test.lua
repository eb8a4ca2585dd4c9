-- Blocks in its test, then in a deferred function: writes "ready", then
-- "blocked", to NETLUA_FIXTURE_OUT, so that the signals come when it is
-- there.
test("blocks in its cleanup", function(t)
  local loop = require("loop")
  local function mark(s)
    local f = assert(io.open(assert(os.getenv("NETLUA_FIXTURE_OUT")), "w"))
    f:write(s)
    f:close()
  end
  loop.defer(function() print("deferred ran") end)
  loop.defer(function() mark("blocked") sleep(1e8) end)
  mark("ready")
  sleep(1e8)
end)
