-- ping.lua HOST [COUNT [INTERVAL]]: ICMP echo, like ping(8), on a raw
-- socket. It sends an echo request every INTERVAL seconds (default 1),
-- COUNT times (default: until ^C), matches the replies by id and
-- sequence number, and prints them and the summary as iputils ping does.
-- HOST may be IPv4 or IPv6, an address or a name.
--
-- Round-trip times come from the kernel: the receive time of the reply
-- (SO_TIMESTAMPNS) minus the time sendto took just before its system
-- call. That is the answer to the seed's question on measuring latency
-- with timestamps.
--
--   sudo netlua scripts/ping.lua 198.18.0.2 3

local rawip, f, loop = require "rawip", require "frame", require "loop"

local host = arg[1]
if not host then
  io.stderr:write("usage: netlua scripts/ping.lua HOST [COUNT [INTERVAL]]\n")
  os.exit(2)
end
local count = tonumber(arg[2])
local interval = tonumber(arg[3] or 1)

local addr = rawip.resolve(host)
local v6 = addr:find(":") ~= nil
local s = rawip.open{ proto = "icmp", family = v6 and 6 or 4 }
local request, reply, first = 8, 0, "ipv4"
if v6 then
  request, reply, first = 128, 129, "icmp6"
end
local id = math.floor(now() * 1e6) % 65536
local data = ("netlua ping "):rep(5):sub(1, 56) -- 56 bytes, as ping sends

if v6 then -- as iputils words them
  print(("PING %s(%s) 56 data bytes"):format(host, addr))
else
  print(("PING %s (%s) 56(84) bytes of data."):format(host, addr))
end

local sent, rtts = {}, {}
local transmitted, start = 0, now()

-- summary prints ping's statistics, once: at the end or on ^C.
local done = false
local function summary()
  if done then return end
  done = true
  local n, sum, sq, min, max = #rtts, 0, 0, math.huge, 0
  for _, t in ipairs(rtts) do
    sum, sq = sum + t, sq + t * t
    min, max = math.min(min, t), math.max(max, t)
  end
  print(("\n--- %s ping statistics ---"):format(host))
  print(("%d packets transmitted, %d received, %d%% packet loss, time %dms"):format(
    transmitted, n, transmitted > 0 and math.floor(100 * (transmitted - n) / transmitted) or 0,
    math.floor((now() - start) * 1000)))
  if n > 0 then
    local avg = sum / n
    print(("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms"):format(min, avg, max, math.sqrt(math.max(sq / n - avg * avg, 0))))
  end
end
loop.defer(summary)

-- finish ends the run after the last reply, or the wait for it; with no
-- reply at all the exit status is 1, as ping's.
local function finish()
  summary()
  s:close()
  if #rtts == 0 then
    os.exit(1)
  end
end

s:on(function(bytes, info)
  local p = f.parse(bytes, { first = first })
  local icmp = p.icmp4 or p.icmp6
  if not icmp or icmp.type ~= reply or icmp.id ~= id or not sent[icmp.seq] then
    return -- someone else's ICMP
  end
  local rtt = (info.ts - sent[icmp.seq]) * 1000
  sent[icmp.seq] = nil
  rtts[#rtts + 1] = rtt
  local size = v6 and #bytes or #bytes - p.ipv4.ihl * 4
  print(("%d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms"):format(size, info.src, icmp.seq, info.ttl, rtt))
  if count and #rtts == count then
    finish()
  end
end)

local function ping(timer)
  transmitted = transmitted + 1
  local layer = v6 and f.icmp6 or f.icmp4
  local _, ts = s:sendto(f.build{ layer{ type = request, id = id, seq = transmitted }, data }, addr)
  sent[transmitted] = ts
  if count and transmitted == count then
    if timer then timer:cancel() end
    loop.after(math.max(interval, 1), finish) -- time for the last reply
  end
end

ping()
if not count or count > 1 then
  loop.every(interval, ping)
end
