#!/usr/bin/python3
"""bench/scapy_srp1.py IFACE PEER [COUNT]: Scapy's srp1 of an ARP who-has
to PEER, COUNT times one after the other, as bench/srp1.lua does; with
"socket", on one reused L2 socket (conf.L2socket's sr1) instead of srp1's
socket per call. Prints round trips per second."""
import sys
import time

from scapy.all import ARP, Ether, conf, srp1

if len(sys.argv) < 3:
    sys.exit("usage: scapy_srp1.py IFACE PEER [COUNT [socket]]")
iface, peer = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 100
reuse = len(sys.argv) > 4 and sys.argv[4] == "socket"
who = Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=peer)
s = conf.L2socket(iface=iface) if reuse else None
start = time.monotonic()
for i in range(count):
    if reuse:
        r = s.sr1(who, timeout=1, verbose=0)
    else:
        r = srp1(who, iface=iface, timeout=1, verbose=0)
    if r is None:
        sys.exit("no answer to who-has %s in round %d" % (peer, i + 1))
elapsed = time.monotonic() - start
print("%d srp1 round trips in %.3f s: %.0f pps" % (count, elapsed, count / elapsed))
