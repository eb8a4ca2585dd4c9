#!/usr/bin/python3
"""bench/scapy_parse_dns.py HEX [COUNT]: Scapy's Ether(bytes) on the
frame HEX (bench/parse_dns.lua's, an Ether/IPv4/UDP/DNS query), COUNT
times, reading the question's name. Prints frames per second.
bench/compare.lua runs it."""
import sys
import time

from scapy.all import DNS, Ether

if len(sys.argv) < 2:
    sys.exit("usage: scapy_parse_dns.py HEX [COUNT]")
data, count = bytes.fromhex(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000
start = time.monotonic()
for _ in range(count):
    if Ether(data)[DNS].qd.qname != b"www.example.com.":
        sys.exit("Scapy read no DNS question")
elapsed = time.monotonic() - start
print("%d frames parsed in %.3f s: %.0f pps" % (count, elapsed, count / elapsed))
