-- Checks exercise 12 (dnsspoof.lua): sudo netlua test scripts/lab/dnsspoof_test.lua
-- It needs dnsmasq (Debian: apt install dnsmasq-base).
local lab, loop, nfqueue, packet, f, dnsmasq =
  require "lab", require "loop", require "nfqueue", require "packet", require "frame", require "dnsmasq"
local dnsspoof = require("exercise")("dnsspoof")

local NAME, OTHER = "lab.example", "other.example"
local DELAY = 0.5 -- seconds the real server's answers are held

-- slow holds every UDP packet the server s sends from port 53 for DELAY
-- seconds, then sends it on to the victim v unchanged, from a packet
-- socket (which no netfilter hook sees, so it is not held again): as if
-- the server were far away.
local function slow(s, v)
  local tx = packet.open(s.ifname, { netns = s })
  nfqueue.hook({ hook = "output", proto = "udp", sport = 53, netns = s }, function(pkt)
    local frame = f.build{ f.ether{ src = s.mac, dst = v.mac, type = 0x0800 }, pkt.bytes }
    loop.after(DELAY, function() tx:send(frame) end)
    return "drop"
  end)
end

-- lan puts a victim, its DNS server and an attacker on one segment, made
-- a hub, and runs dnsmasq on the server (slowed), with the real addresses
-- of NAME and OTHER and no other source of names. It returns the lab's
-- parts: the victim and attacker ends, the dnsmasq, the real
-- addresses by name.
local function lan(t)
  local l = lab.new()
  local v, s, x = l:lan(l:host("victim"), l:host("server"), l:host("attacker"))
  local d = dnsmasq.new(t, l, s)
  local net = s.ip:match("^(%d+%.%d+%.%d+)%.")
  local real = { [NAME] = net .. ".80", [OTHER] = net .. ".81" }
  d:run{
    "interface=" .. s.ifname, "bind-dynamic",
    "no-resolv", "no-hosts", -- no upstream server, not the machine's /etc/hosts
    "host-record=" .. NAME .. "," .. real[NAME],
    "host-record=" .. OTHER .. "," .. real[OTHER],
    "log-queries",
  }
  -- A bridge whose entries expire at once forwards every frame to every port.
  local out, status = v.peer:exec{ "ip", "link", "set", "br0", "type", "bridge", "ageing_time", "0" }
  if status ~= 0 then t:fatal("the hub: " .. out) end
  slow(s, v)
  d:write("resolv.conf", "nameserver " .. s.ip .. "\noptions timeout:3 attempts:1\n")
  d:write("nsswitch.conf", "hosts: dns\n")
  return { victim = v, attacker = x, dnsmasq = d, real = real, asked = 0 }
end

-- The victim's lookup, in the background so that the loop runs meanwhile.
-- The lab's resolv.conf and nsswitch.conf are mounted over the machine's
-- in the command's own mount namespace, as ip netns exec does with
-- /etc/netns/NAME/ (nothing is mounted outside it), and a machine's nscd,
-- which would look the name up in the machine's network, is hidden.
local LOOKUP = [[
{ ( mount --bind "$1" /etc/resolv.conf &&
    { [ ! -e /etc/nsswitch.conf ] || mount --bind "$2" /etc/nsswitch.conf; } &&
    { [ ! -d /var/run/nscd ] || mount -t tmpfs netlua /var/run/nscd; } &&
    getent ahostsv4 "$3"; echo "status $?" ) >"$4.part" 2>&1
  mv "$4.part" "$4"; } </dev/null >/dev/null 2>&1 &
]]

-- finished runs the loop until the file at path is there, or for 5
-- seconds (getent gives up after 3), and returns its text or nil.
local function finished(path)
  local deadline, text = now() + 5, nil
  local timer = loop.every(0.01, function()
    local file = io.open(path)
    if file then
      text = file:read("*a")
      file:close()
      loop.stop()
    elseif now() > deadline then
      loop.stop()
    end
  end)
  loop.run()
  timer:cancel()
  return text
end

-- resolve has the victim look name up with its C library (getent
-- ahostsv4) while the loop runs, and returns the addresses it got, in
-- order, and what getent printed.
local function resolve(t, n, name)
  n.asked = n.asked + 1
  local d, out = n.dnsmasq, "getent" .. n.asked
  d:file(out .. ".part")
  local _, status = n.victim:exec{ "sh", "-c", LOOKUP, "sh",
    d:file("resolv.conf"), d:file("nsswitch.conf"), name, d:file(out) }
  if status ~= 0 then t:fatal("the victim's lookup did not start") end
  local text = finished(d:file(out))
  if not text then t:fatal("getent ahostsv4 " .. name .. " did not end") end
  local addrs, seen = {}, {}
  for addr in text:gmatch("(%S+)%s+STREAM") do
    if not seen[addr] then addrs[#addrs + 1], seen[addr] = addr, true end
  end
  return addrs, "getent ahostsv4 " .. name .. ":\n" .. text .. "dnsmasq:\n" .. d:log()
end

test("the victim resolves the name to the attacker's address", function(t)
  local n = lan(t)
  local x = n.attacker
  dnsspoof.spoof(x, NAME, x.ip)
  local addrs, out = resolve(t, n, NAME)
  t:eq(addrs, { x.ip }, "the victim's addresses for " .. NAME .. "\n" .. out)
end)

test("other names still get the real server's answer", function(t)
  local n = lan(t)
  local x = n.attacker
  dnsspoof.spoof(x, NAME, x.ip)
  local addrs, out = resolve(t, n, OTHER)
  t:eq(addrs, { n.real[OTHER] }, "the victim's addresses for " .. OTHER .. "\n" .. out)
  addrs, out = resolve(t, n, NAME)
  t:eq(addrs, { x.ip }, "then for " .. NAME .. "\n" .. out)
end)

-- rebuilt is the frame p with its lengths and checksums computed again.
local function rebuilt(p)
  p.ipv4.len, p.ipv4.chksum, p.udp.len, p.udp.chksum = nil, nil, nil, nil
  return f.build(p)
end

-- The test sends answer's frame itself, as answer made it and then wrong
-- in one place each time: the victim's resolver takes only the first, and
-- otherwise waits for the real server's answer.
test("an answer that does not match the query loses to the real one", function(t)
  local n = lan(t)
  local x = n.attacker
  local cases = {
    { "as answer made it", function() end, x.ip },
    { "with another id", function(p) p.dns.id = (p.dns.id + 1) % 65536 end, n.real[NAME] },
    { "to another question", function(p)
      p.dns.qd = {{ qname = OTHER, qtype = "A" }}
    end, n.real[NAME] },
    { "from another address", function(p) p.ipv4.src = x.ip end, n.real[NAME] },
  }
  for _, case in ipairs(cases) do
    local name, spoil, want = case[1], case[2], case[3]
    local sniff = packet.open(x.ifname, { netns = x, filter = "udp dst port 53" })
    sniff:on(function(query)
      local p = f.parse(dnsspoof.answer(query, x.ip))
      spoil(p)
      sniff:send(rebuilt(p))
    end)
    local addrs, out = resolve(t, n, NAME)
    sniff:close()
    t:eq(addrs, { want }, "an answer " .. name .. "\n" .. out)
  end
end)
