-- bench/startup.lua [RUNS]: how long `netlua -e ''` takes, whole process
-- from exec to exit (the median of RUNS runs, default 20), and the same
-- for Scapy's `python3 -c 'import scapy.all'` (5 runs) when Scapy is
-- installed. Both run through the shell; the time the shell takes to run
-- /bin/true is taken off.
--
--   ./netlua scripts/bench/startup.lua

local runs = tonumber(arg[1] or 20)
local netlua = arg[-1]

-- median runs cmd n times through the shell and returns the median time
-- of one run in milliseconds, or nil when it fails.
local function median(cmd, n)
  local times = {}
  for i = 1, n do
    local start = now()
    if os.execute(cmd .. " >/dev/null 2>&1") ~= 0 then
      return nil
    end
    times[i] = (now() - start) * 1000
  end
  table.sort(times)
  return times[math.floor((n + 1) / 2)]
end

local shell = median("/bin/true", runs)
local q = ("%q"):format(netlua)
local ms = assert(median(q .. " -e ''", runs), "could not run " .. netlua) - shell
print(("netlua -e '': %.1f ms (median of %d)"):format(ms, runs))
local python = io.open("/usr/bin/python3") and "/usr/bin/python3" or "python3"
local scapy = median(python .. " -c 'import scapy.all'", math.min(runs, 5))
if scapy then
  scapy = scapy - shell
  print(("python3 -c 'import scapy.all': %.1f ms (median of %d)"):format(scapy, math.min(runs, 5)))
else
  print("python3 -c 'import scapy.all': Scapy is not installed")
end
