-- SACK scoreboard: SACK blocks arriving out of order move the kernel into
-- recovery, mark the holes lost and measure the reordering they show.
-- Ported from google/packetdrill gtests/net/tcp/sack/
-- sack-shift-sacked-2-6-8-3-9-nofack.pkt at
-- 2c4001c4d6fc04a3bbd01d4b92be62717a37648a.
-- Changed: the interface has no TSO, so the write the original sees as
-- one TSO packet (P. 1:10001(10000)) is seen here as its 1000-byte
-- segments, PSH where GSO cut it (resends included); tcpi_ca_state is a
-- number in tcp_info (TCP_CA_Recovery is 3, TCP_CA_Open 0).
local tcpopen = require "tcpopen"
local tcpdata = require "tcpdata"

local RECOVERY, OPEN = 3, 0

-- sack is the option list of an ACK with the SACK blocks given.
local function sack(...)
  return { {"SAck", { ... }}, {"NOP"}, {"NOP"} }
end

for _, family in ipairs { "ipv4", "ipv6" } do
  test("sack-shift-sacked-2-6-8-3-9-nofack " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local _, c = tcpopen.passive(tt, { win = 1024, ack_at = 0.1 })

    c:send(string.rep("x", 10000))
    tcpdata.segments(tt, 1, 10001, true)

    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, options = sack({2001, 3001}), at = 0.1 }
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, options = sack({2001, 3001}, {6001, 7001}), at = 0.001 }
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, options = sack({2001, 3001}, {6001, 7001}, {8001, 9001}), at = 0.001 }
    tt:expect{ flags = { "A", "PA" }, seq = 1, ack = 1, len = 1000 }
    local info = tt:tcp_info(c)
    t:eq(info.ca_state, RECOVERY, "ca_state")
    t:eq(info.lost, 6, "lost") -- mutate: info.lost, 6, => info.lost, 7,

    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, options = sack({2001, 4001}, {6001, 7001}, {8001, 9001}), at = 0.007 }
    tt:expect{ flags = { "A", "PA" }, seq = 1001, ack = 1, len = 1000 }
    info = tt:tcp_info(c)
    t:eq(info.lost, 5, "lost")
    t:eq(info.reordering, 6, "reordering") -- 8001:9001 -> 3001:4001 is 6

    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, options = sack({2001, 4001}, {6001, 7001}, {8001, 10001}), at = 0.01 }
    t:eq(tt:tcp_info(c).lost, 5, "lost")
    tt:inject{ flags = "A", seq = 1, ack = 1001, win = 257, options = sack({2001, 4001}, {6001, 7001}, {8001, 10001}), at = 0.083 }
    t:eq(tt:tcp_info(c).lost, 4, "lost")
    tt:inject{ flags = "A", seq = 1, ack = 4001, win = 257, options = sack({6001, 7001}, {8001, 10001}), at = 0.017 }
    t:eq(tt:tcp_info(c).lost, 3, "lost")
    tt:inject{ flags = "A", seq = 1, ack = 7001, win = 257, options = sack({8001, 10001}), at = 0.01 }
    tt:inject{ flags = "A", seq = 1, ack = 10001, win = 257, at = 0.1 }
    info = tt:tcp_info(c)
    t:eq(info.ca_state, OPEN, "ca_state")
    t:eq(info.unacked, 0, "unacked")
    t:eq(info.sacked, 0, "sacked")
    t:eq(info.lost, 0, "lost")
    t:eq(info.retrans, 0, "retrans")
  end)
end
