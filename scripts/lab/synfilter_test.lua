-- Checks exercise 4 (synfilter.lua): sudo netlua test scripts/lab/synfilter_test.lua
local lab, packet, filter, f = require "lab", require "packet", require "filter", require "frame"
local synfilter = require("exercise")("synfilter")

-- tcp is a TCP frame from a to b with the flags given.
local function tcp(a, b, flags)
  return f.build{ f.ether{ src = a.mac, dst = b.mac }, f.ipv4{ src = a.ip, dst = b.ip },
    f.tcp{ sport = 40000, dport = 80, flags = flags } }
end

local kinds = {
  { "SYN", "S", true }, { "SYN with ECN bits", "SEC", true }, { "SYN-ACK", "SA", false },
  { "ACK", "A", false }, { "RST", "R", false }, { "FIN-ACK", "FA", false }, { "PSH-ACK", "PA", false },
}

test("the expression compiles", function(t)
  t:eq(type(synfilter.expr), "string", "expr")
  local ok, err = pcall(filter.compile, synfilter.expr)
  t:ok(ok, err)
end)

test("it matches SYNs and nothing else", function(t)
  local prog = filter.compile(synfilter.expr)
  local a = { mac = "02:00:00:00:00:01", ip = "198.18.0.1" }
  local b = { mac = "02:00:00:00:00:02", ip = "198.18.0.2" }
  for _, k in ipairs(kinds) do
    t:eq(prog:match(tcp(a, b, k[2])), k[3], k[1])
  end
  t:eq(prog:match(f.build{ f.ether{}, f.ipv4{}, f.udp{}, "SYN" }), false, "UDP")
  t:eq(prog:match(f.build{ f.ether{ dst = "ff:ff:ff:ff:ff:ff" }, f.arp{} }), false, "ARP")
end)

test("in the kernel, only the SYNs get through", function(t)
  local a, b = lab.pair()
  local rx = packet.open(b.ifname, { filter = synfilter.expr, netns = b })
  local tx = packet.open(a.ifname, { proto = 0x88b6, netns = a })
  local want = 0
  for _, k in ipairs(kinds) do
    tx:send(tcp(a, b, k[2]))
    if k[3] then want = want + 1 end
  end
  local got = 0
  while rx:recv(0.3) do got = got + 1 end
  t:eq(got, want, "SYNs received")
end)
