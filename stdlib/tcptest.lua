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

local tcptest = {}
local TT = {}
TT.__index = TT

local type, pairs, ipairs, tostring, error = type, pairs, ipairs, tostring, error
local floor, random, abs = math.floor, math.random, math.abs

--- A value that matches anything: options = tcptest.ANY, or one part of an option's value.
local ANY = setmetatable({}, { __tostring = function() return "ANY" end })
tcptest.ANY = ANY

local MOD = 4294967296
local harness = debug.getinfo(1, "S").source

-- caller is "file:line" of the innermost Lua frame outside the harness:
-- the line of the script's tt:expect.
local function caller()
  for level = 2, 100 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.source ~= harness and info.source ~= "=[C]" and info.currentline > 0
        and not info.source:match("^stdlib/") then
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

-- flags_fit says whether the kernel's flags got are one of want's.
local function flags_fit(want, got)
  if want == ANY then return true end
  for alt in want:gmatch("[^|]+") do
    if alt == got then return true end
  end
  return want == got
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

local defaults = { family = "ipv4", mss = 1000, tolerance = 0.004, tolerance_pct = 12.5, port = 8080 }

--- A lab pair for one scripted TCP test; see netlua doc tcptest.
function tcptest.new(t, opts)
  if type(t) ~= "table" or type(t.failures) ~= "table" then usage("tcptest.new: the first argument is the test's t") end
  opts = opts or {}
  local self = setmetatable({ t = t }, TT)
  for k, v in pairs(defaults) do self[k] = opts[k] == nil and v or opts[k] end
  if self.family ~= "ipv4" and self.family ~= "ipv6" then usage("tcptest.new: family must be ipv4 or ipv6") end
  self.remote_port = opts.remote_port or random(20000, 59999)
  self.remote_isn = opts.isn or random(1, MOD - 1)
  self:build_lab(opts)
  if opts.defaults ~= false then self:apply_defaults() end
  if opts.sysctl then self:sysctl(opts.sysctl) end
  self.frames = {}
  self.sock = packet.open(self.remote.ifname, { netns = self.remote,
    filter = ("(tcp or icmp or icmp6) and src host %s and dst host %s"):format(self.local_ip, self.remote_ip) })
  self.sock:on(function(bytes, info) self:arrived(bytes, info) end)
  self.start = loop.time()
  self.last = self.start
  return self
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

-- arrived queues a frame the remote received from the kernel under test.
function TT:arrived(bytes, info)
  if info.pkttype == "outgoing" then return end
  self.frames[#self.frames + 1] = { bytes = bytes, ts = info.ts }
  if self.waiting then loop.stop() end
end

-- pump runs the loop for up to secs; with until_frame, only until a
-- frame arrives.
function TT:pump(secs, until_frame)
  local timer = loop.after(secs > 0 and secs or 0, function() loop.stop() end)
  self.waiting = until_frame
  local ok, err = pcall(loop.run)
  self.waiting = false
  timer:cancel()
  if not ok then error(err, 0) end
end

-- next_frame waits until deadline (loop.time) for the next frame.
function TT:next_frame(deadline)
  while #self.frames == 0 do
    local left = deadline - loop.time()
    if left <= 0 then
      self:pump(0.002, true) -- frames already posted to the loop
      break
    end
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
  if s.options == nil and flags:find("S") and not flags:find("A") then
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
    local ty = ({ unreach = 1, toobig = 2, ["too-big"] = 2, timeexceeded = 3 })[s.type or "unreach"] or s.type
    icmp = f.icmp6{ type = ty, code = icmp_codes6[s.code] or s.code or 0, mtu = ty == 2 and s.mtu or nil }
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

-- allowed is the timing tolerance of an event at seconds after the last.
function TT:allowed(at, s)
  return (s.tolerance or self.tolerance) + (self.tolerance_pct / 100) * at
end

-- The report: a failed expect shows the expected and the actual segment
-- side by side, the differing fields marked.

-- matches says whether an actual value fits the script's: ANY fits all,
-- tables are compared element by element.
local function matches(want, got)
  if want == nil or want == ANY then return true end
  if type(want) ~= "table" then return want == got end
  if type(got) ~= "table" or #want ~= #got then return false end
  for i = 1, #want do
    if not matches(want[i], got[i]) then return false end
  end
  return true
end

-- options_match compares option lists in order, by name and value.
local function options_match(want, got)
  if want == nil or want == ANY then return true end
  if #want ~= #got then return false end
  for i, w in ipairs(want) do
    local wv, gv = w[2], got[i][2]
    if w[1] == "Timestamp" and type(wv) == "table" then
      -- The kernel's own TS val is not checked (packetdrill's default):
      -- its first value only sets the base of later echoes.
      wv = { ANY, wv[2] }
    end
    if w[1] ~= got[i][1] or not matches(wv, gv) then return false end
  end
  return true
end

local function val(v) return v == ANY and "*" or tostring(v) end

