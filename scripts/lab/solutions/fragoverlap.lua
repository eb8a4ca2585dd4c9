-- A solution to exercise 9 (scripts/lab/fragoverlap.lua).
local frame = require "frame"

local M = {}

-- fragment is the offset, end, data and MF flag of an IPv4 fragment.
local function fragment(bytes)
  local ip = frame.parse(bytes).ipv4
  local data = bytes:sub(14 + ip.ihl * 4 + 1, 14 + ip.len)
  local off = ip.frag * 8
  return { off = off, stop = off + #data, data = data, more = ip.flags:find("MF") ~= nil }
end

-- A queue is what the kernel holds of one datagram: its runs (fragments
-- that arrived in order, one after the other, in offset order), the
-- bytes it has (meat), and its length once the last fragment came.
local function queue()
  return { runs = {}, meat = 0, len = 0, last = false }
end

-- place finds where fr goes among q's runs: "dup", "overlap", or the run
-- it extends at the tail, or nothing (a run of its own).
local function place(q, fr)
  local tail = q.runs[#q.runs]
  if tail and tail.stop < fr.stop then -- beyond the tail: the common case
    if fr.off < tail.stop then return "overlap" end
    if fr.off == tail.stop then return tail end
    return nil
  end
  for _, run in ipairs(q.runs) do
    if fr.off < run.stop and fr.stop > run.off then
      if fr.off >= run.off and fr.stop <= run.stop then return "dup" end
      return "overlap"
    end
  end
end

-- add puts fr in q and returns "kill" when the datagram is dropped.
local function add(q, fr)
  if not fr.more then
    if fr.stop < q.len or (q.last and fr.stop ~= q.len) then return "kill" end
    q.last, q.len = true, fr.stop
  elseif fr.stop > q.len then
    if q.last then return "kill" end
    q.len = fr.stop
  end
  local where = place(q, fr)
  if where == "overlap" then return "kill" end
  if where == "dup" then return end
  if where then
    where.stop, where.parts[#where.parts + 1] = fr.stop, fr
  else
    q.runs[#q.runs + 1] = { off = fr.off, stop = fr.stop, parts = { fr } }
    table.sort(q.runs, function(x, y) return x.off < y.off end)
  end
  q.meat = q.meat + #fr.data
end

-- datagram joins a complete queue's fragments in offset order.
local function datagram(q)
  local parts = {}
  for _, run in ipairs(q.runs) do
    for _, fr in ipairs(run.parts) do parts[#parts + 1] = fr.data end
  end
  return table.concat(parts)
end

function M.reassemble(frames)
  local q = queue()
  for _, bytes in ipairs(frames) do
    if add(q, fragment(bytes)) == "kill" then
      q = queue()
    elseif q.last and q.meat == q.len and q.runs[1].off == 0 then
      return datagram(q):sub(9) -- past the UDP header
    end
  end
  return nil
end

return M
