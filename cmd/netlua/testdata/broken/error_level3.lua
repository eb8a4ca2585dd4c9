local function validate(v)
  error("invalid value", 3)
end
local function set(t, k, v)
  validate(v)
  t[k] = v
end
local cfg = {}
set(cfg, "mtu", -1)
