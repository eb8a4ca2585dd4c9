-- bench/sock_echo.lua: round trips of the sock module, as a script
-- talking to a server does; bench/compare.lua runs it in a lab pair and
-- sets it beside the same loops in Go (bench/tcpecho).
--
--   netlua scripts/bench/sock_echo.lua server tcp|udp PORT
--   netlua scripts/bench/sock_echo.lua client tcp|udp HOST PORT [COUNT]
--
-- The server says "listening", then echoes TCP connections one after the
-- other, or UDP datagrams back to their senders. The client sends 64 bytes and waits
-- for them to come back, COUNT times (default 100000) or for 10 seconds,
-- and prints "N round trips in S s: R pps".
local sock = require "sock"

local mode, proto = arg[1], arg[2]
if (mode ~= "server" and mode ~= "client") or (proto ~= "tcp" and proto ~= "udp") then
  io.stderr:write("usage: sock_echo.lua server tcp|udp PORT | client tcp|udp HOST PORT [COUNT]\n")
  os.exit(2)
end

if mode == "server" then
  local port = tonumber(arg[3])
  if proto == "udp" then
    local u = sock.udp{}
    u:bind("*", port)
    print("listening")
    io.stdout:flush()
    while true do
      local data, ip, p = u:recvfrom()
      u:sendto(data, ip, p)
    end
  end
  local l = sock.tcp{}
  l:setsockopt("SO_REUSEADDR", true)
  l:bind("*", port)
  l:listen()
  print("listening")
  io.stdout:flush()
  while true do
    local c = l:accept()
    while true do
      local data = c:recv()
      if not data then break end
      c:send(data)
    end
    c:close()
  end
end

local host, port, count = arg[3], tonumber(arg[4]), tonumber(arg[5] or 100000)
local msg = ("x"):rep(64)
local start, n = now(), 0
if proto == "udp" then
  local u = sock.udp{ timeout = 1 }
  u:connect(host, port)
  while n < count and now() - start < 10 do
    u:send(msg)
    u:recv(64)
    n = n + 1
  end
else
  local c = sock.tcp{ timeout = 5 }
  c:connect(host, port)
  while n < count and now() - start < 10 do
    c:send(msg)
    local got = c:recv(64)
    while #got < 64 do got = got .. c:recv(64 - #got) end
    n = n + 1
  end
end
local elapsed = now() - start
print(("%d round trips in %.3f s: %.0f pps"):format(n, elapsed, n / elapsed))
