local limits = { max = 10 }
local value = 3
if value > limits.min then print("above") end
