-- A solution to exercise 17 (scripts/lab/rto.lua).
local M = {}

function M.gaps(tt, sent, n)
  local gaps, last = {}, sent.time
  for i = 1, n do
    local seg = tt:expect{ flags = "PA", seq = 1, len = 100, timeout = 5, tolerance = 5 }
    gaps[i], last = seg.time - last, seg.time
  end
  return gaps
end

function M.predict(rto, n)
  local gaps = {}
  for i = 1, n do
    gaps[i] = rto * 2 ^ (i - 1)
  end
  return gaps
end

return M
