-- Checks exercise 6 (proto.lua): sudo netlua test scripts/lab/proto_test.lua
local lab, packet, f = require "lab", require "packet", require "frame"
local proto = require("exercise")("proto")

local a = { mac = "02:00:00:00:00:01", ip = "198.18.0.1" }
local b = { mac = "02:00:00:00:00:02", ip = "198.18.0.2" }

test("greet writes the header as drawn", function(t)
  proto.define()
  local bytes = proto.greet(a, b, 0x1234, "hi")
  -- Ethernet 14 + IPv4 20 + UDP 8, then the hello header.
  t:bytes(bytes:sub(43), "\17\8\18\52\0\8hi") -- 0x11 0x08 0x1234 0x0008 "hi"
  t:eq(f.parse(bytes).udp.dport, 7777, "UDP port")
end)

test("parse reads the fields back", function(t)
  proto.define()
  local p = f.parse(proto.greet(a, b, 42, "hello, world"))
  t:ok(p.hello, "parse found a hello layer")
  t:eq(p.hello.version, 1, "version")
  t:eq(p.hello.kind, 1, "kind")
  t:eq(p.hello.ttl, 8, "ttl")
  t:eq(p.hello.seq, 42, "seq")
  t:eq(p.hello.len, 6 + #"hello, world", "len")
  t:eq(p.payload, "hello, world")
end)

test("a hello crosses a lab link", function(t)
  proto.define()
  local x, y = lab.pair()
  local rx = packet.open(y.ifname, { proto = "ipv4", netns = y })
  local tx = packet.open(x.ifname, { proto = 0x88b6, netns = x })
  tx:send(proto.greet(x, y, 7, "over the wire"))
  local p = t:expect(rx, function(p) return p.hello ~= nil end, 2)
  t:eq(p.hello.seq, 7, "seq")
  t:eq(p.payload, "over the wire")
end)
