-- Fast retransmit: three duplicate ACKs (or SACKs beyond a hole) make the
-- kernel resend the first unacknowledged segment before its RTO.
-- Ported from google/packetdrill gtests/net/tcp/fast_retransmit/ at
-- 2c4001c4d6fc04a3bbd01d4b92be62717a37648a.
-- Common changes: the remote announces MSS 1000 (not 1460), so one
-- segment is 1000 bytes in both families (the kernel's own MSS is 1460 on
-- IPv4 and 1440 on IPv6); the interface has no TSO, so a write the
-- original sees as one TSO burst (P. 1:4001(4000)) is seen here as the
-- segments the wire carries, the PSH on the last (and where GSO cut the
-- write; a resent segment keeps its PSH, so the resend of a segment
-- before the write's last may carry one too); the first SYN comes at once,
-- not after 0.1 s.
local tcpopen = require "tcpopen"
local tcpdata = require "tcpdata"

-- accepted completes a passive open with the remote's SYN options opts,
-- its ACK 0.1 s after the SYN-ACK, and returns the accepted socket.
local function accepted(tt, opts)
  local _, c = tcpopen.passive(tt, { options = opts, ack_at = 0.1 })
  return c
end

-- close_both closes c and lets the remote finish: FIN, FIN, last ACK.
local function close_both(tt, c, fin)
  c:close()
  tt:expect{ flags = "FA", seq = fin, ack = 1 }
  tt:inject{ flags = "FA", seq = 1, ack = fin + 1, win = 257, at = 0.1 }
  tt:expect{ flags = "A", seq = fin + 1, ack = 2 }
end

for _, family in ipairs { "ipv4", "ipv6" } do
  -- fast_retransmit/fr-4pkt.pkt: no SACK; three duplicate ACKs resend 1:1001.
  test("fr-4pkt " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local c = accepted(tt, { {"MSS", 1000}, {"NOP"}, {"WScale", 7} })
    c:send(string.rep("x", 4000))
    tcpdata.segments(tt, 1, 4001, true)
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, at = 0.1 }
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257 }
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257 }
    tt:expect{ flags = { "A", "PA" }, seq = 1, ack = 1, len = 1000, at = 0 } -- mutate: seq = 1, ack = 1, len = 1000 => seq = 1001, ack = 1, len = 1000
    tt:inject{ flags = "A", seq = 1, ack = 4001, win = 257, at = 0.1 }
    close_both(tt, c, 4001)
  end)

  -- fast_retransmit/fr-4pkt-sack.pkt: SACK blocks above the hole resend 1:1001.
  test("fr-4pkt-sack " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local c = accepted(tt, tcpopen.SYN_OPTIONS)
    c:send(string.rep("x", 4000))
    tcpdata.segments(tt, 1, 4001, true)
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, options = { {"SAck", {{1001, 2001}}}, {"NOP"}, {"NOP"} }, at = 0.1 }
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, options = { {"SAck", {{1001, 3001}}}, {"NOP"}, {"NOP"} } }
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, options = { {"SAck", {{1001, 4001}}}, {"NOP"}, {"NOP"} } }
    tt:expect{ flags = { "A", "PA" }, seq = 1, ack = 1, len = 1000, at = 0 } -- mutate: len = 1000, at = 0 => len = 1000, at = 0.2
    tt:inject{ flags = "A", seq = 1, ack = 4001, win = 257, at = 0.1 }
    close_both(tt, c, 4001)
  end)

  -- fast_retransmit/fr-4pkt-fack-last-byte.pkt: only the last byte is
  -- SACKed; the kernel resends the tail 3001:4001 0.1 s later (a tail loss
  -- probe), then the head at +0.3 (the RTO). Shortened: the ACK of 1001
  -- comes 0.1 s after the head's resend, not 0.5 s.
  test("fr-4pkt-fack-last-byte " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local c = accepted(tt, tcpopen.SYN_OPTIONS)
    c:send(string.rep("x", 4000))
    tcpdata.segments(tt, 1, 4001, true)
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 257, options = { {"SAck", {{4000, 4001}}}, {"NOP"}, {"NOP"} }, at = 0.1 }
    tt:expect{ flags = "PA", seq = 3001, ack = 1, len = 1000, at = 0.1 }
    tt:expect{ flags = { "A", "PA" }, seq = 1, ack = 1, len = 1000, at = 0.3, tolerance = 0.02 } -- mutate: at = 0.3 => at = 0.15
    tt:inject{ flags = "A", seq = 1, ack = 1001, win = 257, options = { {"SAck", {{4000, 4001}}}, {"NOP"}, {"NOP"} }, at = 0.1 }
    tt:expect{ flags = { "A", "PA" }, seq = 1001, ack = 1, len = 1000 }
    tt:expect{ flags = { "A", "PA" }, seq = 2001, ack = 1, len = 1000 }
    tt:inject{ flags = "A", seq = 1, ack = 3001, win = 257, options = { {"SAck", {{4000, 4001}}}, {"NOP"}, {"NOP"} }, at = 0.1 }
    tt:expect{ flags = "PA", seq = 3001, ack = 1, len = 1000 }
    tt:inject{ flags = "A", seq = 1, ack = 4001, win = 257, at = 0.1 }
    close_both(tt, c, 4001)
  end)
end
