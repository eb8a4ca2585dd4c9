local state
local function bump()
  state.n = state.n + 1
end
bump()
