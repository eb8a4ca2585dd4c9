local util = {}
function util.checksum(b) return #b end
local c = util.chksum("abc")
