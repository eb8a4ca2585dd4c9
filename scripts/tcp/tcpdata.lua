-- tcpdata: the kernel's data segments as the ported tests expect them. Not
-- a test file: the *_test.lua files beside it require it.
--
-- The kernel's interface has no TSO, so a write packetdrill's scripts see
-- as one packet (P. 1:4001(4000)) comes as its MSS-sized segments, and its
-- PSH falls on the last segment of each skb GSO cut the write into: where
-- the kernel's buffer sizes put it, not where the script can say.
local M = {}

-- segments expects the kernel's segments carrying relative bytes
-- [from, to) in pieces of mss (default 1000), all at once, each acking 1.
-- With write_end, to is the end of a write: its last segment carries PSH.
function M.segments(tt, from, to, write_end, mss)
  mss = mss or 1000
  for seq = from, to - 1, mss do
    local len = math.min(mss, to - seq)
    local last = write_end and seq + len == to
    tt:expect{ flags = last and "PA" or { "A", "PA" }, seq = seq, ack = 1, len = len }
  end
end

return M
