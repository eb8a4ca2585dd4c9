-- Zero window: when the peer's window is closed, the kernel holds its data
-- and probes the window on the persist timer, backing off as the RTO
-- does, and sends the data as soon as a window update opens it.
local tcpopen = require "tcpopen"

for _, family in ipairs { "ipv4", "ipv6" } do
  -- Starts as google/packetdrill gtests/net/tcp/tcp_info/
  -- tcp-info-rwnd-limited.pkt at 2c4001c4d6fc04a3bbd01d4b92be62717a37648a
  -- (a SYN-ACK with window 0, then a write); packetdrill's current set has
  -- no persist-timer test (its older zero window tests are gone), so the
  -- probes are Linux's own (tcp_send_probe0): a bare ACK with seq one below
  -- snd_una, the first an RTO after the write (tcp_probe0_base: the RTO,
  -- at least 200 ms), the next twice as late; tcp_info counts them in
  -- probes and backoff. Then window 2000 lets the data go at once.
  test("zero-window-probe " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local c = tcpopen.active(tt, { win = 0, options = { {"MSS", 1000}, {"NOP"}, {"NOP"}, {"SAckOK", ""} }, synack_at = 0.01 })
    local base = math.max(tt:tcp_info(c).rto / 1e6, 0.2)

    c:send(string.rep("x", 1000))
    tt:expect{ flags = "A", seq = 0, ack = 1, len = 0, at = base } -- mutate: seq = 0, ack = 1, len = 0 => seq = 1, ack = 1, len = 1000
    t:eq(tt:tcp_info(c).probes, 1, "probes after the first")
    tt:expect{ flags = "A", seq = 0, ack = 1, len = 0, at = 2 * base }
    local info = tt:tcp_info(c)
    t:eq(info.probes, 2, "probes after the second")
    t:eq(info.backoff, 2, "backoff after the second")

    tt:inject{ flags = "A", seq = 1, ack = 1, win = 2000, at = 0.05 }
    tt:expect{ flags = "PA", seq = 1, ack = 1, len = 1000, at = 0 }
    tt:inject{ flags = "A", seq = 1, ack = 1001, win = 2000, at = 0.01 }
    t:eq(tt:tcp_info(c).probes, 0, "probes once the window opened")
  end)
end
