-- tcpopen: the handshakes most ported packetdrill tests begin with, as
-- their scripts write them. Not a test file: the *_test.lua files beside
-- it require it.
local tcptest = require "tcptest"

local M = {}

-- TOLERANCE is the timing tolerance of the ported tests, in seconds:
-- packetdrill's 4 ms is too tight for a shared CI machine running the
-- race detector beside them (a kernel's immediate ACK was seen 6 ms late
-- on a loaded two-core machine); none of the tests' timings is finer.
M.TOLERANCE = 0.01

-- new is tcptest.new for family with TOLERANCE and the test's own
-- sysctls (set after tcptest.defaults, as packetdrill's scripts set theirs
-- after sourcing defaults.sh).
function M.new(t, family, sysctl)
  return tcptest.new(t, { family = family, sysctl = sysctl, tolerance = M.TOLERANCE })
end

-- SYN_OPTIONS are packetdrill's usual remote SYN options:
-- <mss 1000,sackOK,nop,nop,nop,wscale 7>.
M.SYN_OPTIONS = { { "MSS", 1000 }, { "SAckOK", "" }, { "NOP" }, { "NOP" }, { "NOP" }, { "WScale", 7 } }

-- SYNACK_OPTIONS are the remote SYN-ACK's options of the client tests:
-- <mss 1000,nop,wscale 6,nop,nop,sackOK>.
M.SYNACK_OPTIONS = { { "MSS", 1000 }, { "NOP" }, { "WScale", 6 }, { "NOP" }, { "NOP" }, { "SAckOK", "" } }

-- passive is packetdrill's server opening: listen, < S (opts.syn_win,
-- opts.options), > S., < . (opts.win, opts.ack_at seconds later: the
-- kernel's first RTT sample), accept. It returns the listener, the
-- accepted socket and the kernel's SYN-ACK.
function M.passive(tt, opts)
  opts = opts or {}
  local l = tt:listen()
  tt:inject{ flags = "S", seq = 0, win = opts.syn_win or 32792, options = opts.options or M.SYN_OPTIONS }
  local synack = tt:expect{ flags = "SA", seq = 0, ack = 1, options = tcptest.ANY }
  tt:inject{ flags = ".", seq = 1, ack = 1, win = opts.win or 257, at = opts.ack_at }
  return l, l:accept(1), synack
end

-- active is packetdrill's client opening: a non-blocking connect, > S,
-- < S. (opts.win, opts.options, opts.synack_at seconds later), > . ; it returns the socket and the
-- kernel's SYN. opts.socket is a socket to connect (made with
-- tt:socket{ nonblock = true }) instead of a new one.
function M.active(tt, opts)
  opts = opts or {}
  local c = opts.socket
  if c then
    c:connect(tt.remote_ip, tt.remote_port)
  else
    c = tt:connect()
  end
  local syn = tt:expect{ flags = "S", seq = 0, options = tcptest.ANY }
  tt:inject{ flags = "SA", seq = 0, ack = 1, win = opts.win or 32768, options = opts.options or M.SYNACK_OPTIONS,
    at = opts.synack_at }
  tt:expect{ flags = "A", seq = 1, ack = 1 }
  return c, syn
end

return M