-- Options as packetdrill writes them: mss 1460,sackOK,nop,wscale 7.
local option_text = {
  MSS = function(v) return "mss " .. val(v) end,
  SAckOK = function() return "sackOK" end,
  NOP = function() return "nop" end,
  EOL = function() return "eol" end,
  WScale = function(v) return "wscale " .. val(v) end,
  Timestamp = function(v)
    if v == ANY or v == nil then return "TS *" end
    return "TS val " .. val(v[1]) .. " ecr " .. val(v[2])
  end,
  SAck = function(v)
    if v == ANY or v == nil then return "sack *" end
    local parts = {}
    for i, b in ipairs(v) do parts[i] = val(b[1]) .. ":" .. val(b[2]) end
    return "sack " .. table.concat(parts, " ")
  end,
}

local function options_string(opts)
  if opts == nil then return nil end
  if opts == ANY then return "ANY" end
  local parts = {}
  for i, o in ipairs(opts) do
    local fn = option_text[o[1]]
    parts[i] = fn and fn(o[2]) or (o[1] .. (o[2] ~= nil and " " .. val(o[2]) or ""))
  end
  return "<" .. table.concat(parts, ",") .. ">"
end

local compared = { "seq", "ack", "win", "len", "urg" }

-- differences lists the fields of got that do not fit the script's s.
local function differences(s, got, want_flags)
  local d = {}
  if not flags_fit(want_flags, got.flags) then d.flags = true end
  for _, k in ipairs(compared) do
    if not matches(s[k], got[k]) then d[k] = true end
  end
  if s.payload ~= nil and s.payload ~= got.payload then d.payload = true end
  if not options_match(s.options, got.options) then d.options = true end
  for k, v in pairs(s.ip or {}) do
    if not matches(v, got.ip[k]) then d["ip." .. k] = true end
  end
  return next(d) and d or nil
end

-- rows are the report's lines: field, expected, actual.
local function rows(s, got, want_flags)
  local r = { { "flags", val(want_flags), got and got.flags } }
  for _, k in ipairs(compared) do
    if s[k] ~= nil or (got and (k ~= "urg" or got.urg ~= 0)) then
      r[#r + 1] = { k, s[k] ~= nil and val(s[k]) or "-", got and tostring(got[k]) }
    end
  end
  if s.payload ~= nil then
    r[#r + 1] = { "payload", ("%q"):format(s.payload:sub(1, 16)), got and ("%q"):format(got.payload:sub(1, 16)) }
  end
  r[#r + 1] = { "options", options_string(s.options) or "-", got and options_string(got.options) }
  local keys = {}
  for k in pairs(s.ip or {}) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do r[#r + 1] = { "ip." .. k, val(s.ip[k]), got and tostring(got.ip[k]) } end
  return r
end

-- time_row is the report's time line.
local function time_row(tm)
  if tm == nil then return nil end
  local want = ("+%.3f"):format(tm.at)
  if tm.actual == nil then return { "time", want, ("(none within the wait, tolerance %.4f)"):format(tm.allowed) } end
  local verdict = tm.ok and "ok" or ("off by %+.4f"):format(tm.offset)
  return { "time", want, ("%+.4f (%s, tolerance %.4f)"):format(tm.actual, verdict, tm.allowed) }
end

-- side_by_side is the detail of a failed expect.
local function side_by_side(s, got, want_flags, tm)
  local r = rows(s, got, want_flags)
  r[#r + 1] = time_row(tm)
  local diff = got and differences(s, got, want_flags) or {}
  if tm and tm.actual and not tm.ok then diff.time = true end
  local w1, w2 = #"field", #"expected"
  for _, row in ipairs(r) do
    w1, w2 = math.max(w1, #row[1]), math.max(w2, #row[2])
  end
  local fmt = "%s %-" .. w1 .. "s  %-" .. w2 .. "s  %s"
  local lines = { (fmt:format(" ", "field", "expected", "actual"):gsub("%s+$", "")) }
  for _, row in ipairs(r) do
    local line = fmt:format(diff[row[1]] and "*" or " ", row[1], row[2], row[3] or "-")
    lines[#lines + 1] = (line:gsub("%s+$", ""))
  end
  return table.concat(lines, "\n")
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

-- next_tcp is the next TCP segment from the kernel (ICMP errors it sends
-- are kept in tt.icmp), parsed, or nil after deadline.
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
  if self.congestion_control and s.setsockopt then s:setsockopt("TCP_CONGESTION", self.congestion_control) end
  return s
end

--- A listening socket in the host under test, bound to local_ip:port.
function TT:listen(port, opts)
  port = port or self.port
  opts = opts or {}
  local s = self:socket()
  if s.setsockopt then s:setsockopt("SO_REUSEADDR", true) end -- a fresh namespace has nothing in TIME_WAIT
  s:bind(self.local_ip, port)
  s:listen(opts.backlog or 1)
  self.local_port = port
  return s
end

--- A socket in the host under test connecting to remote_ip:port, not waiting for the handshake.
function TT:connect(port, opts)
  if port then self.remote_port = port end
  if sockmod().go == nil then -- sock without tasks: a non-blocking connect
    local o = { nonblock = true }
    for k, v in pairs(opts or {}) do o[k] = v end
    local s = self:socket(o)
    s:connect(self.remote_ip, self.remote_port)
    return s
  end
  local s = self:socket(opts)
  -- Not a tail call: only a plain call parks its task (see sock.go).
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
