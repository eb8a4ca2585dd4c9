local a, b = { 1 }, { 2 }
if a < b then print("less") end
