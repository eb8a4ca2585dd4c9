-- TCP_USER_TIMEOUT on a closing socket: the kernel keeps retransmitting
-- its FIN on the RTO's schedule, and data arriving after close() is
-- answered with a reset.
-- Ported from google/packetdrill gtests/net/tcp/user_timeout/
-- user_timeout.pkt at 2c4001c4d6fc04a3bbd01d4b92be62717a37648a.
-- Changed: the idle time before setsockopt/close is 0.2 s, not 2 s (the
-- retransmission clock starts at the FIN, so the idle time does not
-- matter); the original's time ranges (+.3~+.400) become at = 0.3 with a
-- tolerance of 0.1 s.
local tcpopen = require "tcpopen"

for _, family in ipairs { "ipv4", "ipv6" } do
  test("user_timeout " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local _, c = tcpopen.passive(tt, { options = { {"MSS", 1000}, {"SAckOK", ""}, {"NOP"}, {"NOP"} }, win = 32792, ack_at = 0.1 })

    tt:wait(0.2)
    c:setsockopt("TCP_USER_TIMEOUT", 3000)
    t:eq(c:getsockopt("TCP_USER_TIMEOUT"), 3000, "TCP_USER_TIMEOUT")
    c:close()
    tt:expect{ flags = "FA", seq = 1, ack = 1 }
    tt:expect{ flags = "FA", seq = 1, ack = 1, at = 0.3, tolerance = 0.1 }
    tt:expect{ flags = "FA", seq = 1, ack = 1, at = 0.3, tolerance = 0.1 }
    tt:expect{ flags = "FA", seq = 1, ack = 1, at = 0.6, tolerance = 0.2 } -- mutate: at = 0.6 => at = 0.3
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 32792, len = 1 }
    tt:expect{ flags = "R", seq = 1 }
  end)
end
