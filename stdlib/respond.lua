-- respond: answering machines in the spirit of Scapy's (ARP_am, ICMP
-- echo, DNS_am), each a few lines on a packet socket's on(): it parses
-- what comes, matches it with frame, builds the reply with frame and
-- sends it. Responders on one socket share its on() callback, so that
-- respond.arp and respond.icmp_echo answer together; h:stop() ends one,
-- s:close() ends the reading.
local f = require "frame"

local respond = {}

-- machines holds, per socket, the responders it feeds: weak keys, so that
-- a socket no script holds goes (its on() reader ends with its close).
local machines = setmetatable({}, { __mode = "k" })

local Handle = {}
Handle.__index = Handle

-- stop takes the responder off its socket: it answers nothing more.
function Handle:stop()
  local list = machines[self.socket]
  for i, fn in ipairs(list or {}) do
    if fn == self.fn then
      table.remove(list, i)
      return
    end
  end
end

-- attach makes fn(p) see each frame s receives, parsed, and returns its
-- handle. The first responder of a socket takes its on() callback.
local function attach(s, fn)
  local list = machines[s]
  if not list then
    list = {}
    machines[s] = list
    s:on(function(bytes)
      local p = f.parse(bytes)
      for _, each in ipairs(list) do
        if each(p) then return end
      end
    end)
  end
  list[#list + 1] = fn
  return setmetatable({ socket = s, fn = fn }, Handle)
end

-- set is a list of addresses, or a set of them, as a set.
local function set(addrs)
  local s = {}
  for k, v in pairs(addrs) do
    if type(k) == "number" then s[v] = true else s[k] = v end
  end
  return s
end

-- na is the neighbour advertisement of target at mac to the solicitation p.
local function na(p, target, mac)
  local from = p.ipv6.src
  local edst, dst, solicited = p.ether.src, from, 1
  if from == "::" then -- duplicate address detection: tell everyone
    edst, dst, solicited = "33:33:00:00:00:01", "ff02::1", 0
  end
  return f.build{
    f.ether{ src = mac, dst = edst },
    f.ipv6{ src = target, dst = dst, hlim = 255 },
    f.icmp6{},
    f.nd_na{ R = 0, S = solicited, O = 1, tgt = target, options = { { "DstLLAddr", lladdr = mac } } },
  }
end

-- respond.arp(s, { [address] = mac }): who-has for an IPv4 address gets
-- an is-at, a neighbour solicitation for an IPv6 one an advertisement;
-- mac true is the socket's own.
function respond.arp(s, given)
  local macs = {}
  for addr, mac in pairs(given) do macs[addr] = mac == true and s.mac or mac end
  return attach(s, function(p)
    local arp = p.arp
    if arp and arp.op == 1 and macs[arp.pdst] then
      local mac = macs[arp.pdst]
      s:send(f.build{
        f.ether{ src = mac, dst = p.ether.src },
        f.arp{ op = 2, hwsrc = mac, psrc = arp.pdst, hwdst = arp.hwsrc, pdst = arp.psrc },
      })
      return true
    end
    local ns = p.nd_ns
    if ns and macs[ns.tgt] then
      s:send(na(p, ns.tgt, macs[ns.tgt]))
      return true
    end
  end)
end

-- echo is the reply to the echo request p, IPv4 or IPv6.
local function echo(p)
  local ether = f.ether{ src = p.ether.dst, dst = p.ether.src }
  if p.ipv4 then
    return f.build{ ether, f.ipv4{ src = p.ipv4.dst, dst = p.ipv4.src },
      f.icmp4{ type = 0, id = p.icmp4.id, seq = p.icmp4.seq }, p.payload }
  end
  return f.build{ ether, f.ipv6{ src = p.ipv6.dst, dst = p.ipv6.src },
    f.icmp6{ type = 129, id = p.icmp6.id, seq = p.icmp6.seq }, p.payload }
end

-- respond.icmp_echo(s, addresses): echo requests to one of the addresses
-- (a list, IPv4 and IPv6) get their reply, from that address.
function respond.icmp_echo(s, addresses)
  local mine = set(addresses)
  return attach(s, function(p)
    local v4 = p.icmp4 and p.icmp4.type == 8 and mine[p.ipv4.dst]
    local v6 = p.icmp6 and p.icmp6.type == 128 and mine[p.ipv6.dst]
    if v4 or v6 then
      s:send(echo(p))
      return true
    end
  end)
end

-- fqdn is name as DNS writes it: lower case, with the final dot.
local function fqdn(name)
  name = name:lower()
  if name:sub(-1) ~= "." then name = name .. "." end
  return name
end

-- records reads dns's table: name -> address or list of addresses, as
-- fqdn -> { A = {...}, AAAA = {...} }.
local function records(names)
  local rr = {}
  for name, addrs in pairs(names) do
    local r = { A = {}, AAAA = {} }
    for _, addr in ipairs(type(addrs) == "table" and addrs or { addrs }) do
      local kind = addr:find(":") and "AAAA" or "A"
      r[kind][#r[kind] + 1] = addr
    end
    rr[fqdn(name)] = r
  end
  return rr
end

-- answer is the reply to the DNS query p from the records rr.
local function answer(p, rr, ttl)
  local q = p.dns.qd[1]
  local known = rr[fqdn(q.qname)]
  local an = {}
  for _, addr in ipairs(known and known[q.qtype] or {}) do
    an[#an + 1] = { rrname = q.qname, type = q.qtype, ttl = ttl, rdata = addr }
  end
  local ip = p.ipv4 and f.ipv4{ src = p.ipv4.dst, dst = p.ipv4.src } or f.ipv6{ src = p.ipv6.dst, dst = p.ipv6.src }
  return f.build{
    f.ether{ src = p.ether.dst, dst = p.ether.src }, ip,
    f.udp{ sport = p.udp.dport, dport = p.udp.sport },
    f.dns{ id = p.dns.id, qr = 1, aa = 1, rd = p.dns.rd, rcode = known and 0 or 3, qd = p.dns.qd, an = an },
  }
end

-- respond.dns(s, names [, { ttl }]): queries to UDP port 53 for A or AAAA
-- records get the addresses of names (name -> address or list of them),
-- an empty answer for a type the name lacks, NXDOMAIN for other names.
function respond.dns(s, names, opts)
  local rr, ttl = records(names), opts and opts.ttl or 60
  return attach(s, function(p)
    local dns = p.udp and p.udp.dport == 53 and p.dns
    if dns and dns.qr == 0 and dns.qd and dns.qd[1] then
      s:send(answer(p, rr, ttl))
      return true
    end
  end)
end

return respond
