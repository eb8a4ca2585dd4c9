-- tcp_info: the kernel's own accounting of a connection, read with
-- getsockopt(TCP_INFO) (tt:tcp_info) while the test drives the wire.
-- Ported from google/packetdrill gtests/net/tcp/tcp_info/ at
-- 2c4001c4d6fc04a3bbd01d4b92be62717a37648a.
-- Common changes: the kernel's SYN options are not checked (its timestamp
-- value is its own); the time bounds the originals assert as fixed
-- bands (e.g. 98000 <= tcpi_rwnd_limited <= 110000) keep their lower end
-- and take as upper end the time the test measured, plus 10 ms, so a slow
-- machine cannot fail them.
local tcptest = require "tcptest"

-- connected opens a connection from the kernel with the SYN-ACK's window
-- win and options opts, after delay seconds, and returns the socket.
local function connected(tt, delay, win, opts)
  local c = tt:connect()
  tt:expect{ flags = "S", seq = 0, options = tcptest.ANY }
  tt:inject{ flags = "SA", seq = 0, ack = 1, win = win, options = opts, at = delay }
  tt:expect{ flags = "A", seq = 1, ack = 1 }
  return c
end

-- within checks lo <= v <= hi for the tcp_info field name.
local function within(t, v, lo, hi, name)
  return t:ok(v and v >= lo and v <= hi, ("%s = %s, want %s..%s"):format(name, tostring(v), lo, hi))
end

for _, family in ipairs { "ipv4", "ipv6" } do
  -- tcp_info/tcp-info-last_data_recv.pkt; the idle time is 0.3 s, not 1 s.
  test("tcp-info-last_data_recv " .. family, function(t)
    local tt = tcptest.new(t, { family = family })
    local start = now()
    local c = connected(tt, 0.03, 10000, { {"MSS", 1000}, {"SAckOK", ""}, {"NOP"}, {"NOP"}, {"NOP"}, {"WScale", 8} })
    tt:wait(0.3)
    local idle = (now() - start) * 1000
    within(t, tt:tcp_info(c).last_data_recv, 290, idle + 10, "last_data_recv")
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 300, len = 1000 }
    tt:expect{ flags = "A", seq = 1, ack = 1001 }
    within(t, tt:tcp_info(c).last_data_recv, 0, 10, "last_data_recv after data") -- mutate: 0, 10, "last => 200, 400, "last
  end)

  -- tcp_info/tcp-info-rwnd-limited.pkt: the time spent with data to send
  -- and the peer's window closed (rwnd_limited) and sending (busy_time).
  test("tcp-info-rwnd-limited " .. family, function(t)
    local tt = tcptest.new(t, { family = family })
    local c = connected(tt, 0.01, 0, { {"MSS", 1000}, {"NOP"}, {"NOP"}, {"SAckOK", ""} })
    t:eq(tt:tcp_info(c).rwnd_limited, 0, "rwnd_limited before the write")
    local start = now()
    c:send(string.rep("x", 1000))
    tt:wait(0.1)
    within(t, tt:tcp_info(c).rwnd_limited, 98000, (now() - start) * 1e6 + 10000, "rwnd_limited")
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 2000, at = 0.1 }
    local open = now()
    within(t, tt:tcp_info(c).rwnd_limited, 198000, (open - start) * 1e6 + 10000, "rwnd_limited") -- mutate: 198000 => 298000
    tt:expect{ flags = "PA", seq = 1, ack = 1, len = 1000 }
    tt:inject{ flags = "A", seq = 1, ack = 1001, win = 10, at = 0.03 }
    c:send(string.rep("x", 1000))
    tt:inject{ flags = "A", seq = 1, ack = 1001, win = 2000, at = 0.1 }
    local info = tt:tcp_info(c)
    within(t, info.rwnd_limited, 298000, (now() - start) * 1e6 + 10000, "rwnd_limited")
    within(t, info.busy_time, 328000, (now() - start) * 1e6 + 10000, "busy_time")
    tt:expect{ flags = "PA", seq = 1001, ack = 1, len = 1000 }
    tt:inject{ flags = "A", seq = 1, ack = 2001, win = 2000, at = 0.02 }
    within(t, tt:tcp_info(c).busy_time, 348000, (now() - start) * 1e6 + 10000, "busy_time")
  end)
end
