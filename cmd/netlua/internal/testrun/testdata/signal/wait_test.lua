-- Waits for SIGINT: writes NETLUA_FIXTURE_OUT when it is ready for it.
test("waits for a signal", function(t)
  require("loop").defer(function() print("deferred ran") end)
  local f = assert(io.open(assert(os.getenv("NETLUA_FIXTURE_OUT")), "w"))
  f:write("ready")
  f:close()
  sleep(30)
end)

test("never starts", function(t)
  print("started after the signal")
end)
