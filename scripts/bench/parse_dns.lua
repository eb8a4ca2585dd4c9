-- bench/parse_dns.lua [N] [question]: parses an Ether/IPv4/UDP/DNS query
-- (benchframe.dns()) N times (100,000 unless arg[1] says) and reads its
-- DNS id, or with "question" its question's name too, which makes the
-- tables of the qd section (netlua reads a section when a script does;
-- Scapy's Ether(bytes) reads all). Prints the time per frame and frames
-- per second. bench/compare.lua runs it beside bench/scapy_parse_dns.py.
--
--   netlua scripts/bench/parse_dns.lua [N] [question]
package.path = (arg[0]:match("^(.*)/[^/]*$") or ".") .. "/?.lua;" .. package.path
local f = require "frame"
local benchframe = require "benchframe"

local n = tonumber(arg[1]) or 100000
local question = arg[2] == "question"
local bytes = benchframe.dns()

local function run(count)
  for _ = 1, count do
    local p = f.parse(bytes)
    if p.dns.id ~= 0x1234 or question and p.dns.qd[1].qname ~= "www.example.com." then
      error("parse read another query: " .. tostring(p))
    end
  end
end

run(math.min(n, 1000)) -- warm up
local start = now()
run(n)
local elapsed = now() - start
print(("parse Ether/IPv4/UDP/DNS%s: %.2f µs/frame, %.0f pps (%d frames)"):format(
  question and " and its question" or "", elapsed / n * 1e6, n / elapsed, n))
