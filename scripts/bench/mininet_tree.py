#!/usr/bin/python3
"""bench/mininet_tree.py [ROUNDS]: Mininet 2.3 (Debian's mininet) building
and tearing down tree,depth=2,fanout=2 (3 Linux bridges, 4 hosts, 6
links; no Open vSwitch, no controller) through its Python API, ROUNDS
times (default 5). Prints the median build (Mininet() and start()) and
teardown (stop()) in ms, after checking once that pingAll reaches every
pair. bench/lab_tree.lua runs it inside a lab host: Mininet puts its
switches and links in the namespace it runs in, and sets sysctls there.
Needs root, mininet and bridge-utils (brctl)."""
import statistics
import sys
import time

import mininet.net
from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.nodelib import LinuxBridge
from mininet.topolib import TreeTopo

# Mininet raises machine-wide limits (kernel.pty.max, fs.file-max) when
# they look small; a benchmark must not change the machine.
mininet.net.fixLimits = lambda: None

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
setLogLevel("error")
builds, teardowns = [], []
for i in range(rounds):
    start = time.monotonic()
    net = Mininet(topo=TreeTopo(depth=2, fanout=2), switch=LinuxBridge, controller=None)
    net.start()
    built = time.monotonic()
    if i == 0 and net.pingAll() != 0:
        net.stop()
        sys.exit("mininet: pingAll lost packets")
    stopping = time.monotonic()
    net.stop()
    builds.append((built - start) * 1000)
    teardowns.append((time.monotonic() - stopping) * 1000)
print("mininet tree,depth=2,fanout=2: build %.1f ms, teardown %.1f ms (median of %d)"
      % (statistics.median(builds), statistics.median(teardowns), rounds))
