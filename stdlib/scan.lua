-- scan: Scapy's network helpers (arping, traceroute, a SYN scan, a ping
-- sweep), each one sr call of a generator or a list of probes: the
-- sending, the matching and the waiting are Go's (packet.srp, rawip.sr);
-- this file only builds the probes and reads the answers.
local f = require "frame"

local scan = {}

-- key orders IPv4 addresses by value.
local function key(ip)
  local a, b, c, d = ip:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  return ((tonumber(a) * 256 + tonumber(b)) * 256 + tonumber(c)) * 256 + tonumber(d)
end

local function byAddress(x, y) return key(x.ip) < key(y.ip) end

-- address is the dotted IPv4 address of the number n.
local function address(n)
  return ("%d.%d.%d.%d"):format(math.floor(n / 2^24) % 256, math.floor(n / 2^16) % 256,
    math.floor(n / 2^8) % 256, n % 256)
end

-- hosts lists the addresses of cidr ("198.18.0.0/24" or one address) a
-- host can hold: the network and broadcast addresses of a prefix shorter
-- than /31 are left out: they name no host (and a reply to a broadcast
-- probe comes from another address, which sr, as Scapy, does not match).
local function hosts(cidr)
  local ip, len = cidr:match("^([%d.]+)/(%d+)$")
  if not ip then return { cidr } end
  len = tonumber(len)
  local size = 2 ^ (32 - len)
  local first = key(ip) - key(ip) % size
  local lo, hi = first, first + size - 1
  if len < 31 then lo, hi = lo + 1, hi - 1 end
  local list = {}
  for n = lo, hi do list[#list + 1] = address(n) end
  return list
end

-- iface is the interface that holds the address src, in netns.
local function iface(src, netns)
  for _, a in ipairs(require("netlink").addrs({ family = 4, netns = netns })) do
    if a.addr:match("^[^/]+") == src then return a.ifname end
  end
end

-- scan.arping(target [, { iface, netns, timeout }]): who-has to every
-- address of target, from the interface the route picks unless iface
-- says; the hosts that answered, { ip, mac, rtt } sorted by address. The
-- sender's address is the source of the route to target's first address,
-- asked once: the send-time fill would ask the kernel for each address.
function scan.arping(target, opts)
  opts = opts or {}
  local src = require("rawip").source(target:match("^[^/]+"), { netns = opts.netns })
  local ifname = opts.iface or iface(src, opts.netns)
    or error("scan.arping: no interface holds " .. src .. ", the route's source to " .. target, 2)
  local ans = require("packet").srp(ifname, { f.ether{ dst = "ff:ff:ff:ff:ff:ff" }, f.arp{ psrc = src, pdst = target } },
    { netns = opts.netns, timeout = opts.timeout, filter = "arp" })
  local found = {}
  for _, a in ipairs(ans) do
    found[#found + 1] = { ip = a.recv.arp.psrc, mac = a.recv.arp.hwsrc, rtt = a.rtt }
  end
  table.sort(found, byAddress)
  return found
end

-- probe is the transport layer of the traceroute probe of ttl: each TTL's
-- differs (ICMP seq, UDP dport as traceroute's, TCP sport) so that an ICMP
-- error, which quotes it, names the probe it answers.
local probe = {
  icmp = function(ttl, ident) return f.icmp4{ id = ident, seq = ttl } end,
  udp = function(ttl, ident, port) return f.udp{ sport = ident, dport = (port or 33434) + ttl - 1 } end,
  tcp = function(ttl, ident, port) return f.tcp{ sport = ident + ttl, dport = port or 80, flags = "S" } end,
}

-- hop reads an answer: the address that sent it and whether it is the
-- destination's (anything but an ICMP time exceeded).
local function hop(a)
  local r = a.recv
  local reached = not (r.icmp4 and r.icmp4.type == 11)
  return { ttl = a.sent.ipv4.ttl, ip = r.ipv4.src, rtt = a.rtt, reached = reached }
end

-- scan.traceroute(dst [, { proto, maxttl, dport, timeout, netns }]): all
-- TTLs 1..maxttl (30) at once, as Scapy's traceroute; the hops up to the
-- first that reached dst, { ttl, ip (nil: no answer), rtt, reached }.
function scan.traceroute(dst, opts)
  opts = opts or {}
  local proto = opts.proto or "udp"
  local make = probe[proto] or error("scan.traceroute: proto must be icmp, udp or tcp, not " .. tostring(proto), 2)
  local ident, maxttl = math.random(1024, 32000), opts.maxttl or 30
  local probes = {}
  for ttl = 1, maxttl do
    probes[ttl] = { f.ipv4{ dst = dst, ttl = ttl, id = ident + ttl }, make(ttl, ident, opts.dport) }
  end
  local ans = require("rawip").sr(probes, { netns = opts.netns, timeout = opts.timeout or 2 })
  local hops, last = {}, maxttl
  for _, a in ipairs(ans) do
    local h = hop(a)
    hops[h.ttl] = h
    if h.reached and h.ttl < last then last = h.ttl end
  end
  local list = {}
  for ttl = 1, last do list[ttl] = hops[ttl] or { ttl = ttl, reached = false } end
  return list
end

-- ports reads a port spec: a number, a list, or "22,80,8000-8010".
local function ports(spec)
  if type(spec) ~= "string" then return spec end
  local list = {}
  for part in spec:gmatch("[^,%s]+") do list[#list + 1] = tonumber(part) or part end
  return list
end

-- state classifies the answer to a SYN, as nmap: SYN/ACK open, RST
-- closed, an ICMP error filtered.
local function state(r)
  local flags = r.tcp and r.tcp.flags or ""
  if flags:find("R") then return "closed" end
  if flags:find("S") and flags:find("A") then return "open" end
  return "filtered"
end

-- scan.synscan(dst, ports [, { netns, timeout, sport }]): a SYN to each
-- port, in one sr; { port, state } sorted by port, state "open" (SYN/ACK),
-- "closed" (RST) or "filtered" (no answer, or an ICMP error).
function scan.synscan(dst, spec, opts)
  opts = opts or {}
  local ans, unans = require("rawip").sr({ f.ipv4{ dst = dst },
      f.tcp{ sport = opts.sport or math.random(1024, 60000), dport = ports(spec), flags = "S" } },
    { netns = opts.netns, timeout = opts.timeout })
  local result = {}
  for _, a in ipairs(ans) do result[#result + 1] = { port = a.sent.tcp.dport, state = state(a.recv) } end
  for _, p in ipairs(unans) do result[#result + 1] = { port = p.tcp.dport, state = "filtered" } end
  table.sort(result, function(x, y) return x.port < y.port end)
  return result
end

-- scan.pingsweep(cidr [, { netns, timeout }]): an ICMP echo request to
-- each host address of cidr, in one sr; the addresses that answered,
-- sorted, and their { ip, rtt } in a second list.
function scan.pingsweep(cidr, opts)
  opts = opts or {}
  local ans = require("rawip").sr({ f.ipv4{ dst = hosts(cidr) }, f.icmp4{ id = math.random(1, 65535) } },
    { netns = opts.netns, timeout = opts.timeout })
  local live = {}
  for _, a in ipairs(ans) do live[#live + 1] = { ip = a.sent.ipv4.dst, rtt = a.rtt } end
  table.sort(live, byAddress)
  local ips = {}
  for i, h in ipairs(live) do ips[i] = h.ip end
  return ips, live
end

return scan
