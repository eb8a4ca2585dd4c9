-- bench/compare.lua [--quick] [ROUNDS]: netlua against the tools people
-- would use instead, on one lab veth pair, in one run, as one table:
--
--   blast            s:blast (Go, sendmmsg)        vs trafgen -P1
--   blast, all CPUs  s:blast, a worker per CPU     vs trafgen on all CPUs (its default)
--   send loop        a Lua loop of s:send          vs trafgen -P1
--   build+send loop  Lua building every frame      vs Scapy (conf.L2socket, building every frame)
--                    (and with every layer's table made anew, for reference)
--   capture          s:capture at trafgen's rate   vs tcpdump -w, same sender
--   capture, all CPUs s:capture, a worker per CPU  vs tcpdump -w and netsniff-ng, trafgen on all CPUs
--   replay           s:replay --topspeed           vs tcpreplay --topspeed, and vs blast
--                    s:replay at recorded timing   vs tcpreplay (bench/replay_timing.lua)
--   parse DNS        f.parse of a DNS query        vs Scapy's Ether(bytes)
--                    (and reading its question too, for reference)
--   srp1             s:srp1 ARP round trips        vs Scapy's srp1 (and on one L2socket)
--   ARP sweep        scan.arping of a /24, 20 up   vs Scapy's arping, same timeout
--   TCP echo         sock round trips, 64 bytes    vs the same loops in Go's net (bench/tcpecho)
--   UDP req/resp     sock round trips, 64 bytes    vs the same loops in Go's net
--   startup          netlua -e ''                  vs python3 -c 'import scapy.all'
--   lab tree         tree,depth=2,fanout=2 built   vs Mininet (and ip netns/ip link in sh)
--
-- The receiver drops everything in an nftables netdev ingress chain of
-- its own namespace (after packet sockets have seen the frames), so the
-- senders are measured, not the receiver's stack. Each sender figure is
-- the median of ROUNDS rounds (default 3), taken in turns. --quick sends
-- few frames, to check the runner itself (the tests run it so).
--
--   sudo ./netlua scripts/bench/compare.lua
--
-- Needs trafgen (netsniff-ng), tcpdump, tcpreplay, Scapy (python3-scapy), Mininet
-- (mininet, bridge-utils) and Go (to build bench/tcpecho once); a tool
-- that is missing leaves its row out with a note.
local lab, nft, loop = require "lab", require "nft", require "loop"
local benchframe = require "benchframe"

local quick = arg[1] == "--quick"
local rounds = tonumber(quick and arg[2] or arg[1]) or (quick and 1 or 3)
local n = {
  send = quick and 20000 or 1000000,    -- frames for blast, send loop, trafgen
  capture = quick and 20000 or 1000000, -- frames sent at full rate to capture
  build = quick and 2000 or 200000,     -- frames built and sent by Lua
  scapy = quick and 200 or 5000,        -- frames built and sent by Scapy
  parse = quick and 2000 or 300000,     -- frames parsed by Lua
  scapyParse = quick and 100 or 3000,   -- frames parsed by Scapy
  srp1 = quick and 200 or 10000,        -- netlua's srp1 round trips
  scapySrp1 = quick and 10 or 100,      -- Scapy's srp1, a socket per call
  scapySr1 = quick and 20 or 1000,      -- Scapy's sr1 on one L2socket
  echo = quick and 2000 or 100000,      -- TCP and UDP round trips, each side
  replay = quick and 20000 or 1000000,  -- frames of the capture replayed at top speed
  timing = quick and 500 or 5000,       -- frames 1 ms apart replayed at recorded speed
}
local netlua = arg[-1]
local dir = arg[0]:match("^(.*)/[^/]*$") or "."
local python = io.open("/usr/bin/python3") and "/usr/bin/python3" or "python3"

local a, b = lab.pair()
nft.drop{ hook = "ingress", iface = b.ifname, netns = b }
local frame = benchframe.build(a.mac)

-- run runs argv in host and returns its output; a failure is an error
-- that shows what it printed.
local function run(host, argv, opts)
  local out, status = host:exec(argv, opts)
  if status ~= 0 then
    error(("%s exited with status %d:\n%s"):format(argv[1], status, out), 2)
  end
  return out
end

-- have reports whether the program name is installed.
local function have(name)
  return os.execute("command -v " .. name .. " >/dev/null 2>&1") == 0
end

local tmp, read = benchframe.tmp, benchframe.read

-- waitFor waits until the file's text matches pattern and returns the
-- captures, or fails after seconds.
local function waitFor(name, pattern, seconds)
  local deadline = now() + seconds
  while true do
    local text = read(name)
    local m = { text:match(pattern) }
    if #m > 0 then return unpack(m) end
    if now() > deadline then
      error(("no %q in %s after %g s:\n%s"):format(pattern, name, seconds, text), 2)
    end
    sleep(0.05)
  end
end

-- trafgen sends count copies of frame out of a with trafgen -P1, or with
-- all true on every CPU (its default), and returns its rate: the frames of
-- all its threads over the longest CPU time one of them spent.
local function trafgen(count, all)
  local argv = { "trafgen", "--no-sock-mem", "--notouch-irq", "-i", "-", "-o", a.ifname, "-n", tostring(count) }
  if not all then table.insert(argv, 2, "-P1") end
  local out = run(a, argv, { stdin = benchframe.trafgen(frame), timeout = 120 })
  local sent, longest = 0, 0
  for sec, usec, n in out:gmatch("(%d+) sec, (%d+) usec on CPU%d+ %((%d+) packets%)") do
    sent, longest = sent + tonumber(n), math.max(longest, tonumber(sec) + tonumber(usec) / 1e6)
  end
  assert(sent > 0, "no rate in trafgen's output:\n" .. out)
  return sent / longest
end

-- script runs a bench script in a and returns the pps it printed.
local function script(name, ...)
  local out = run(a, { netlua, dir .. "/" .. name, ... }, { timeout = 120 })
  return assert(benchframe.pps(out), name .. " printed no rate:\n" .. out)
end

local median = benchframe.median

local rows, notes = {}, {}
-- row adds a line to the table: the figure, netlua's value and the
-- reference's in unit, their ratio, the goal in words and whether it is met.
local function row(figure, ours, theirs, unit, ratio, goal, met)
  rows[#rows + 1] = { figure = figure, ours = ours, theirs = theirs, unit = unit, ratio = ratio, goal = goal, met = met }
end

-- Senders, in turns.
local tg, blast, loopSend, tgAll, blastAll, blastXDP = {}, {}, {}, {}, {}, {}
local haveTrafgen = have("trafgen")
for i = 1, rounds do
  blast[i] = script("blast.lua", a.ifname, tostring(n.send), "30", "1")
  blastAll[i] = script("blast.lua", a.ifname, tostring(n.send), "30")
  blastXDP[i] = script("blast_xdp.lua", a.ifname, tostring(n.send), "30")
  loopSend[i] = script("send_loop.lua", a.ifname, tostring(n.send), "30")
  if haveTrafgen then tg[i], tgAll[i] = trafgen(n.send), trafgen(n.send, true) end
end
blast, loopSend, blastAll, blastXDP = median(blast), median(loopSend), median(blastAll), median(blastXDP)
if haveTrafgen then
  tg, tgAll = median(tg), median(tgAll)
  row("blast / trafgen -P1", blast, tg, "pps", blast / tg, ">= 1.10", blast / tg >= 1.10)
  row("blast (all workers) / trafgen (all CPUs)", blastAll, tgAll, "pps", blastAll / tgAll, ">= 1.10", blastAll / tgAll >= 1.10)
  row("s:send loop / trafgen -P1", loopSend, tg, "pps", loopSend / tg, ">= 0.60", loopSend / tg >= 0.60)
else
  notes[#notes + 1] = "trafgen is not installed (apt-get install netsniff-ng): blast and send loop alone: "
    .. ("%.0f and %.0f pps"):format(blast, loopSend)
end
local bestPacket = math.max(blast, blastAll)
row("blast xdp / best AF_PACKET blast", blastXDP, bestPacket, "pps", blastXDP / bestPacket, ">= 1.5", blastXDP / bestPacket >= 1.5)

-- Replay: a capture of n.replay copies of the frame, sent again at top
-- speed by scripts/replay.lua and by tcpreplay, in turns; and at the
-- recorded timing, n.timing frames 1 ms apart (bench/replay_timing.lua).
local okReplay, err = pcall(function()
  local file = tmp()
  local w = require("pcap").writer(file)
  for i = 1, n.replay do w:write(frame, 1.7e9 + i * 1e-6) end
  w:close()
  assert(have("tcpreplay"), "tcpreplay is not installed (apt-get install tcpreplay)")
  local ours, theirs = {}, {}
  for i = 1, rounds do
    ours[i] = benchframe.pps(run(a, { netlua, dir .. "/../replay.lua", a.ifname, file, "--topspeed" }, { timeout = 120 }))
    theirs[i] = benchframe.pps(run(a, { "tcpreplay", "-i", a.ifname, "--topspeed", file }, { timeout = 120 }))
  end
  ours, theirs = median(ours), median(theirs)
  row("replay top speed / tcpreplay --topspeed", ours, theirs, "pps", ours / theirs, ">= 1.0", ours / theirs >= 1.0)
  row("  replay top speed / blast", ours, blast, "pps", ours / blast, ">= 0.9", ours / blast >= 0.9)
  local out = run(a, { netlua, dir .. "/replay_timing.lua", tostring(n.timing), "10" }, { timeout = 600 })
  local function p(who) return out:match(who .. " x1: .- offset p50 ([%d.]+) us, p99 ([%d.]+) us") end
  local p50, p99 = p("netlua")
  local _, tp99 = p("tcpreplay")
  p50, p99, tp99 = tonumber(p50), tonumber(p99), tonumber(tp99)
  assert(p50 and tp99, "replay_timing.lua printed no offsets:\n" .. out)
  row(("replay %d x 1 ms, p99 offset / tcpreplay"):format(n.timing), p99, tp99, "us", tp99 / p99,
    "p50 < 20, p99 < 200", p50 < 20 and p99 < 200)
end)
if not okReplay then
  notes[#notes + 1] = "the replay rows did not run: " .. tostring(err):match("[^\n]*")
end

local build = script("build_send.lua", a.ifname, tostring(n.build), "30")
local fresh = script("build_send.lua", a.ifname, tostring(n.build), "30", "fresh")
local okScapy, scapy = pcall(function()
  local out = run(a, { python, dir .. "/scapy_build_send.py", a.ifname, tostring(n.scapy) }, { timeout = 300 })
  return assert(benchframe.pps(out), "no rate from Scapy:\n" .. out)
end)
if okScapy then
  row("build+send loop / Scapy", build, scapy, "pps", build / scapy, ">= 50", build / scapy >= 50)
  row("  all layer tables new / Scapy", fresh, scapy, "pps", fresh / scapy, "(for reference)")
else
  notes[#notes + 1] = "Scapy did not run (apt-get install python3-scapy): " .. tostring(scapy):match("[^\n]*")
end

-- Capture: a receiver in b, trafgen sending as fast as it can from a.
-- The receiver runs in the background under timeout(1), and is stopped at
-- exit whichever way compare.lua ends, so none outlives it for long.
-- send is the sender (default trafgen -P1), ready what the receiver says
-- once it listens (default "listening on"). finish gets signal(name),
-- which signals the receiver: in b, whose PID namespace its pid is of.
local function captured(start, finish, send, ready)
  local log = tmp()
  local pid = run(b, { "sh", "-c", "timeout 60 " .. start(log) .. " >" .. log .. " 2>&1 </dev/null & echo $!" })
  pid = pid:match("%d+")
  local function signal(name)
    local _, status = b:exec{ "kill", "-" .. name, pid }
    return status == 0
  end
  loop.defer(function() pcall(signal, "TERM") end)
  waitFor(log, ready or "listening on", 30)
  ;(send or trafgen)(n.capture)
  return finish(log, signal)
end
if haveTrafgen and have("tcpdump") then
  local ours = captured(function()
    return ("%q %q %s %d 20 %q udp"):format(netlua, dir .. "/capture.lua", b.ifname, n.capture, tmp())
  end, function(log)
    return tonumber((waitFor(log, "(%d+) frames captured", 30)))
  end)
  local theirs = captured(function()
    return ("tcpdump -n -i %s -c %d -w %q udp"):format(b.ifname, n.capture, tmp())
  end, function(log, signal)
    sleep(1) -- what is queued, tcpdump writes; then ^C, as a user would
    signal("INT")
    return tonumber((waitFor(log, "(%d+) packets? captured", 30)))
  end)
  row("capture / tcpdump -w, % of frames", 100 * ours / n.capture, 100 * theirs / n.capture, "%",
    ours / math.max(theirs, 1), "100%, >= tcpdump", ours == n.capture and ours >= theirs)
  -- Every CPU sending, every CPU capturing.
  local function trafgenAll(count) return trafgen(count, true) end
  ours = captured(function()
    return ("%q %q %s %d 20 %q udp 0"):format(netlua, dir .. "/capture.lua", b.ifname, n.capture, tmp())
  end, function(log)
    return tonumber((waitFor(log, "(%d+) frames captured", 30)))
  end, trafgenAll)
  theirs = captured(function()
    return ("tcpdump -n -i %s -c %d -w %q udp"):format(b.ifname, n.capture, tmp())
  end, function(log, signal)
    sleep(1)
    signal("INT")
    return tonumber((waitFor(log, "(%d+) packets? captured", 30)))
  end, trafgenAll)
  row("capture (all workers) / tcpdump -w, trafgen all CPUs, %", 100 * ours / n.capture, 100 * theirs / n.capture, "%",
    ours / math.max(theirs, 1), "100%, >= tcpdump", ours == n.capture and ours >= theirs)
  if have("netsniff-ng") then
    -- netsniff-ng takes seconds to start (it says "Running!" when it
    -- listens) and may not end at ^C while no frame comes: it gets 15 s,
    -- then SIGKILL, and its file's records are counted with tcpdump -r.
    local file = tmp()
    local sniffed = captured(function()
      return ("netsniff-ng -i %s -o %q -s -n %d --no-sock-mem udp"):format(b.ifname, file, n.capture)
    end, function(log, signal)
      sleep(1)
      signal("INT")
      local deadline = now() + 15
      while signal("0") and now() < deadline do sleep(0.1) end
      signal("KILL")
      return tonumber((run(b, { "sh", "-c", ("tcpdump -r %q 2>/dev/null | wc -l"):format(file) }):match("%d+")))
    end, trafgenAll, "Running!")
    row("  / netsniff-ng, % of frames", 100 * ours / n.capture, 100 * sniffed / n.capture, "%",
      ours / math.max(sniffed, 1), "100%, >= netsniff-ng", ours == n.capture and ours >= sniffed)
  else
    notes[#notes + 1] = "netsniff-ng is not installed (apt-get install netsniff-ng): no capture row against it"
  end
else
  notes[#notes + 1] = "capture needs trafgen and tcpdump"
end

-- Parse, in turns: no frame is sent, the lab host only runs them.
local parse, parseQ, scapyParse = {}, {}, {}
local dnsHex = benchframe.dns():gsub(".", function(c) return ("%02x"):format(c:byte()) end)
local okParse, err = pcall(function()
  for i = 1, rounds do
    parse[i] = script("parse_dns.lua", tostring(n.parse))
    parseQ[i] = script("parse_dns.lua", tostring(n.parse), "question")
    local out = run(a, { python, dir .. "/scapy_parse_dns.py", dnsHex, tostring(n.scapyParse) }, { timeout = 300 })
    scapyParse[i] = assert(benchframe.pps(out), "no rate from Scapy:\n" .. out)
  end
end)
if okParse then
  parse, parseQ, scapyParse = median(parse), median(parseQ), median(scapyParse)
  row("parse Ether/IPv4/UDP/DNS / Scapy", parse, scapyParse, "pps", parse / scapyParse, ">= 100", parse / scapyParse >= 100)
  row("  and read its question / Scapy", parseQ, scapyParse, "pps", parseQ / scapyParse, "(for reference)")
else
  notes[#notes + 1] = "Scapy did not parse (apt-get install python3-scapy): " .. tostring(err):match("[^\n]*")
end

-- Conversations, on a LAN of 21 hosts (the others' ingress drops
-- nothing here: the peers' kernels answer): srp1 round trips to one, and
-- an ARP sweep of the /24 that finds the 20, both timeouts 1 s.
local okConv, err = pcall(function()
  local hosts = {}
  local l = lab.new()
  for i = 1, 21 do hosts[i] = l:host() end
  local ends = { l:lan(unpack(hosts)) }
  local s, peer, net = ends[1], ends[2].ip, ends[1].cidr:gsub("%.1/", ".0/")
  local function rate(argv)
    local out = run(s, argv, { timeout = 300 })
    return assert(benchframe.pps(out), argv[2] .. " printed no rate:\n" .. out)
  end
  local function sweep(argv)
    local out = run(s, argv, { timeout = 60 })
    local found, wall, beyond = out:match("(%d+) hosts in ([%d.]+) s, (-?[%d.]+) s beyond")
    assert(found == "20", argv[2] .. " did not find the 20 hosts:\n" .. out)
    return tonumber(wall) * 1000, tonumber(beyond) * 1000
  end
  local ours, srp1, sr1, wall, beyond, scapyWall, scapyBeyond = {}, {}, {}, {}, {}, {}, {}
  for i = 1, rounds do
    ours[i] = rate{ netlua, dir .. "/srp1.lua", s.ifname, peer, tostring(n.srp1) }
    srp1[i] = rate{ python, dir .. "/scapy_srp1.py", s.ifname, peer, tostring(n.scapySrp1) }
    sr1[i] = rate{ python, dir .. "/scapy_srp1.py", s.ifname, peer, tostring(n.scapySr1), "socket" }
    wall[i], beyond[i] = sweep{ netlua, dir .. "/arp_sweep.lua", s.ifname, net, "1" }
    scapyWall[i], scapyBeyond[i] = sweep{ python, dir .. "/scapy_arping.py", s.ifname, net, "1" }
  end
  ours, srp1, sr1 = median(ours), median(srp1), median(sr1)
  row("srp1 ARP round trips / Scapy srp1", ours, srp1, "pps", ours / srp1, ">= 50", ours / srp1 >= 50)
  row("  / Scapy sr1 on one L2socket", ours, sr1, "pps", ours / sr1, "(for reference)")
  wall, beyond, scapyWall, scapyBeyond = median(wall), median(beyond), median(scapyWall), median(scapyBeyond)
  row("ARP sweep /24, past the 1 s timeout", beyond, scapyBeyond, "ms", scapyBeyond / beyond, ">= 50", scapyBeyond / beyond >= 50)
  row("  whole sweep, timeout included", wall, scapyWall, "ms", scapyWall / wall, "(for reference)")
  l:close()
end)
if not okConv then
  notes[#notes + 1] = "the conversation rows did not run: " .. tostring(err):match("[^\n]*")
end

-- Sockets: round trips of 64 bytes on a pair of their own (b drops
-- everything), a client in one end and an echo server in the other,
-- written with the sock module (bench/sock_echo.lua) and with Go's net
-- package (bench/tcpecho, built once). A server runs in the background
-- under timeout(1), killed at exit.
local okEcho, err = pcall(function()
  local client, server = lab.pair()
  assert(have("go"), "Go is not installed: bench/tcpecho cannot be built")
  local gobin = tmp()
  assert(os.execute(("cd %q/../.. && go build -o %q ./scripts/bench/tcpecho"):format(dir, gobin)) == 0,
    "go build of bench/tcpecho failed")
  local port = 7000
  local function echo(cmd, proto)
    port = port + 1
    local log = tmp()
    local pid = run(server, { "sh", "-c", ("timeout 120 %s server %s %d >%q 2>&1 </dev/null & echo $!"):format(cmd, proto, port, log) })
    pid = pid:match("%d+")
    -- The pid is of server's PID namespace: kill it from there.
    local function stop() pcall(server.exec, server, { "kill", pid }) end
    loop.defer(stop)
    waitFor(log, "listening", 30)
    local argv = {}
    for w in (("%s client %s %s %d %d"):format(cmd, proto, server.ip, port, n.echo)):gmatch("%S+") do argv[#argv + 1] = w end
    local out = run(client, argv, { timeout = 60 })
    stop()
    return assert(benchframe.pps(out), cmd .. " printed no rate:\n" .. out)
  end
  local ours = ("%s %s/sock_echo.lua"):format(netlua, dir)
  local tcp, goTCP, udp, goUDP = {}, {}, {}, {}
  for i = 1, rounds do
    tcp[i], goTCP[i] = echo(ours, "tcp"), echo(gobin, "tcp")
    udp[i], goUDP[i] = echo(ours, "udp"), echo(gobin, "udp")
  end
  tcp, goTCP, udp, goUDP = median(tcp), median(goTCP), median(udp), median(goUDP)
  row("sock TCP echo / Go net", tcp, goTCP, "pps", tcp / goTCP, ">= 0.8", tcp / goTCP >= 0.8)
  row("sock UDP req/resp / Go net", udp, goUDP, "pps", udp / goUDP, ">= 50000 pps", udp >= 50000)
end)
if not okEcho then
  notes[#notes + 1] = "the socket rows did not run: " .. tostring(err):match("[^\n]*")
end

-- A course topology: tree,depth=2,fanout=2 built and torn down, in a
-- lab host of its own (bench/lab_tree.lua).
local okTree, err = pcall(function()
  local out = run(a, { netlua, dir .. "/lab_tree.lua", tostring(rounds) }, { timeout = 300 })
  local function times(who)
    local b, t = out:match(who .. " tree,depth=2,fanout=2: build ([%d.]+) ms, teardown ([%d.]+) ms")
    return tonumber(b), tonumber(t)
  end
  local build, teardown = times("netlua")
  local mnBuild, mnTeardown = times("mininet")
  local shBuild = times("ip netns/ip link")
  assert(build and mnBuild and shBuild, "lab_tree.lua printed no times:\n" .. out)
  row("lab tree 2,2 build / Mininet", build, mnBuild, "ms", mnBuild / build, ">= 3", mnBuild / build >= 3)
  row("  build / ip netns+ip link in sh", build, shBuild, "ms", shBuild / build, "(for reference)")
  row("  teardown / Mininet", teardown, mnTeardown, "ms", mnTeardown / math.max(teardown, 0.1), "(for reference)")
end)
if not okTree then
  notes[#notes + 1] = "the lab tree rows did not run: " .. tostring(err):match("[^\n]*")
end

-- Startup.
local out = run(a, { netlua, dir .. "/startup.lua", quick and "5" or "20" })
local ms = tonumber(out:match("netlua %-e '': ([%d.]+) ms"))
local scapyMs = tonumber(out:match("import scapy.all': ([%d.]+) ms"))
if scapyMs then
  row("startup: import scapy.all / netlua", ms, scapyMs, "ms", scapyMs / ms, "<= 10 ms, >= 25", ms <= 10 and scapyMs / ms >= 25)
else
  notes[#notes + 1] = ("netlua -e '': %.1f ms; Scapy is not installed"):format(ms)
end

local formats = { pps = "%.0f pps", ["%"] = "%.2f %%", ms = "%.1f ms", us = "%.1f us" }
print(("%-36s %14s %14s %8s  %-17s %s"):format("figure", "netlua", "reference", "ratio", "goal", "met"))
for _, r in ipairs(rows) do
  local fmt = formats[r.unit]
  print(("%-36s %14s %14s %8.2f  %-17s %s"):format(r.figure, fmt:format(r.ours), fmt:format(r.theirs),
    r.ratio, r.goal, r.met == nil and "-" or (r.met and "yes" or "NO")))
end
for _, note in ipairs(notes) do
  print("note: " .. note)
end
