-- Limited transmit (RFC 3042): each of the first two duplicate ACKs lets
-- the kernel send one new segment beyond cwnd, keeping the ACK clock
-- going before fast retransmit could start.
-- Ported from google/packetdrill gtests/net/tcp/limited_transmit/ at
-- 2c4001c4d6fc04a3bbd01d4b92be62717a37648a.
-- Common changes: the interface has no TSO, so a burst the original sees
-- as one TSO packet (P. 1:10001(10000)) is seen here as its 1000-byte
-- segments; the first SYN comes at once, not after 0.1 s; the final wait
-- before close(4) is 0.05 s, not 0.17 s.
local tcpopen = require "tcpopen"
local tcpdata = require "tcpdata"

-- start opens the connection with the remote's SYN options syn, writes
-- 15000 bytes and expects the initial window of 10 segments.
local function start(t, family, syn)
  local tt = tcpopen.new(t, family)
  local _, c = tcpopen.passive(tt, { options = syn, win = 320, ack_at = 0.1 })
  c:send(string.rep("x", 15000))
  tcpdata.segments(tt, 1, 10001)
  return tt, c
end

-- finish is the rest of both originals after the first duplicate ACK and
-- its limited transmit: the second one (options dupack), then ACKs up to
-- the end and the close.
local function finish(tt, c, dupack)
  tt:inject{ flags = "A", seq = 1, ack = 1, win = 320, options = dupack, at = 0.01 }
  tt:expect{ flags = { "A", "PA" }, seq = 11001, ack = 1, len = 1000 }
  tt:inject{ flags = "A", seq = 1, ack = 3001, win = 320, at = 0.01 }
  tcpdata.segments(tt, 12001, 14001)
  tt:inject{ flags = "A", seq = 1, ack = 5001, win = 320, at = 0.02 }
  tt:expect{ flags = "PA", seq = 14001, ack = 1, len = 1000 }
  for ack = 7001, 15001, 2000 do
    tt:inject{ flags = "A", seq = 1, ack = ack, win = 320, at = 0.02 }
  end
  tt:wait(0.05)
  c:close()
  tt:expect{ flags = "FA", seq = 15001, ack = 1 }
  tt:inject{ flags = "FA", seq = 1, ack = 15002, win = 257, at = 0.1 }
  tt:expect{ flags = "A", seq = 15002, ack = 2 }
end

for _, family in ipairs { "ipv4", "ipv6" } do
  -- limited_transmit/limited-transmit-no-sack.pkt
  test("limited-transmit-no-sack " .. family, function(t)
    local tt, c = start(t, family, { {"MSS", 1000}, {"NOP"}, {"WScale", 7} })
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 320, at = 0.11 }
    tt:expect{ flags = { "A", "PA" }, seq = 10001, ack = 1, len = 1000, at = 0 } -- mutate: seq = 10001 => seq = 1
    finish(tt, c)
  end)

  -- limited_transmit/limited-transmit-sack.pkt
  test("limited-transmit-sack " .. family, function(t)
    local tt, c = start(t, family, tcpopen.SYN_OPTIONS)
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 320, options = { {"SAck", {{1001, 2001}}}, {"NOP"}, {"NOP"} }, at = 0.11 }
    tt:expect{ flags = { "A", "PA" }, seq = 10001, ack = 1, len = 1000, at = 0 } -- mutate: len = 1000 => len = 2000
    finish(tt, c, { {"SAck", {{1001, 3001}}}, {"NOP"}, {"NOP"} })
  end)
end
