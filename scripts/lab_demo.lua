-- lab_demo.lua: two throwaway network namespaces joined by a veth pair.
--
--   sudo netlua scripts/lab_demo.lua
--
-- Makes a pair, shows both ends, pings b from a inside a's namespace, and
-- ends: netlua removes the namespaces (and the veth with them) at exit.
local lab = require "lab"

local a, b = lab.pair()

for _, e in ipairs{ a, b } do
  print(string.format("%s: %s %s %s/%d", e.name, e.ifname, e.mac, e.ip, e.prefix))
end

print(string.format("\n%s$ ping -c1 -W1 %s", a.name, b.ip))
local output, status = a:exec{ "ping", "-c1", "-W1", b.ip }
print((output:gsub("\n$", "")))
print("ping exit status: " .. status)
