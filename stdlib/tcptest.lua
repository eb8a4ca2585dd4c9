-- tcptest: packetdrill's model of a TCP test, in Lua. A test gets a lab
-- pair: the kernel under test in one namespace (tt.host, ordinary sockets
-- from the sock module), and the remote side in the other (tt.remote),
-- whose own stack never answers: its interface has no address and no IPv6,
-- and the kernel under test reaches the remote address through a permanent
-- neighbour entry. The harness injects the remote's segments there with a
-- packet socket and checks the kernel's segments as they arrive, by their
-- kernel receive timestamps.
--
-- Times are script times, as packetdrill's: each event's expected time is
-- the time of the event before it plus its `at`. An injected segment's
-- time is when it was sent; an expected segment's, when it arrived, so
-- that lateness does not pile up along a script. Sequence numbers are
-- relative both ways: the remote's to the ISN the harness picked, the
-- kernel's to the ISN of its SYN or SYN-ACK.
local lab = require "lab"
local packet = require "packet"
local f = require "frame"
local nl = require "netlink"
local loop = require "loop"
local report = require "tcpreport"

local tcptest = {}
local TT = {}
TT.__index = TT

local type, pairs, ipairs, tostring, error = type, pairs, ipairs, tostring, error
local random, abs = math.random, math.abs

--- A value that matches anything: options = tcptest.ANY, or one part of an option's value.
local ANY = report.ANY
tcptest.ANY = ANY
local differences, side_by_side = report.differences, report.side_by_side

local MOD = 4294967296

-- caller is "file:line" of the innermost Lua frame outside the harness
-- and the modules it uses: the line of the script's tt:expect.
local function caller()
  for level = 2, 100 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.currentline > 0 and not info.source:match("^stdlib/") then
      return info.source .. ":" .. info.currentline
    end
  end
  return "?"
end

