-- tcpreport: how tcptest compares a segment of the kernel's with the
-- script's expectation, and the side-by-side text a failed tt:expect
-- shows. Segments are tables of relative fields, as tt:expect takes and
-- returns them.
local report = {}

local type, tostring, ipairs, pairs, next = type, tostring, ipairs, pairs, next

--- Matches anything where tt:expect compares: options, or one part of an option's value.
local ANY = setmetatable({}, { __tostring = function() return "ANY" end })
report.ANY = ANY

-- matches says whether an actual value fits the script's: ANY fits all,
-- tables are compared element by element.
local function matches(want, got)
  if want == nil or want == ANY then return true end
  if type(want) ~= "table" then return want == got end
  if type(got) ~= "table" or #want ~= #got then return false end
  for i = 1, #want do
    if not matches(want[i], got[i]) then return false end
  end
  return true
end

-- options_match compares option lists in order, by name and value.
local function options_match(want, got)
  if want == nil or want == ANY then return true end
  if #want ~= #got then return false end
  for i, w in ipairs(want) do
    local wv, gv = w[2], got[i][2]
    if w[1] == "Timestamp" and type(wv) == "table" then
      -- The kernel's own TS val is not checked (packetdrill's default):
      -- its first value only sets the base of later echoes.
      wv = { ANY, wv[2] }
    end
    if w[1] ~= got[i][1] or not matches(wv, gv) then return false end
  end
  return true
end

local function val(v) return v == ANY and "*" or tostring(v) end

-- Options as packetdrill writes them: mss 1460,sackOK,nop,wscale 7.
local option_text = {
  MSS = function(v) return "mss " .. val(v) end,
  SAckOK = function() return "sackOK" end,
  NOP = function() return "nop" end,
  EOL = function() return "eol" end,
  WScale = function(v) return "wscale " .. val(v) end,
  Timestamp = function(v)
    if v == ANY or v == nil then return "TS *" end
    return "TS val " .. val(v[1]) .. " ecr " .. val(v[2])
  end,
  SAck = function(v)
    if v == ANY or v == nil then return "sack *" end
    local parts = {}
    for i, b in ipairs(v) do parts[i] = val(b[1]) .. ":" .. val(b[2]) end
    return "sack " .. table.concat(parts, " ")
  end,
}

--- Options as packetdrill writes them: <mss 1460,nop,wscale 7>.
function report.options(opts)
  if opts == nil then return nil end
  if opts == ANY then return "ANY" end
  local parts = {}
  for i, o in ipairs(opts) do
    local fn = option_text[o[1]]
    parts[i] = fn and fn(o[2]) or (o[1] .. (o[2] ~= nil and " " .. val(o[2]) or ""))
  end
  return "<" .. table.concat(parts, ",") .. ">"
end

-- flags_fit says whether the kernel's flags got are one of want's
-- alternatives ("A|PA"), or want is ANY.
local function flags_fit(want, got)
  if want == ANY then return true end
  for alt in want:gmatch("[^|]+") do
    if alt == got then return true end
  end
  return false
end

local compared = { "seq", "ack", "win", "len", "urg" }

--- The fields of got that do not fit the script's s, as a set, or nil.
function report.differences(s, got, want_flags)
  local d = {}
  if not flags_fit(want_flags, got.flags) then d.flags = true end
  for _, k in ipairs(compared) do
    if not matches(s[k], got[k]) then d[k] = true end
  end
  if s.payload ~= nil and s.payload ~= got.payload then d.payload = true end
  if not options_match(s.options, got.options) then d.options = true end
  for k, v in pairs(s.ip or {}) do
    if not matches(v, got.ip[k]) then d["ip." .. k] = true end
  end
  return next(d) and d or nil
end

-- rows are the report's lines: field, expected, actual.
local function rows(s, got, want_flags)
  local r = { { "flags", val(want_flags), got and got.flags } }
  for _, k in ipairs(compared) do
    if s[k] ~= nil or (got and (k ~= "urg" or got.urg ~= 0)) then
      r[#r + 1] = { k, s[k] ~= nil and val(s[k]) or "-", got and tostring(got[k]) }
    end
  end
  if s.payload ~= nil then
    r[#r + 1] = { "payload", ("%q"):format(s.payload:sub(1, 16)), got and ("%q"):format(got.payload:sub(1, 16)) }
  end
  r[#r + 1] = { "options", report.options(s.options) or "-", got and report.options(got.options) }
  local keys = {}
  for k in pairs(s.ip or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do r[#r + 1] = { "ip." .. k, val(s.ip[k]), got and tostring(got.ip[k]) } end
  return r
end

-- time_row is the report's time line.
local function time_row(tm)
  if tm == nil then return nil end
  local want = ("+%.3f"):format(tm.at)
  if tm.actual == nil then return { "time", want, ("(none within the wait, tolerance %.4f)"):format(tm.allowed) } end
  local verdict = tm.ok and "ok" or ("off by %+.4f"):format(tm.offset)
  return { "time", want, ("%+.4f (%s, tolerance %.4f)"):format(tm.actual, verdict, tm.allowed) }
end

--- The detail of a failed expect: field, expected, actual, differing fields marked.
function report.side_by_side(s, got, want_flags, tm)
  local r = rows(s, got, want_flags)
  r[#r + 1] = time_row(tm)
  local diff = got and report.differences(s, got, want_flags) or {}
  if tm and tm.actual and not tm.ok then diff.time = true end
  local w1, w2 = #"field", #"expected"
  for _, row in ipairs(r) do
    w1, w2 = math.max(w1, #row[1]), math.max(w2, #row[2])
  end
  local fmt = "%s %-" .. w1 .. "s  %-" .. w2 .. "s  %s"
  local lines = { (fmt:format(" ", "field", "expected", "actual"):gsub("%s+$", "")) }
  for _, row in ipairs(r) do
    local line = fmt:format(diff[row[1]] and "*" or " ", row[1], row[2], row[3] or "-")
    lines[#lines + 1] = (line:gsub("%s+$", ""))
  end
  return table.concat(lines, "\n")
end

return report
