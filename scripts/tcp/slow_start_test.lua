-- Slow start: every ACK of new data grows cwnd by the segments it
-- acknowledges, so the kernel sends two segments for each one acked.
-- Ported from google/packetdrill gtests/net/tcp/slow_start/ at
-- 2c4001c4d6fc04a3bbd01d4b92be62717a37648a.
-- Common changes: the interface has no TSO, so a burst the original sees
-- as one TSO packet (P. 10001:12001(2000)) is seen here as its 1000-byte
-- segments; tcp_tso_win_divisor=100 is set as in the original, though
-- without TSO it changes nothing. cwnd is read with tt:tcp_info. The
-- timing tolerance is 15 ms, not 4: when two ACKs come at once, the burst
-- the second one frees can trail by 7 ms on a veth, whose skbs are freed
-- later than on packetdrill's tun (TCP small queues wait for them).
local tcptest = require "tcptest"
local tcpopen = require "tcpopen"
local tcpdata = require "tcpdata"

-- start sets up the connection with 30000 bytes written, the initial
-- window of 10 segments sent, and checks the initial cwnd.
local function start(t, family)
  local tt = tcptest.new(t, { family = family, tolerance = 0.015, sysctl = { ["net.ipv4.tcp_tso_win_divisor"] = 100 } })
  local _, c = tcpopen.passive(tt, { ack_at = 0.1 })
  c:setsockopt("SO_SNDBUF", 200000)
  c:send(string.rep("x", 30000))
  tcpdata.segments(tt, 1, 10001)
  t:eq(tt:tcp_info(c).snd_cwnd, 10, "initial cwnd")
  return tt, c
end

for _, family in ipairs { "ipv4", "ipv6" } do
  -- slow_start/slow-start-ack-per-1pkt.pkt: an ACK per segment.
  test("slow-start-ack-per-1pkt " .. family, function(t)
    local tt, c = start(t, family)
    for i = 1, 10 do
      tt:inject{ flags = "A", seq = 1, ack = i * 1000 + 1, win = 257,
        at = i == 1 and 0.105 or (i % 2 == 1 and 0.005 or 0) }
      tcpdata.segments(tt, 8001 + i * 2000, 10001 + i * 2000)
    end
    t:eq(tt:tcp_info(c).snd_cwnd, 20, "cwnd after 10 acked") -- mutate: 20, "cwnd => 19, "cwnd
  end)

  -- slow_start/slow-start-ack-per-2pkt.pkt: an ACK per two segments
  -- (delayed ACKs); each sends four.
  test("slow-start-ack-per-2pkt " .. family, function(t)
    local tt, c = start(t, family)
    for i = 1, 5 do
      tt:inject{ flags = "A", seq = 1, ack = i * 2000 + 1, win = 257, at = i == 1 and 0.105 or 0.005 }
      tcpdata.segments(tt, 6001 + i * 4000, 10001 + i * 4000)
    end
    t:eq(tt:tcp_info(c).snd_cwnd, 20, "cwnd after 10 acked") -- mutate: 20, "cwnd => 16, "cwnd
  end)

  -- slow_start/slow-start-ack-per-4pkt.pkt: stretch ACKs of four segments;
  -- each sends eight, the last (write's end) four.
  test("slow-start-ack-per-4pkt " .. family, function(t)
    local tt, c = start(t, family)
    tt:inject{ flags = "A", seq = 1, ack = 4001, win = 257, at = 0.11 }
    tcpdata.segments(tt, 10001, 18001)
    tt:inject{ flags = "A", seq = 1, ack = 8001, win = 257, at = 0.01 }
    tcpdata.segments(tt, 18001, 26001) -- mutate: tcpdata.segments(tt, 18001, 26001) => tcpdata.segments(tt, 18001, 27001)
    tt:inject{ flags = "A", seq = 1, ack = 10001, win = 257, at = 0.005 }
    tcpdata.segments(tt, 26001, 30001)
    t:eq(tt:tcp_info(c).snd_cwnd, 20, "cwnd after 10 acked")
  end)
end
