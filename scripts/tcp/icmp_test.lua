-- ICMP errors for TCP: a path MTU lowered, a destination unreachable.
-- Each test runs for IPv4 and IPv6 (ICMPv6 Packet Too Big and
-- Destination Unreachable there).
local tcptest = require "tcptest"
local tcpopen = require "tcpopen"

-- Path MTUs the remote reports: IPv6's can be no lower than 1280.
local PMTU = { ipv4 = 1200, ipv6 = 1280 }
-- IP and TCP header bytes in front of a segment's payload (no options).
local HEADERS = { ipv4 = 40, ipv6 = 60 }
-- The ICMP error that reports a path MTU: IPv4's "fragmentation needed",
-- ICMPv6's Packet Too Big.
local TOO_BIG = { ipv4 = { "unreach", "frag" }, ipv6 = { "toobig", 0 } }

-- ALL_TYPES are the ICMP messages of icmp-all-types.pkt, as type, code:
-- every destination unreachable code, the informational types and a few
-- unknown ones; for ICMPv6 its own unreachable codes and types. The one
-- that reports a path MTU (IPv4's code 4, ICMPv6's type 2) says ALL_MTU.
local ALL_MTU = { ipv4 = 1234, ipv6 = 1280 }
local ALL_TYPES = {
  ipv4 = { { 3, 0 }, { 3, 1 }, { 3, 2 }, { 3, 3 }, { 3, 4 }, { 3, 5 }, { 3, 6 }, { 3, 7 }, { 3, 8 }, { 3, 9 },
    { 3, 10 }, { 3, 11 }, { 3, 12 }, { 3, 13 }, { 3, 14 }, { 3, 15 }, { 0, 0 }, { 4, 0 }, { 5, 0 }, { 8, 0 },
    { 11, 0 }, { 12, 0 }, { 13, 0 }, { 14, 0 }, { 15, 0 }, { 16, 0 }, { 17, 0 }, { 18, 0 },
    { 3, 255 }, { 1, 0 }, { 255, 0 } },
  ipv6 = { { 1, 0 }, { 1, 1 }, { 1, 2 }, { 1, 3 }, { 1, 4 }, { 1, 5 }, { 1, 6 }, { 1, 255 }, { 2, 0 }, { 3, 0 }, { 3, 1 },
    { 4, 0 }, { 4, 1 }, { 4, 2 }, { 128, 0 }, { 129, 0 }, { 255, 0 } },
}

for _, family in ipairs{ "ipv4", "ipv6" } do
  -- pmtu_discovery/pmtu-10pkt.pkt (ligurio/packetdrill-testcases at
  -- 48c84d7, FreeBSD's suite, "borrowed from google/packetdrill"): an
  -- ICMP "fragmentation needed" quoting a segment in flight makes the
  -- kernel resend what is unacknowledged in segments that fit the new
  -- MTU at once (6.18 packs the two segments' bytes anew: two of the new
  -- MSS, then the rest). Changed: the link MTU is 1500 (the original's 15000
  -- needs TSO), two segments are in flight instead of ten, the handshake's
  -- RTT is 50 ms (so that no loss probe comes before the ICMP error), and
  -- tcp_info's pmtu and snd_mss are checked too.
  test("icmp frag needed lowers mss " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local _, c = tcpopen.passive(tt, { win = 65535, ack_at = 0.05,
      options = { { "MSS", 1460 }, { "SAckOK", "" }, { "NOP" }, { "NOP" }, { "NOP" }, { "WScale", 7 } } })
    local mss = 1500 - HEADERS[family]
    t:eq(c:send(string.rep("d", 2 * mss)), 2 * mss)
    tt:expect{ flags = "A", seq = 1, ack = 1, len = mss }
    tt:expect{ flags = "PA", seq = 1 + mss, ack = 1, len = mss }

    local too_big = TOO_BIG[family]
    tt:inject_icmp{ type = too_big[1], code = too_big[2], mtu = PMTU[family], quote = { seq = 1 }, at = 0.01 }
    local small = PMTU[family] - HEADERS[family]
    tt:expect{ flags = "A", seq = 1, ack = 1, len = small, at = 0 }  -- mutate: len = small => len = mss
    tt:expect{ flags = "PA", seq = 1 + small, ack = 1, len = small }
    tt:expect{ flags = "PA", seq = 1 + 2 * small, ack = 1, len = 2 * (mss - small) }
    tt:inject{ flags = "A", seq = 1, ack = 1 + 2 * mss, win = 257, at = 0.05 }
    local info = tt:tcp_info(c)
    t:eq(info.pmtu, PMTU[family], "tcpi_pmtu")
    t:eq(info.snd_mss, small, "tcpi_snd_mss")
  end)

  -- fastopen/server/icmp-baseline.pkt (google/packetdrill at 2c4001c)
  -- turned to the client side: an ICMP destination unreachable quoting
  -- the SYN of a connect in SYN_SENT ends the connect with the error the
  -- code maps to, port unreachable: ECONNREFUSED (tcp_v4_err / tcp_v6_err
  -- call tcp_done). Changed: the original drops a pending SYN_RECV of a
  -- listener; this one checks the error of a blocking connect (in a task).
  test("icmp unreachable in syn sent " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local c = tt:socket()
    local connect = tt:go(function() c:connect(tt.remote_ip, tt.remote_port) end)
    tt:expect{ flags = "S", seq = 0, options = tcptest.ANY }
    tt:inject_icmp{ type = "unreach", code = "port", quote = { seq = 0, flags = "S" }, at = 0.01 }  -- mutate: seq = 0, flags => seq = 100000, flags
    local ok, err = pcall(connect.wait, connect, 1)
    t:ok(not ok, "connect fails")
    t:match(tostring(err), "ECONNREFUSED")
    t:eq(tt:tcp_info(c).state, "CLOSE")
  end)

  -- ICMP/icmp-all-types.pkt (ligurio/packetdrill-testcases at 48c84d7,
  -- FreeBSD's suite, "borrowed from google/packetdrill"): every ICMP
  -- type, each quoting the connection's next segment, reaches an
  -- established connection, which lives on (errors there are soft) and
  -- closes normally. Changed: the messages quote a segment of this
  -- connection (the original's quote none), ICMPv6 has its own list, and
  -- tcp_info shows the state and, to prove the errors reached the
  -- connection, the path MTU one of them reported.
  test("icmp all types " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local _, c = tcpopen.passive(tt, { win = 65535,
      options = { { "MSS", 1460 }, { "SAckOK", "" }, { "NOP" }, { "NOP" }, { "NOP" }, { "WScale", 7 } } })
    for _, tc in ipairs(ALL_TYPES[family]) do
      tt:inject_icmp{ type = tc[1], code = tc[2], mtu = ALL_MTU[family], quote = { seq = 1 }, at = 0.001 }  -- mutate: seq = 1 } => seq = 100000 }
    end
    tt:inject{ flags = "A", seq = 1, ack = 1, win = 65535 }
    tt:wait(0.05)
    local info = tt:tcp_info(c)
    t:eq(info.state, "ESTABLISHED")
    t:eq(info.pmtu, ALL_MTU[family], "tcpi_pmtu: the errors reached the connection")

    c:close()
    tt:expect{ flags = "FA", seq = 1, ack = 1 }
    tt:inject{ flags = "FA", seq = 1, ack = 2, win = 65535, at = 0.01 }
    tt:expect{ flags = "A", seq = 2, ack = 2 }
  end)
end
