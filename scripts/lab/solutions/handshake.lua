-- A solution to exercise 16 (scripts/lab/handshake.lua).
local tcptest = require "tcptest"

local M = {}

function M.accept(tt)
  tt:inject{ flags = "S", seq = 0, win = 65535, options = { {"MSS", 1000} } }
  local synack = tt:expect{ flags = "SA", seq = 0, ack = 1, options = tcptest.ANY }
  tt:inject{ flags = "A", seq = 1, ack = 1, win = 65535 }
  return synack
end

function M.connect(tt)
  local syn = tt:expect{ flags = "S", seq = 0, options = tcptest.ANY }
  tt:inject{ flags = "SA", seq = 0, ack = 1, win = 65535, options = { {"MSS", 1000} } }
  tt:expect{ flags = "A", seq = 1, ack = 1 }
  return syn
end

return M
