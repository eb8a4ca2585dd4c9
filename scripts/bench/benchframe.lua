-- benchframe: the frame every benchmark sends, so that netlua, trafgen
-- and Scapy are timed on the same bytes. 60 bytes, the shortest Ethernet
-- frame (without its FCS): Ether / IPv4 / UDP 9 -> 9 (discard) / 18 zero
-- bytes, to a made-up unicast MAC, so a receiver's stack ignores it.
--
--   local benchframe = require "benchframe"   -- beside the bench scripts
--   local bytes = benchframe.build(s.mac)
--   benchframe.trafgen(bytes)                   -- the same as a trafgen config
local f = require "frame"
local loop = require "loop"

local benchframe = {
  dst = "02:00:00:00:00:99",
  src_ip = "198.18.0.1",
  dst_ip = "198.18.0.2",
  payload = ("\0"):rep(18),
}

-- build returns the frame from the MAC src, with UDP source port sport
-- (default 9).
function benchframe.build(src, sport)
  return f.build{
    f.ether{ src = src, dst = benchframe.dst },
    f.ipv4{ src = benchframe.src_ip, dst = benchframe.dst_ip },
    f.udp{ sport = sport or 9, dport = 9 },
    benchframe.payload,
  }
end

-- dns returns the frame of the parse benchmarks: an Ether/IPv4/UDP/DNS
-- query for www.example.com (77 bytes).
function benchframe.dns()
  return f.build{
    f.ether{ src = "02:00:00:00:00:01", dst = benchframe.dst },
    f.ipv4{ src = benchframe.src_ip, dst = benchframe.dst_ip },
    f.udp{ sport = 40000 },
    f.dns{ id = 0x1234, qd = {{ qname = "www.example.com" }} },
  }
end

-- trafgen returns bytes as a trafgen(8) packet configuration.
function benchframe.trafgen(bytes)
  local hex = {}
  for i = 1, #bytes do
    hex[i] = ("0x%02x"):format(bytes:byte(i))
  end
  return "{ " .. table.concat(hex, ", ") .. " }\n"
end

-- sender reads the arguments IFACE [COUNT [SECONDS]] of the sender script
-- name (usage and exit 2 without IFACE) and returns a packet socket on
-- IFACE, COUNT (default count) and SECONDS (default 10). The socket is
-- bound to an EtherType nobody sends, so it receives nothing.
function benchframe.sender(name, count, more)
  local packet = require "packet"
  if not arg[1] then
    io.stderr:write(("usage: netlua scripts/bench/%s IFACE [COUNT [SECONDS%s]]\n"):format(name, more or ""))
    os.exit(2)
  end
  local s = packet.open(arg[1], { proto = 0x88b6 })
  return s, tonumber(arg[2] or count), tonumber(arg[3] or 10)
end

-- pps reads the packets per second a bench script printed ("... 123 pps").
function benchframe.pps(output)
  return tonumber(output:match("([%d.]+) pps"))
end

-- median returns the median of the values of t (sorting t): the figure
-- every bench script reports of its rounds.
function benchframe.median(t)
  table.sort(t)
  return t[math.floor((#t + 1) / 2)]
end

-- tmp is a temporary file name, removed when the script ends.
function benchframe.tmp()
  local name = os.tmpname()
  loop.defer(function() os.remove(name) end)
  return name
end

-- read returns the text of a file, "" if there is none.
function benchframe.read(name)
  local fh = io.open(name)
  if not fh then return "" end
  local text = fh:read("*a")
  fh:close()
  return text
end

return benchframe
