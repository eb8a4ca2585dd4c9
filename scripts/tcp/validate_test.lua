-- Validation of incoming segments: on an established connection a segment
-- with no flags at all (not even ACK) is dropped, its data never queued.
-- Ported from google/packetdrill gtests/net/tcp/validate/
-- validate-established-no-flags.pkt at 2c4001c4d6fc04a3bbd01d4b92be62717a37648a.
-- Changed: ioctl(SIOCINQ) becomes tcp_info's bytes_received (the kernel's
-- count of payload it took in) and a recv of what was queued; the kernel's
-- ACK of the valid segment is checked on the wire too.
local tcpopen = require "tcpopen"

for _, family in ipairs { "ipv4", "ipv6" } do
  test("validate-established-no-flags " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local _, c = tcpopen.passive(tt, { syn_win = 20000, options = { {"MSS", 1000}, {"SAckOK", ""}, {"NOP"}, {"NOP"} },
      win = 20000, ack_at = 0.01 })

    tt:inject{ flags = "", seq = 1, win = 20000, len = 1000, at = 0.01 }
    tt:expect_none(0.01)
    t:eq(tt:tcp_info(c).bytes_received, 0, "bytes_received after the flagless segment") -- mutate: received, 0, => received, 1000,

    tt:inject{ flags = "A", seq = 1, ack = 1, win = 20000, len = 1000, at = 0.01 }
    tt:expect{ flags = "A", seq = 1, ack = 1001 }
    t:eq(tt:tcp_info(c).bytes_received, 1000, "bytes_received after the valid segment")
    t:eq(#c:recv(2000, 1), 1000, "bytes read")
  end)
end
