-- Checks exercise 9 (fragoverlap.lua): sudo netlua test scripts/lab/fragoverlap_test.lua
local lab, packet, rawip, f = require "lab", require "packet", require "rawip", require "frame"
local fragoverlap = require("exercise")("fragoverlap")

-- A datagram of 32 bytes of IP payload: the UDP header (checksum 0: none)
-- at 0, then AAAAAAAA at 8, BBBBBBBB at 16, CCCCCCCC at 24.
local UDP = f.build{ f.udp{ sport = 40000, dport = 9999, len = 32, chksum = 0 } }

-- fragments returns a function that makes fragments from a to b of the
-- datagram with this id: frag(offset, data, more), and its four plain
-- fragments.
local function fragments(a, b, id)
  local function frag(off, data, more)
    return f.build{ f.ether{ src = a.mac, dst = b.mac },
      f.ipv4{ src = a.ip, dst = b.ip, id = id, proto = 17, frag = off / 8, flags = more and "MF" or 0 },
      data }
  end
  return frag, frag(0, UDP, true), frag(8, "AAAAAAAA", true), frag(16, "BBBBBBBB", true),
    frag(24, "CCCCCCCC", false)
end

-- receiver sends frames from a to b and returns the UDP payload of port
-- 9999 that b's raw UDP socket receives, or nil: a datagram to port 9998
-- follows the fragments, so when it arrives the kernel has judged them.
local function receiver(a, b)
  local tx = packet.open(a.ifname, { netns = a })
  local rx = rawip.open{ proto = "udp", netns = b }
  return function(t, frames)
    for _, bytes in ipairs(frames) do tx:send(bytes) end
    tx:send(f.build{ f.ether{ src = a.mac, dst = b.mac }, f.ipv4{ src = a.ip, dst = b.ip },
      f.udp{ sport = 40000, dport = 9998 }, "done" })
    local got
    while true do
      local bytes = rx:recv(1)
      if not bytes then t:fatal("the datagram to port 9998 did not come") end
      local p = f.parse(bytes, { first = "ipv4" })
      if p.udp and p.udp.dport == 9998 then return got end
      if p.udp and p.udp.dport == 9999 then got = p.payload end
    end
  end
end

-- check compares reassemble with the kernel on each case { name, frames }
-- and returns what the kernel delivered, by name.
local function check(t, a, b, cases)
  local kernel, delivered = receiver(a, b), {}
  for _, case in ipairs(cases) do
    local name, frames = case[1], case[2]
    delivered[name] = kernel(t, frames)
    t:eq(fragoverlap.reassemble(frames), delivered[name], name)
  end
  return delivered
end

test("fragments in any order make the datagram", function(t)
  local a, b = lab.pair()
  local _, f1, f2, f3, f4 = fragments(a, b, 1)
  local inorder, reversed = { f1, f2, f3, f4 }, { f4, f3, f2, f1 }
  local got = check(t, a, b, { { "in order", inorder }, { "reversed", reversed } })
  -- frame.defragment agrees with the kernel when nothing overlaps.
  t:eq(f.parse(f.defragment(inorder)[1]).payload, got["in order"], "frame.defragment, in order")
  t:eq(f.parse(f.defragment(reversed)[1]).payload, got["reversed"], "frame.defragment, reversed")
end)

test("a fragment again, with other bytes", function(t)
  local a, b = lab.pair()
  local cases = {}
  local frag, f1, f2, f3, f4 = fragments(a, b, 2)
  cases[1] = { "repeated after", { f1, f2, f3, frag(8, "XXXXXXXX", true), f4 } }
  frag, f1, f2, f3, f4 = fragments(a, b, 3)
  cases[2] = { "repeated before", { f1, frag(8, "XXXXXXXX", true), f2, f3, f4 } }
  frag, f1, f2, f3, f4 = fragments(a, b, 4)
  cases[3] = { "inside a bigger one", { f1, frag(8, "AAAAAAAABBBBBBBB", true), frag(16, "YYYYYYYY", true), f4 } }
  check(t, a, b, cases)
  for _, case in ipairs(cases) do
    t:eq(#f.defragment(case[2]), #case[2], case[1] .. ": frame.defragment leaves the fragments")
  end
end)

test("fragments that overlap in part, and a hole", function(t)
  local a, b = lab.pair()
  local cases = {}
  local frag, f1, f2, f3, f4 = fragments(a, b, 5)
  cases[1] = { "overlapping the end", { f1, frag(8, "AAAAAAAABBBBBBBB", true), frag(16, "ZZZZZZZZZZZZZZZZ", false) } }
  frag, f1, f2, f3, f4 = fragments(a, b, 9)
  cases[#cases + 1] = { "overlapping, then the rest",
    { f1, frag(8, "AAAAAAAABBBBBBBB", true), frag(16, "ZZZZZZZZZZZZZZZZ", true), f4 } }
  frag, f1, f2, f3, f4 = fragments(a, b, 6)
  cases[#cases + 1] = { "covering one", { f3, frag(8, "QQQQQQQQQQQQQQQQQQQQQQQQ", true), f1, f4 } }
  frag, f1, f2, f3, f4 = fragments(a, b, 7)
  cases[#cases + 1] = { "sent again after an overlap",
    { f1, frag(8, "AAAAAAAABBBBBBBB", true), frag(16, "ZZZZZZZZZZZZZZZZ", false), f1, f2, f3, f4 } }
  frag, f1, f2, f3, f4 = fragments(a, b, 8)
  cases[#cases + 1] = { "a hole", { f1, f2, f4 } }
  check(t, a, b, cases)
end)
