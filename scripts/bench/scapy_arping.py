#!/usr/bin/python3
"""bench/scapy_arping.py IFACE CIDR [TIMEOUT]: how long Scapy's arping
takes to sweep CIDR out of IFACE, waiting TIMEOUT seconds (default 1)
after the last who-has, as bench/arp_sweep.lua does. Prints what
arp_sweep.lua prints."""
import sys
import time

from scapy.all import arping, conf

if len(sys.argv) < 3:
    sys.exit("usage: scapy_arping.py IFACE CIDR [TIMEOUT]")
iface, cidr = sys.argv[1], sys.argv[2]
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
conf.verb = 0
start = time.monotonic()
ans, _ = arping(cidr, iface=iface, timeout=timeout, verbose=0)
elapsed = time.monotonic() - start
print("%d hosts in %.4f s, %.4f s beyond the timeout" % (len(ans), elapsed, elapsed - timeout))
