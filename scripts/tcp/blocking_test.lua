-- Blocking socket calls on packetdrill's timeline: accept, connect and
-- read park in tasks (tt:go) while the script injects the remote's side,
-- and tt:returned checks when they returned. Ported from google/packetdrill
-- gtests/net/tcp at commit 2c4001c4d6fc04a3bbd01d4b92be62717a37648a; each
-- test names its file and what changed. Run: netlua test scripts/tcp
local tcptest = require "tcptest"

for _, family in ipairs{ "ipv4", "ipv6" } do
  -- The kernel's MSS on a 1500-byte link.
  local mss = family == "ipv6" and 1440 or 1460

  -- blocking/blocking-accept.pkt. Changed: the 2000 bytes written leave as
  -- two 1000-byte segments (offloads are off; packetdrill's tun had TSO).
  test("blocking accept " .. family, function(t)
    local tt = tcptest.new(t, { family = family })
    local l = tt:listen(8080)
    local accepting = tt:go(function() return l:accept() end)   -- +0...0.200 accept(3, ...) = 4
    tt:inject{ at = 0.1, flags = "S", seq = 0, win = 32792, options = { { "MSS", 1000 }, { "NOP" }, { "WScale", 7 } } }
    tt:expect{ flags = "SA", seq = 0, ack = 1, options = { { "MSS", mss }, { "NOP" }, { "WScale", 8 } } }
    tt:inject{ at = 0.1, flags = ".", seq = 1, ack = 1, win = 257 }
    local c = tt:returned(accepting, 0.2)  -- mutate: accepting, 0.2 => accepting, 0.1
    tt:wait(0.1)
    c:send(string.rep("x", 2000))
    tt:expect{ flags = ".", seq = 1, ack = 1, len = 1000 }
    tt:expect{ flags = "PA", seq = 1001, ack = 1, len = 1000 }
  end)

  -- blocking/blocking-connect.pkt. Unchanged but for IPv6's MSS.
  test("blocking connect " .. family, function(t)
    local tt = tcptest.new(t, { family = family })
    tt:wait(0.1)
    tt:connect()                                                 -- +.1...0.200 connect(3, ...) = 0
    tt:expect{ flags = "S", seq = 0, options = { { "MSS", mss }, { "SAckOK", "" }, { "Timestamp", { 100, 0 } }, { "NOP" }, { "WScale", 8 } } }
    tt:inject{ at = 0.1, flags = "SA", seq = 0, ack = 1, win = 5792,
      options = { { "MSS", 1460 }, { "NOP" }, { "WScale", 2 }, { "NOP" }, { "NOP" }, { "SAckOK", "" } } }
    tt:expect{ flags = ".", seq = 1, ack = 1 }  -- mutate: ack = 1 => ack = 0
    tt:returned(tt.connecting, 0.1)
  end)

  -- blocking/blocking-read.pkt (its --tolerance_usecs=10000 kept).
  -- Changed: the link's MTU is 2100, so that the remote's 2000-byte
  -- segments fit in one frame (packetdrill's tun took them whole); the
  -- kernel's SYN-ACK then offers an MSS of 2060 (IPv6: 2040).
  test("blocking read " .. family, function(t)
    local tt = tcptest.new(t, { family = family, tolerance = 0.010, mtu = 2100 })
    local l = tt:listen(8080)
    tt:inject{ at = 0.1, flags = "S", seq = 0, win = 32792, options = { { "MSS", 1000 }, { "NOP" }, { "WScale", 7 } } }
    tt:expect{ flags = "SA", seq = 0, ack = 1, options = { { "MSS", mss + 600 }, { "NOP" }, { "WScale", 8 } } }
    tt:inject{ at = 0.1, flags = ".", seq = 1, ack = 1, win = 257 }
    local c = l:accept()

    local reading = tt:go(function() return c:recv(2000) end)   -- +0...0.100 read(4, ..., 2000) = 2000
    tt:inject{ at = 0.1, flags = "PA", seq = 1, ack = 1, win = 257, len = 2000 }
    tt:expect{ flags = ".", seq = 1, ack = 2001 }
    t:eq(#tt:returned(reading, 0.1), 2000)

    tt:wait(0.1)
    reading = tt:go(function() return c:recv(2000) end)         -- +.1...0.200 read(4, ..., 2000) = 2000
    tt:inject{ at = 0.1, flags = "PA", seq = 2001, ack = 1, win = 257, len = 2000 }
    tt:expect{ flags = ".", seq = 1, ack = 4001 }  -- mutate: ack = 4001 => ack = 2001
    t:eq(#tt:returned(reading, 0.1), 2000)

    tt:inject{ at = 0.1, flags = "PA", seq = 4001, ack = 1, win = 257, len = 2000 }
    tt:expect{ flags = ".", seq = 1, ack = 6001 }
    t:eq(#c:recv(1000, 0), 1000)                                -- +0...0.000 read(4, ..., 1000) = 1000
    t:eq(#c:recv(1000, 0), 1000)
  end)

  -- close/close-on-syn-sent.pkt: close() in SYN_SENT sends no RST; the
  -- SYN-ACK that comes later gets one. Unchanged.
  test("close on syn sent " .. family, function(t)
    local tt = tcptest.new(t, { family = family })
    local s = tt:socket{ nonblock = true }
    s:connect(tt.remote_ip, tt.remote_port)                      -- = -1 EINPROGRESS
    tt:expect{ flags = "S", seq = 0, options = tcptest.ANY }
    s:close()
    tt:inject{ at = 0.1, flags = "SA", seq = 0, ack = 1, win = 32000, options = { { "MSS", 1460 }, { "NOP" }, { "WScale", 7 } } }
    tt:expect{ flags = "R", seq = 1 }  -- mutate: seq = 1 => seq = 0
  end)
end
