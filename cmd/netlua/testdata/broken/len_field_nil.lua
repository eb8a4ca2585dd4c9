local frame = { data = "abc" }
local n = #frame.payload
