-- Checks exercise 16 (handshake.lua): sudo netlua test scripts/lab/handshake_test.lua
local tcptest = require "tcptest"
local handshake = require("exercise")("handshake")

for _, family in ipairs { "ipv4", "ipv6" } do
  test("accept: the kernel's listener takes the handshake " .. family, function(t)
    local tt = tcptest.new(t, { family = family })
    local l = tt:listen()
    local synack = handshake.accept(tt)
    t:eq(synack and synack.flags, "SA", "accept returns the kernel's SYN-ACK")
    local c = l:accept(1)
    local info = tt:tcp_info(c)
    t:eq(info.state, "ESTABLISHED", "the accepted socket's state")
    t:eq(info.snd_mss, 1000, "the kernel's send MSS: the one your SYN announced")
  end)

  test("connect: the kernel's connect completes " .. family, function(t)
    local tt = tcptest.new(t, { family = family })
    local c = tt:connect()
    local syn = handshake.connect(tt)
    t:eq(syn and syn.flags, "S", "connect returns the kernel's SYN")
    local info = tt:tcp_info(c)
    t:eq(info.state, "ESTABLISHED", "the connecting socket's state")
    t:eq(info.snd_mss, 1000, "the kernel's send MSS: the one your SYN-ACK announced")
  end)
end
