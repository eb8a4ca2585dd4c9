-- pp: pretty printing of Lua values, for the prompt, examples and tests.
local pp = {}

local escapes = { ["\\"] = "\\\\", ['"'] = '\\"', ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function quote(s)
  return '"' .. s:gsub('[%c\\"\128-\255]', function(c)
    return escapes[c] or string.format("\\%03d", c:byte())
  end) .. '"'
end

local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local function render(v, indent, depth, seen, out, pad)
  local t = type(v)
  if t == "string" then out[#out + 1] = quote(v); return end
  if t ~= "table" then out[#out + 1] = tostring(v); return end
  if seen[v] then out[#out + 1] = "<cycle>"; return end
  if depth == 0 then out[#out + 1] = "{...}"; return end
  local keys, n = {}, 0
  while v[n + 1] ~= nil do n = n + 1 end
  for k in pairs(v) do
    if not (type(k) == "number" and k >= 1 and k <= n and k % 1 == 0) then keys[#keys + 1] = k end
  end
  if n == 0 and #keys == 0 then out[#out + 1] = "{}"; return end
  table.sort(keys, key_less)
  seen[v] = true
  local inner = pad .. string.rep(" ", indent)
  out[#out + 1] = "{\n"
  for i = 1, n do
    out[#out + 1] = inner
    render(v[i], indent, depth - 1, seen, out, inner)
    out[#out + 1] = ",\n"
  end
  for _, k in ipairs(keys) do
    if type(k) == "string" and k:match("^[%a_][%w_]*$") then
      out[#out + 1] = inner .. k .. " = "
    else
      out[#out + 1] = inner .. "["
      render(k, indent, depth - 1, seen, out, inner)
      out[#out + 1] = "] = "
    end
    render(v[k], indent, depth - 1, seen, out, inner)
    out[#out + 1] = ",\n"
  end
  seen[v] = nil
  out[#out + 1] = pad .. "}"
end

-- option returns opts[name] or its default, checked to be a whole number
-- from 0 to max (or math.huge, when max is): a huge indent would exhaust
-- memory, a negative depth would recurse until the stack overflows.
local function option(opts, name, default, max)
  local v = opts[name]
  if v == nil then return default end
  if type(v) ~= "number" or not (v >= 0 and v <= max) or (v ~= math.huge and v % 1 ~= 0) then
    local range = max == math.huge and "a whole number >= 0" or ("a whole number from 0 to %d"):format(max)
    error(("bad argument #2 to 'format' (%s must be %s, got %s)"):format(name, range, tostring(v)), 3)
  end
  return v
end

--- Renders value as Lua-like text.
function pp.format(value, opts)
  if opts ~= nil and type(opts) ~= "table" then
    error(("bad argument #2 to 'format' (table expected, got %s)"):format(type(opts)), 2)
  end
  opts = opts or {}
  local indent, depth = option(opts, "indent", 2, 64), option(opts, "depth", 8, math.huge)
  local out = {}
  render(value, indent, depth, {}, out, "")
  return table.concat(out)
end

--- Prints each value rendered by format.
function pp.print(...)
  for i = 1, select("#", ...) do
    print(pp.format((select(i, ...))))
  end
end

return pp
