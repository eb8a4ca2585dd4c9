-- Nagle's algorithm, TCP_NODELAY and TCP_CORK, ported from packetdrill's
-- gtests/net/tcp/nagle/ (google/packetdrill at 2c4001c). Each test runs
-- for IPv4 and IPv6.
local tcptest = require "tcptest"
local tcpopen = require "tcpopen"

-- bytes is a string of n bytes.
local function bytes(n) return string.rep("z", n) end

-- corked_writes sets TCP_CORK on c and writes 40 bytes twice, 50 ms
-- apart: nothing may leave.
local function corked_writes(tt, c)
  c:setsockopt("TCP_CORK", true)
  c:send(bytes(40))
  tt:wait(0.05)
  c:send(bytes(40))
  tt:expect_none(0.01)
end

-- https_post is nagle/https_client.pkt up to the POST body's first two
-- segments, on a client socket with TCP_NODELAY set to nodelay. It
-- returns the harness and the socket.
local function https_post(t, family, nodelay)
  local tt = tcpopen.new(t, family, { ["net.ipv4.tcp_timestamps"] = 0 })
  local s = tt:socket{ nonblock = true }
  s:setsockopt("TCP_NODELAY", nodelay)
  local c = tcpopen.active(tt, { socket = s, win = 5792, synack_at = 0.1,
    options = { { "MSS", 974 }, { "NOP" }, { "NOP" }, { "SAckOK", "" }, { "NOP" }, { "WScale", 7 } } })

  -- The SSL handshake (a resumed session).
  c:send(bytes(517))
  tt:expect{ flags = "PA", seq = 1, ack = 1, len = 517 }
  tt:inject{ flags = "A", seq = 1, ack = 518, win = 229, at = 0.1 }
  tt:inject{ flags = "PA", seq = 1, ack = 518, win = 229, len = 143 }
  tt:expect{ flags = "A", seq = 518, ack = 144 }
  t:eq(#c:recv(1000, 1), 143)

  -- The POST header (51 bytes) and body (2002).
  c:send(bytes(51))
  tt:expect{ flags = "PA", seq = 518, ack = 144, len = 51 }
  tt:wait(0.03)
  c:send(bytes(2002))
  tt:expect{ flags = "A", seq = 569, ack = 144, len = 974 }
  tt:expect{ flags = "PA", seq = 1543, ack = 144, len = 974 }
  return tt, c
end

for _, family in ipairs{ "ipv4", "ipv6" } do
  -- nagle/sockopt_cork_nodelay.pkt: TCP_CORK holds small writes; clearing
  -- it, or setting TCP_NODELAY, pushes them out as one segment. Changed:
  -- the original's last part, send(..., MSG_MORE), is left out (sock's
  -- send takes no flags); the corked writes are checked to stay held
  -- (expect_none) where the original only waits.
  test("nagle sockopt cork nodelay " .. family, function(t)
    local tt = tcpopen.new(t, family)
    local _, c = tcpopen.passive(tt, { options = { { "MSS", 1000 }, { "NOP" }, { "WScale", 7 } } })

    corked_writes(tt, c)
    c:setsockopt("TCP_CORK", false)
    tt:expect{ flags = "PA", seq = 1, ack = 1, len = 80 }  -- mutate: len = 80 => len = 40
    tt:inject{ flags = "A", seq = 1, ack = 81, win = 257, at = 0.01 }

    corked_writes(tt, c)
    c:setsockopt("TCP_NODELAY", true)
    tt:expect{ flags = "PA", seq = 81, ack = 1, len = 80 }
    tt:inject{ flags = "A", seq = 1, ack = 161, win = 257, at = 0.01 }
  end)

  -- nagle/https_client.pkt: an SSL client's POST header and body. With
  -- TCP_NODELAY the body's last small segment leaves at once; with Nagle
  -- on (the second test: the original's closing comment made a check) it
  -- waits for the ACK of what is in flight. Changed: the timestamps
  -- sysctl is set in the lab host only.
  test("nagle https client nodelay " .. family, function(t)
    local tt = https_post(t, family, true)  -- mutate: true => false
    tt:expect{ flags = "PA", seq = 2517, ack = 144, len = 54, at = 0 }
    tt:inject{ flags = "A", seq = 144, ack = 2571, win = 229, at = 0.1 }
  end)

  test("nagle https client nagle " .. family, function(t)
    local tt = https_post(t, family, false)  -- mutate: false => true
    tt:expect_none(0.05)
    tt:inject{ flags = "A", seq = 144, ack = 2517, win = 229 }
    tt:expect{ flags = "PA", seq = 2517, ack = 144, len = 54, at = 0 }
  end)
end