-- fail records a failure of test t at the script's line and stops the
-- test, as t:fatal does (the runner shows msg, then detail).
local function fail(t, msg, detail)
  t.failures[#t.failures + 1] = { where = caller(), msg = msg, detail = detail }
  t.failed = true
  error(t, 0)
end

-- usage raises a Lua error at the script's line, for a wrong call.
local function usage(msg)
  error(caller() .. ": " .. msg, 0)
end

local function rel(x, base) return (x - base) % MOD end
local function abs32(x, base) return (x + base) % MOD end

-- Flags in Scapy's order, packetdrill's dot read as A.
local flag_order = "FSRPAUECN"
local function canon_flags(s)
  if type(s) ~= "string" then usage("flags must be a string such as \"SA\" or \"S.\"") end
  s = s:gsub("%.", "A")
  local out = {}
  for i = 1, #flag_order do
    local c = flag_order:sub(i, i)
    if s:find(c, 1, true) then out[#out + 1] = c end
  end
  local bad = s:gsub("[" .. flag_order .. "]", "")
  if bad ~= "" then usage("unknown TCP flag in " .. s .. ": " .. bad) end
  return table.concat(out)
end

-- expected_flags is an expect's flags in canonical form: a string, a
-- list of alternatives shown as "A|PA" (where the kernel's PSH falls
-- where GSO cut its write, not where the script can say), or ANY.
local function expected_flags(want)
  if want == ANY then return ANY end
  if type(want) ~= "table" then return canon_flags(want) end
  if #want == 0 then usage("flags: an empty list of alternatives") end
  local alts = {}
  for i, w in ipairs(want) do alts[i] = canon_flags(w) end
  return table.concat(alts, "|")
end

--- The sysctls packetdrill's tests assume (gtests/net/common/defaults.sh), set in tt.host unless opts.defaults is false.
tcptest.defaults = {
  ["net.ipv4.tcp_rmem"] = "4096 540000 15728640", ["net.ipv4.tcp_wmem"] = "4096 262144 4194304",
  ["net.ipv4.tcp_timestamps"] = 1, ["net.ipv4.tcp_syn_retries"] = 5, ["net.ipv4.tcp_synack_retries"] = 5,
  ["net.ipv4.tcp_frto"] = 2, ["net.ipv4.tcp_sack"] = 1, ["net.ipv4.tcp_dsack"] = 1, ["net.ipv4.tcp_fack"] = 0,
  ["net.ipv4.tcp_reordering"] = 3, ["net.ipv4.tcp_congestion_control"] = "cubic",
  ["net.ipv4.tcp_slow_start_after_idle"] = 0, ["net.ipv4.tcp_early_retrans"] = 4, ["net.ipv4.tcp_recovery"] = 1,
  ["net.ipv4.tcp_tso_win_divisor"] = 3, ["net.ipv4.tcp_ecn"] = 0, ["net.ipv4.tcp_ecn_option"] = 2,
  ["net.ipv4.tcp_pacing_ss_ratio"] = 200, ["net.ipv4.tcp_pacing_ca_ratio"] = 120,
  ["net.ipv4.tcp_notsent_lowat"] = 4294967295, ["net.ipv4.tcp_fastopen"] = 0x70403,
  ["net.ipv4.tcp_fastopen_key"] = "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4", ["net.ipv4.tcp_syncookies"] = 1,
}

-- tolerance_floor reads NETLUA_TCP_TOLERANCE: seconds, or 0 when unset.
local function tolerance_floor()
  local v = os.getenv("NETLUA_TCP_TOLERANCE")
  if v == nil or v == "" then return 0 end
  local n = tonumber(v)
  if n == nil or n < 0 then usage("NETLUA_TCP_TOLERANCE must be 0 or more seconds, not " .. ("%q"):format(v)) end
  return n
end

local defaults = { family = "ipv4", mss = 1000, tolerance = 0.004, tolerance_pct = 12.5, port = 8080 }

--- A lab pair for one scripted TCP test; see netlua doc tcptest.
function tcptest.new(t, opts)
  if type(t) ~= "table" or type(t.failures) ~= "table" then usage("tcptest.new: the first argument is the test's t") end
  opts = opts or {}
  local self = setmetatable({ t = t }, TT)
  for k, v in pairs(defaults) do self[k] = opts[k] == nil and v or opts[k] end
  if self.family ~= "ipv4" and self.family ~= "ipv6" then usage("tcptest.new: family must be ipv4 or ipv6") end
  self.tolerance_floor = tolerance_floor()
  self.remote_port = opts.remote_port or random(20000, 59999)
  self.remote_isn = opts.isn or random(1, MOD - 1)
  self:build_lab(opts)
  if opts.defaults ~= false then self:apply_defaults() end
  if opts.sysctl then self:sysctl(opts.sysctl) end
  self.frames = {}
  self.sock = packet.open(self.remote.ifname, { netns = self.remote,
    filter = ("(tcp or icmp or icmp6) and src host %s and dst host %s"):format(self.local_ip, self.remote_ip) })
  -- The host's own tap on its interface: an injected frame has reached
  -- the kernel under test once the tap has it.
  self.tap = packet.open(self.host.ifname, { netns = self.host,
    filter = "ether src " .. self.remote.mac })
  self.start = loop.time()
  self.last = self.start
  loop.defer(function() self:reset_connection() end)
  return self
end

-- reset_connection ends the kernel's connection with a RST from the
-- remote when the script ends: a connection whose segments the remote
-- never acknowledged would otherwise be orphaned when its socket closes,
-- retransmitting for minutes and holding the host's namespace alive. The
-- RST's sequence number is the kernel's last ACK (its rcv_nxt); a kernel
-- still in SYN-SENT gets a RST-ACK of its SYN.
function TT:reset_connection()
  if self.local_port == nil or self.sock == nil then return end
  self:drain()
  local rcv_nxt, syn
  for _, fr in ipairs(self.frames) do
    local p = f.parse(fr.bytes)
    if p.tcp and p.tcp.sport == self.local_port and p.tcp.dport == self.remote_port then
      if p.tcp.flags:find("A") then rcv_nxt = p.tcp.ack end
      if p.tcp.flags:find("S") then syn = p.tcp.seq end
    end
  end
  rcv_nxt, syn = rcv_nxt or self.rcv_nxt, syn or self.local_isn
  local tcp
  if rcv_nxt then
    tcp = f.tcp{ sport = self.remote_port, dport = self.local_port, seq = rcv_nxt, flags = "R", window = 0 }
  elseif syn then
    tcp = f.tcp{ sport = self.remote_port, dport = self.local_port, seq = 0, ack = (syn + 1) % MOD, flags = "RA", window = 0 }
  else
    return
  end
  pcall(self.sock.send, self.sock, f.build{ f.ether{ src = self.remote.mac, dst = self.host.mac }, self:ip_layer(), tcp })
end

-- apply_defaults sets tcptest.defaults in the host. A namespace other
-- than the first may only choose a congestion control that the machine
-- allows (tcp_allowed_congestion_control); when it may not, the sockets
-- the harness makes choose it for themselves (TCP_CONGESTION).
function TT:apply_defaults()
  local rest = {}
  for k, v in pairs(tcptest.defaults) do rest[k] = v end
  local cc = rest["net.ipv4.tcp_congestion_control"]
  rest["net.ipv4.tcp_congestion_control"] = nil
  self:sysctl(rest)
  if cc and not pcall(self.host.sysctl, self.host, "net.ipv4.tcp_congestion_control", cc) then
    self.congestion_control = cc
  end
end

-- build_lab makes the pair: a is the kernel under test, b the remote.
function TT:build_lab(opts)
  local a, b = lab.pair()
  self.lab_pair = { a, b }
  self.host, self.remote = a, b
  local v6 = self.family == "ipv6"
  self.local_ip = v6 and a.ip6 or a.ip
  self.remote_ip = v6 and b.ip6 or b.ip
  if opts.mtu then
    nl.set_link(a.ifname, { mtu = opts.mtu, netns = a })
    nl.set_link(b.ifname, { mtu = opts.mtu, netns = b })
  end
  -- The remote's stack must never answer: no address, no IPv6 at all
  -- (no link-local, no ICMPv6 errors), and no merging of what it receives.
  nl.del_addr(b.ifname, b.cidr, { netns = b })
  b:sysctl("net/ipv6/conf/" .. b.ifname .. "/disable_ipv6", 1)
  b:offload{ gro = false }
  -- The kernel under test: one wire segment per TCP segment, as on
  -- packetdrill's tun, and the remote reached without ARP or NDP.
  a:offload{ tso = false, gso = false, gro = false }
  nl.set_neigh(a.ifname, self.remote_ip, b.mac, { netns = a })
end

-- drain queues the frames the remote received from the kernel under
-- test. The capture socket is read, not watched (on), so that it does not
-- keep a script's loop alive; the kernel keeps frames and their receive
-- timestamps until they are read.
function TT:drain()
  while true do
    local bytes, info = self.sock:recv(0)
    if bytes == nil then return end
    if info.pkttype ~= "outgoing" then self.frames[#self.frames + 1] = { bytes = bytes, ts = info.ts } end
  end
end

-- poll_interval is how often the loop reads the capture socket while the
-- harness waits: a frame's time is its timestamp, not when it is read.
local poll_interval = 0.001

-- pump runs the loop for up to secs; with until_frame, only until a
-- frame arrives.
function TT:pump(secs, until_frame)
  local done = loop.after(secs > 0 and secs or 0, function() loop.stop() end)
  local poll = loop.every(poll_interval, function()
    self:drain()
    if until_frame and #self.frames > 0 then loop.stop() end
  end)
  local ok, err = pcall(loop.run)
  done:cancel()
  poll:cancel()
  self:drain()
  if not ok then error(err, 0) end
end

-- next_frame waits until deadline (loop.time) for the next frame.
function TT:next_frame(deadline)
  self:drain()
  while #self.frames == 0 do
    local left = deadline - loop.time()
    if left <= 0 then break end
    self:pump(left, true)
  end
  return table.remove(self.frames, 1)
end

--- Lets script time pass until secs after the event before, running the loop meanwhile; the next event counts from when it returns.
function TT:wait(secs)
  if type(secs) ~= "number" or secs < 0 then usage("tt:wait: seconds expected") end
  local left = self.last + secs - loop.time()
  if left > 0 then self:pump(left, false) end
  -- What the script does next happens now: a loop that woke late must
  -- not make the kernel's answer look late (packetdrill takes now too).
  self.last = loop.time()
end

-- at_time waits until the event's expected time, self.last + at.
function TT:at_time(at)
  if at == nil then at = 0 end
  if type(at) ~= "number" or at < 0 then usage("at must be a number of seconds >= 0") end
  local left = self.last + at - loop.time()
  if left > 0 then self:pump(left, false) end
end

-- send sends frame at seconds after the event before; the event's time
-- is taken before the send, since the kernel may answer within it.
function TT:send(frame, at)
  self:at_time(at)
  self.last = loop.time()
  self.sock:send(frame)
  -- Go on once the kernel under test has the frame, so that the script's
  -- next socket call finds the state the segment made (packetdrill's tun
  -- write returns so too).
  if self.tap:recv(1) == nil then
    usage("tt:inject: the kernel under test never received the frame (a frame larger than the link's MTU?)")
  end
end

-- ip_layer is the IP header of an injected frame, with the script's
-- extra fields (ttl, tos, ...).
function TT:ip_layer(ip)
  local l = { src = self.remote_ip, dst = self.local_ip }
  for k, v in pairs(ip or {}) do l[k] = v end
  if self.family == "ipv6" then
    l.hlim, l.ttl = l.hlim or l.ttl, nil
    l.tc, l.tos = l.tc or l.tos, nil
    return f.ipv6(l)
  end
  return f.ipv4(l)
end

-- wire_options turns the script's options into Scapy's form on the wire:
-- SACK blocks relative to the kernel's ISN, a timestamp's echo relative to
-- the kernel's own timestamps.
function TT:wire_options(opts)
  if opts == nil then return nil end
  local out = {}
  for i, o in ipairs(opts) do
    local name, v = o[1], o[2]
    if name == "SAck" then
      local flat = {}
      for _, b in ipairs(v) do
        flat[#flat + 1] = abs32(b[1], self:kernel_isn("SAck"))
        flat[#flat + 1] = abs32(b[2], self:kernel_isn("SAck"))
      end
      v = flat
    elseif name == "Timestamp" then
      v = { v[1], (v[2] + (self.ts_base or 0)) % MOD }
    end
    out[i] = v == nil and { name } or { name, v }
  end
  return out
end

function TT:kernel_isn(what)
  if self.local_isn == nil then
    usage(what .. " relative to the kernel's sequence numbers before its SYN or SYN-ACK was expected")
  end
  return self.local_isn
end

-- segment_of builds the remote's segment from a script's fields.
function TT:segment_of(s)
  local flags = canon_flags(s.flags)
  if s.options == nil and flags:find("S") then
    s.options = { { "MSS", self.mss } }
  end
  local ack = 0
  if s.ack ~= nil then ack = abs32(s.ack, self:kernel_isn("ack")) end
  if self.local_port == nil then usage("tt:inject before the kernel's port is known (tt:listen, or expect its SYN)") end
  local payload = s.payload or string.rep("\0", s.len or 0)
  return {
    self:ip_layer(s.ip),
    f.tcp{ sport = self.remote_port, dport = self.local_port, seq = abs32(s.seq or 0, self.remote_isn),
      ack = ack, flags = flags, window = s.win or 65535, urgptr = s.urg or 0, options = self:wire_options(s.options) },
    payload,
  }
end

--- Sends the remote's segment at its time; returns the frame sent.
function TT:inject(s)
  if type(s) ~= "table" then usage("tt:inject: a table of fields expected") end
  local layers = self:segment_of(s)
  table.insert(layers, 1, f.ether{ src = self.remote.mac, dst = self.host.mac })
  local frame = f.build(layers)
  self:send(frame, s.at)
  return frame
end

local icmp_codes4 = { net = 0, host = 1, proto = 2, port = 3, frag = 4, srcroute = 5 }
local icmp_codes6 = { noroute = 0, admin = 1, beyond = 2, addr = 3, host = 3, port = 4 }

--- Sends an ICMP error from the remote quoting a segment of the kernel's.
function TT:inject_icmp(s)
  if type(s) ~= "table" then usage("tt:inject_icmp: a table of fields expected") end
  local q = s.quote or {}
  -- The quoted segment goes from the kernel to the remote: swap the roles.
  local quoted = {
    self.family == "ipv6" and f.ipv6{ src = self.local_ip, dst = self.remote_ip }
      or f.ipv4{ src = self.local_ip, dst = self.remote_ip },
    f.tcp{ sport = self.local_port, dport = self.remote_port, seq = abs32(q.seq or 0, self:kernel_isn("quote.seq")),
      ack = q.ack and abs32(q.ack, self.remote_isn) or 0, flags = canon_flags(q.flags or "A"), window = q.win or 0 },
  }
  local icmp
  if self.family == "ipv6" then
    -- IPv6's "fragmentation needed" is its own type, packet too big.
    local ty = ({ unreach = 1, toobig = 2, timeexceeded = 3 })[s.type or "unreach"] or s.type
    local code = icmp_codes6[s.code] or s.code or 0
    if s.code == "frag" then ty, code = 2, 0 end
    icmp = f.icmp6{ type = ty, code = code, mtu = ty == 2 and s.mtu or nil }
  else
    local ty = ({ unreach = 3, timeexceeded = 11 })[s.type or "unreach"] or s.type
    icmp = f.icmp4{ type = ty, code = icmp_codes4[s.code] or s.code or 0, nexthopmtu = s.mtu }
  end
  local frame = f.build{ f.ether{ src = self.remote.mac, dst = self.host.mac }, self:ip_layer(s.ip), icmp,
    f.build(quoted) }
  self:send(frame, s.at)
  return frame
end

-- actual is the kernel's segment p as the script sees it: relative
-- numbers, the remote's ISN and the kernel's learnt on the way.
function TT:actual(p, ts)
  local tcp = p.tcp
  local flags = canon_flags(tcp.flags)
  if flags:find("S") then self.local_isn = tcp.seq end
  if flags:find("A") then self.rcv_nxt = tcp.ack end
  if self.local_port == nil then self.local_port = tcp.sport end
  local a = { flags = flags, win = tcp.window, urg = tcp.urgptr, time = ts, packet = p }
  a.seq = self.local_isn and rel(tcp.seq, self.local_isn) or tcp.seq
  a.ack = flags:find("A") and rel(tcp.ack, self.remote_isn) or tcp.ack
  a.len = #p.payload
  a.payload = p.payload
  a.options = {}
  for _, o in ipairs(tcp.options or {}) do
    if o[1] ~= "EOL" then a.options[#a.options + 1] = self:script_option(o) end
  end
  if p.ipv4 then
    a.ip = { ttl = p.ipv4.ttl, tos = p.ipv4.tos, id = p.ipv4.id, flags = p.ipv4.flags }
  else
    a.ip = { ttl = p.ipv6.hlim, tos = p.ipv6.tc, fl = p.ipv6.fl }
  end
  return a
end

-- script_option is a kernel's option as a script writes it.
function TT:script_option(o)
  local name, v = o[1], o[2]
  if name == "SAck" and type(v) == "table" then
    local blocks = {}
    for i = 1, #v - 1, 2 do blocks[#blocks + 1] = { rel(v[i], self.remote_isn), rel(v[i + 1], self.remote_isn) } end
    return { name, blocks }
  elseif name == "Timestamp" and type(v) == "table" then
    return { name, { v[1], v[2] } }
  end
  return v == nil and { name } or { name, v }
end

-- learn_ts takes the kernel's timestamp offset from its first segment with
-- a timestamp, so that injected echoes can be written as the script's
-- values (packetdrill maps them so too).
function TT:learn_ts(want, got)
  if self.ts_base ~= nil then return end
  for _, o in ipairs(got.options) do
    if o[1] == "Timestamp" then
      local script_val = 0
      for _, w in ipairs(type(want) == "table" and want or {}) do
        if w[1] == "Timestamp" and type(w[2]) == "table" and type(w[2][1]) == "number" then script_val = w[2][1] end
      end
      self.ts_base = (o[2][1] - script_val) % MOD
    end
  end
end

-- allowed is the timing tolerance of an event at seconds after the last:
-- never less than NETLUA_TCP_TOLERANCE, which widens a run's every check
-- on a slow machine (packetdrill's --tolerance_usecs).
function TT:allowed(at, s)
  return math.max(s.tolerance or self.tolerance, self.tolerance_floor) + (self.tolerance_pct / 100) * at
end


--- Waits for the kernel's next segment and checks it against s; returns it.
function TT:expect(s)
  if type(s) ~= "table" then usage("tt:expect: a table of fields expected") end
  if s.flags == nil then usage("tt:expect: flags must be given") end
  local want_flags = expected_flags(s.flags)
  local at = s.at or 0
  local allowed = self:allowed(at, s)
  local deadline = self.last + (s.timeout or (at + allowed + 1))
  local fr = self:next_tcp(deadline)
  if fr == nil then
    fail(self.t, ("tt:expect: no segment from the kernel within %g s"):format(deadline - self.last),
      side_by_side(s, nil, want_flags, self:timing(at, nil, allowed)))
  end
  local got = self:actual(fr.p, fr.ts)
  self:learn_ts(s.options, got)
  local timing = self:timing(at, fr.ts, allowed)
  self.last = fr.ts
  local diffs = differences(s, got, want_flags)
  if diffs or not timing.ok then
    local what = diffs and "segment differs" or ("segment %s by %.4f s"):format(timing.offset > 0 and "late" or "early", abs(timing.offset))
    fail(self.t, "tt:expect: " .. what, side_by_side(s, got, want_flags, timing))
  end
  return got
end

-- timing compares an arrival at ts with the expected time.
function TT:timing(at, ts, allowed)
  local tm = { at = at, allowed = allowed }
  if ts == nil then return tm end
  tm.actual = ts - self.last
  tm.offset = tm.actual - at
  tm.ok = abs(tm.offset) <= allowed
  return tm
end

-- next_tcp is the next TCP segment of the connection from the kernel,
-- parsed, or nil after deadline; what else it sent the remote (ICMP
-- errors, other connections' segments) is kept in tt.other.
function TT:next_tcp(deadline)
  while true do
    local fr = self:next_frame(deadline)
    if fr == nil then return nil end
    local p = f.parse(fr.bytes)
    if p.tcp and p.tcp.dport == self.remote_port and (self.local_port == nil or p.tcp.sport == self.local_port) then
      return { p = p, ts = fr.ts, bytes = fr.bytes }
    end
    self.other = self.other or {}
    self.other[#self.other + 1] = p
  end
end

--- Fails if the kernel sends a segment within secs.
function TT:expect_none(secs)
  if type(secs) ~= "number" or secs < 0 then usage("tt:expect_none: seconds expected") end
  local deadline = self.last + secs
  local fr = self:next_tcp(deadline)
  if fr ~= nil and fr.ts <= deadline then
    local got = self:actual(fr.p, fr.ts)
    fail(self.t, ("tt:expect_none: a segment arrived %.4f s after the last event, within %g s"):format(fr.ts - self.last, secs),
      side_by_side({}, got, got.flags, nil))
  elseif fr ~= nil then
    table.insert(self.frames, 1, { bytes = fr.bytes, ts = fr.ts })
  end
  self.last = deadline
end

--- Applies sysctls in the host under test (gone with its namespace).
function TT:sysctl(settings)
  if type(settings) ~= "table" then usage("tt:sysctl: a table of settings expected") end
  return self.host:sysctl(settings)
end

--- The kernel's struct tcp_info of socket s, as s:tcp_info() gives it.
function TT:tcp_info(s)
  return s:tcp_info()
end

-- sock is the sock module, loaded when the first socket is made.
local function sockmod() return require "sock" end

--- A plain sock.tcp in the host under test.
function TT:socket(opts)
  local o = { family = self.family, netns = self.host }
  for k, v in pairs(opts or {}) do o[k] = v end
  local s = sockmod().tcp(o)
  if self.congestion_control then s:setsockopt("TCP_CONGESTION", self.congestion_control) end
  return s
end

--- A listening socket in the host under test, bound to local_ip:port.
function TT:listen(port, opts)
  port = port or self.port
  opts = opts or {}
  local s = self:socket()
  s:setsockopt("SO_REUSEADDR", true)
  s:bind(self.local_ip, port)
  s:listen(opts.backlog or 1)
  self.local_port = port
  return s
end

--- A socket in the host under test connecting to remote_ip:port, not waiting for the handshake.
function TT:connect(port, opts)
  if port then self.remote_port = port end
  local s = self:socket(opts)
  self.connecting = self:go(function() s:connect(self.remote_ip, self.remote_port); return s end)
  return s
end

--- sock.go(fn, ...) on the harness's clock: the task's at is when fn returned, in seconds after the event before it started.
function TT:go(fn, ...)
  local started = self.last
  local rec = {}
  local task = sockmod().go(function(...)
    local function finish(...)
      rec.at = loop.time() - started
      return ...
    end
    return finish(fn(...))
  end, ...)
  return setmetatable({}, { __index = function(_, k)
    if k == "at" then return rec.at end
    local v = task[k]
    if type(v) == "function" then return function(_, ...) return v(task, ...) end end
    return v
  end })
end

--- Checks that task returned at seconds after the event before it started, within tolerance; returns its results.
function TT:returned(task, at)
  local res = { task:wait(at + self:allowed(at, {}) + 1) }
  local offset = (task.at or math.huge) - at
  if abs(offset) > self:allowed(at, {}) then
    fail(self.t, ("tt:returned: the call returned at +%.4f, expected +%.3f (offset %+.4f, tolerance %.4f)")
      :format(task.at or -1, at, offset, self:allowed(at, {})))
  end
  return unpack(res)
end

return tcptest
