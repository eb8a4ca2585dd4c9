-- Opening a connection: a refused connect, simultaneous open. Each test
-- runs for IPv4 and IPv6.
local tcptest = require "tcptest"
local tcpopen = require "tcpopen"

for _, family in ipairs{ "ipv4", "ipv6" } do
  -- fastopen/client/nonblocking-connect-bypass-errno.pkt ("ECONNREFUSED
  -- when remote resets on SYN", google/packetdrill at 2c4001c), without
  -- Fast Open: the remote answers the SYN with a RST and the connect
  -- fails with ECONNREFUSED. Changed: a plain blocking connect (no
  -- TCP_FASTOPEN_CONNECT, no SYN data), made in a task.
  test("connect refused by rst " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local c = tt:socket()
    local connect = tt:go(function() c:connect(tt.remote_ip, tt.remote_port) end)
    tt:expect{ flags = "S", seq = 0, options = tcptest.ANY }
    tt:inject{ flags = "RA", seq = 0, ack = 1, win = 0, at = 0.01 }  -- mutate: flags = "RA" => flags = "A"
    local ok, err = pcall(connect.wait, connect, 1)
    t:ok(not ok, "connect fails")
    t:match(tostring(err), "ECONNREFUSED")
    t:eq(tt:tcp_info(c).state, "CLOSE")
  end)

  -- fastopen/client/simultaneous-fast-open.pkt (google/packetdrill at
  -- 2c4001c), without Fast Open: both ends send a SYN; the kernel answers
  -- the remote's SYN with a SYN-ACK of its own ISN, the remote's SYN-ACK
  -- completes the open. Changed: no SYN data and no Fast Open cookies, so
  -- no SACK of a duplicate SYN: the kernel's last ACK is a plain one.
  test("connect simultaneous open " .. family, function(t)
    local tt = tcpopen.new(t, family, { ["net.ipv4.tcp_timestamps"] = 0 })
    local c = tt:connect()
    tt:expect{ flags = "S", seq = 0, options = tcptest.ANY }
    local syn = { { "MSS", 1040 }, { "NOP" }, { "NOP" }, { "SAckOK", "" }, { "NOP" }, { "WScale", 6 } }
    tt:inject{ flags = "S", seq = 0, win = 14600, options = syn, at = 0.005 }
    tt:expect{ flags = "SA", seq = 0, ack = 1, options = tcptest.ANY }  -- mutate: seq = 0, ack = 1 => seq = 0, ack = 0
    tt:inject{ flags = "SA", seq = 0, ack = 1, win = 14600, options = syn, at = 0.045 }
    tt:expect{ flags = "A", seq = 1, ack = 1 }
    t:eq(tt:tcp_info(c).state, "ESTABLISHED")

    tt:inject{ flags = "PA", seq = 1, ack = 1, win = 257, len = 500, at = 0.1 }
    tt:expect{ flags = "A", seq = 1, ack = 501 }
    t:eq(#c:recv(4096, 1), 500)
  end)
end
