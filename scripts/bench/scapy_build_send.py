#!/usr/bin/python3
"""bench/scapy_build_send.py IFACE [COUNT]: Scapy building every frame
anew and sending it on one reused L2 socket (conf.L2socket), the same
frame as netlua's bench/build_send.lua (benchframe.lua). Prints frames
per second. bench/compare.lua runs it in a lab."""
import sys
import time

from scapy.all import Ether, IP, UDP, Raw, conf, get_if_hwaddr

if len(sys.argv) < 2:
    sys.exit("usage: scapy_build_send.py IFACE [COUNT]")
iface, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5000
mac = get_if_hwaddr(iface)
s = conf.L2socket(iface=iface)
start = time.monotonic()
for i in range(count):
    s.send(Ether(src=mac, dst="02:00:00:00:00:99") / IP(src="198.18.0.1", dst="198.18.0.2")
           / UDP(sport=1024 + i % 60000, dport=9) / Raw(bytes(18)))
elapsed = time.monotonic() - start
s.close()
print("%d frames built and sent in %.3f s: %.0f pps" % (count, elapsed, count / elapsed))
