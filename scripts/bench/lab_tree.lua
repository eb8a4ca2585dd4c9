-- bench/lab_tree.lua [ROUNDS]: how long netlua takes to build and tear
-- down Mininet's tree,depth=2,fanout=2 (3 switches, each a Linux bridge in
-- a namespace of its own, 4 hosts, 6 links: 7 namespaces, 6 veth pairs),
-- against the same built by ip netns/ip link commands in a shell script
-- (bench/lab_tree.sh) and by Mininet 2.3 itself (bench/mininet_tree.py,
-- Linux bridges, no controller). Each figure is the median of ROUNDS
-- rounds (default 5); netlua's and Mininet's are timed inside the program
-- (startup not counted), the shell's around its commands. The references
-- run inside a private lab host, so that what they make (named
-- namespaces, Mininet's switches in "its" root namespace, its sysctls)
-- stays in that host and goes with it.
--
--   sudo ./netlua scripts/bench/lab_tree.lua
--
-- Today's lab builds the tree with lab:lan: sw1 joins h1 and h2, sw2 h3
-- and h4, and sw3 (the root) joins sw1 and sw2, whose ends on that link
-- are not ports of their bridges: the same kernel objects, but traffic
-- does not cross the root. Needs root for the references (the shell's
-- ip and Mininet get no capabilities under setcap); Mininet needs
-- Debian's mininet and bridge-utils, and is left out with a note if
-- missing.
local lab = require "lab"
local benchframe = require "benchframe"

local rounds = tonumber(arg[1]) or 5
local dir = arg[0]:match("^(.*)/[^/]*$") or "."

-- tree builds the tree and returns its lab: with lab.tree where the lab
-- has Mininet's builders (IPv4 only, as Mininet's), else with lab:lan.
local function tree()
  if lab.tree then return lab.tree(2, 2, { ipv6 = false }) end
  local n = lab.new()
  local h = {}
  for i = 1, 4 do h[i] = n:host("h" .. i) end
  n:lan(h[1], h[2])
  n:lan(h[3], h[4])
  local sw1, sw2 = n.hosts[5], n.hosts[6]
  n:lan(sw1, sw2)
  return n
end

local median = benchframe.median

local builds, teardowns = {}, {}
for i = 1, rounds do
  local start = now()
  local n = tree()
  local built = now()
  n:close()
  builds[i], teardowns[i] = (built - start) * 1000, (now() - built) * 1000
end
print(("netlua tree,depth=2,fanout=2: build %.1f ms, teardown %.2f ms (median of %d)"):format(
  median(builds), median(teardowns), rounds))

local ref = lab.new{ private = true }:host("ref")
-- reference runs argv in the reference host and prints its last line,
-- or a note saying why it did not run.
local function reference(name, argv)
  local out, status = ref:exec(argv, { timeout = 120 })
  if status == 0 then
    print((out:match("([^\n]*)\n?$")))
  else
    print(("note: %s did not run (status %d): %s"):format(name, status, out:match("[^\n]*\n?$")))
  end
end
reference("the shell version", { "sh", dir .. "/lab_tree.sh", tostring(rounds) })
local python = io.open("/usr/bin/python3") and "/usr/bin/python3" or "python3"
if select(2, ref:exec{ python, "-c", "import mininet.net" }) ~= 0 then
  print("note: Mininet is not installed (apt-get install mininet bridge-utils)")
else
  reference("Mininet", { python, dir .. "/mininet_tree.py", tostring(rounds) })
end
