-- Retransmission timeouts: the SYN's initial RTO of 1 s, a data segment's
-- RTO after a measured RTT, and the exponential backoff.
local tcptest = require "tcptest"
local tcpopen = require "tcpopen"

for _, family in ipairs { "ipv4", "ipv6" } do
  -- google/packetdrill gtests/net/tcp/fastopen/client/cookie-req-timeout.pkt
  -- at 2c4001c4d6fc04a3bbd01d4b92be62717a37648a, its first connection
  -- without Fast Open (a plain connect): the unanswered SYN is resent after
  -- the initial RTO of 1 s (RFC 6298), and the SYN-ACK then completes the
  -- handshake. The SYN-ACK has no options. Added: tcp_info after the
  -- resend. Kernel difference: 6.18 does not back off a SYN's first
  -- timeouts (net.ipv4.tcp_syn_linear_timeouts, 4 by default), so tcp_info
  -- shows one retransmit, backoff 0 and the RTO still 1 s, where an older
  -- kernel doubles it to 2 s.
  test("syn-retransmit " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local c = tt:connect()
    tt:expect{ flags = "S", seq = 0, options = tcptest.ANY }
    tt:expect{ flags = "S", seq = 0, options = tcptest.ANY, at = 1 } -- mutate: at = 1 } => at = 0.5 }
    local info = tt:tcp_info(c)
    t:eq(info.state, "SYN_SENT", "state")
    t:eq(info.retransmits, 1, "retransmits")
    t:eq(info.backoff, 0, "backoff (linear SYN timeouts)")
    t:eq(info.rto, 1000000, "rto (µs) after the first timeout")
    tt:inject{ flags = "SA", seq = 0, ack = 1, win = 5840, at = 0.01 }
    tt:expect{ flags = "A", seq = 1, ack = 1 }
    t:eq(tt:tcp_info(c).state, "ESTABLISHED", "state after the SYN-ACK")
    tt:wait(0.01)
    c:close()
    tt:expect{ flags = "FA", seq = 1, ack = 1 }
    tt:inject{ flags = "FA", seq = 1, ack = 2, win = 92, at = 0.01 }
    tt:expect{ flags = "A", seq = 2, ack = 2 }
  end)

  -- google/packetdrill gtests/net/tcp/cubic/cubic-rto-ss-ca-cwnd-bump.pkt
  -- at 2c4001c4d6fc04a3bbd01d4b92be62717a37648a, up to its first cwnd and
  -- ssthresh check: after an RTT of 0.1 s, a lost segment is probed (tail
  -- loss probe) at +0.3, resent by the RTO at +0.3, and when it is acked
  -- cubic has cwnd 2 and ssthresh 7. The rest of the original (congestion
  -- avoidance after the RTO) is left out.
  test("cubic-rto-ss-ca-cwnd-bump " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local _, c = tcpopen.passive(tt, { ack_at = 0.1 })
    c:setsockopt("SO_SNDBUF", 200000)

    c:send(string.rep("x", 1000))
    tt:expect{ flags = "PA", seq = 1, ack = 1, len = 1000 }
    tt:inject{ flags = "A", seq = 1, ack = 1001, win = 257, at = 0.1 }
    t:eq(tt:tcp_info(c).snd_cwnd, 10, "cwnd")

    c:send(string.rep("x", 1000))
    tt:expect{ flags = "PA", seq = 1001, ack = 1, len = 1000 }
    tt:expect{ flags = "PA", seq = 1001, ack = 1, len = 1000, at = 0.3 }
    tt:expect{ flags = "PA", seq = 1001, ack = 1, len = 1000, at = 0.3 }
    tt:inject{ flags = "A", seq = 1, ack = 2001, win = 257, at = 0.1 }
    local info = tt:tcp_info(c)
    t:eq(info.snd_cwnd, 2, "cwnd after the RTO") -- mutate: info.snd_cwnd, 2, => info.snd_cwnd, 10,
    t:eq(info.snd_ssthresh, 7, "ssthresh after the RTO")
  end)

  -- Not in packetdrill's current set (its older rto/ tests are gone): the
  -- RTO's exponential backoff, each retransmission of an unacked segment
  -- twice as late as the one before, checked against tcp_info's rto and
  -- backoff. The tail loss probe is turned off (tcp_early_retrans=0) and
  -- tcp_rto_min_us lowered to 0.1 s so three backoffs take 0.8 s.
  test("rto-backoff " .. family, function(t)
    local tt = tcpopen.new(t, family, { ["net.ipv4.tcp_early_retrans"] = 0, ["net.ipv4.tcp_rto_min_us"] = 100000 })
    local _, c = tcpopen.passive(tt, { options = { {"MSS", 1000} }, win = 32792, ack_at = 0.01 })
    local rto = tt:tcp_info(c).rto / 1e6
    t:ok(rto >= 0.1 and rto < 0.2, ("rto %.3f s after a 10 ms RTT"):format(rto))

    c:send(string.rep("x", 100))
    tt:expect{ flags = "PA", seq = 1, ack = 1, len = 100 }
    for n = 1, 3 do
      tt:expect{ flags = "PA", seq = 1, ack = 1, len = 100, at = rto * 2 ^ (n - 1) } -- mutate: rto * 2 ^ (n - 1) => rto * n
      local info = tt:tcp_info(c)
      t:eq(info.backoff, n, "backoff")
      t:eq(info.retransmits, n, "retransmits")
    end
    -- Karn's algorithm: the ACK of a retransmitted segment is no RTT
    -- sample, so the backed-off RTO stays; only the retransmit count resets.
    tt:inject{ flags = "A", seq = 1, ack = 101, win = 32792 }
    tt:expect_none(0.01)
    local info = tt:tcp_info(c)
    t:eq(info.retransmits, 0, "retransmits once acked")
    t:eq(info.backoff, 3, "backoff once acked (Karn)")
  end)
end
