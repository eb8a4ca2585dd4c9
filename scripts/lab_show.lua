-- lab_show.lua [FILE.dot]: a small course lab checked and pictured.
--
--   sudo netlua scripts/lab_show.lua lab.dot && dot -Tsvg lab.dot -o lab.svg
--
-- Three hosts on a switch, and a router on a link of its own to h3:
-- pingall prints Mininet's matrix (h3 reaches r1 on their link; nothing
-- routes between the two subnets, so the others do not, and r1 does not
-- reach h3's first address, on the switch's subnet), show describes the
-- lab, and the Graphviz picture goes to FILE.dot when one is given. Each
-- host has private directories: its /etc/hosts names the lab's hosts.
local lab = require "lab"

local n = lab.new{ private = true }
local h1, h2, h3, r1 = n:host("h1"), n:host("h2"), n:host("h3"), n:router("r1")
n:lan(h1, h2, h3)
n:link(h3, r1)

n:pingall{ print = true }
io.write("\n", n:show())
print("\nh1$ getent ahostsv4 r1 | head -1")
print(((h1:exec{ "getent", "ahostsv4", "r1" }):match("[^\n]*")))
if arg[1] then
  n:dot(arg[1])
  print("\nwrote " .. arg[1])
end
