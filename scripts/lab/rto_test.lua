-- Checks exercise 17 (rto.lua): sudo netlua test scripts/lab/rto_test.lua
local tcptest = require "tcptest"
local rto = require("exercise")("rto")

-- lossy opens a connection from the kernel with a 10 ms RTT, sends 100
-- bytes the remote never acknowledges, and returns the pair, the socket,
-- the RTO before the loss and the first transmission.
local function lossy(t)
  local tt = tcptest.new(t, { sysctl = {
    ["net.ipv4.tcp_early_retrans"] = 0, ["net.ipv4.tcp_rto_min_us"] = 100000 } })
  local c = tt:connect()
  tt:expect{ flags = "S", seq = 0, options = tcptest.ANY }
  tt:inject{ flags = "SA", seq = 0, ack = 1, win = 65535, options = { {"MSS", 1000} }, at = 0.01 }
  tt:expect{ flags = "A", seq = 1, ack = 1 }
  local first = tt:tcp_info(c).rto / 1e6
  c:send(string.rep("x", 100))
  local sent = tt:expect{ flags = "PA", seq = 1, ack = 1, len = 100 }
  return tt, c, first, sent
end

-- close is x within 10 ms + 12.5 % of want (packetdrill's default tolerance, doubled).
local function close(x, want)
  return type(x) == "number" and math.abs(x - want) <= 0.01 + 0.125 * want
end

test("the gaps match the prediction from tcp_info's rto", function(t)
  local tt, c, first, sent = lossy(t)
  local gaps, want = rto.gaps(tt, sent, 3), rto.predict(first, 3)
  t:eq(#gaps, 3, "gaps measured")
  for i = 1, 3 do
    t:ok(close(gaps[i], want[i]), ("gap %d: measured %s s, predicted %s s"):format(i, tostring(gaps[i]), tostring(want[i])))
  end
end)

test("the prediction doubles from the first RTO", function(t)
  t:eq(rto.predict(0.2, 4), { 0.2, 0.4, 0.8, 1.6 })
  t:eq(rto.predict(1, 1), { 1 })
end)

test("after n timeouts tcp_info shows backoff n and the RTO doubled n times", function(t)
  local tt, c, _, sent = lossy(t)
  local gaps = rto.gaps(tt, sent, 3)
  local info = tt:tcp_info(c)
  t:eq(info.backoff, 3, "backoff")
  t:eq(info.retransmits, 3, "retransmits")
  t:ok(close(info.rto / 1e6, 2 * gaps[3]), ("rto %.3f s, last gap %.3f s"):format(info.rto / 1e6, gaps[3] or -1))
end)
