#!/usr/bin/python3
"""Makes scapy_frag.json: IPv4 frames cut by Scapy's fragment(pkt,
fragsize) and lists of fragments put back together by Scapy's
defragment(plist), to check frame.fragment and frame.defragment against.

Run with the Scapy of Debian's python3-scapy (Scapy 2.5):

    /usr/bin/python3 luabind/frame/testdata/gen_frag.py > luabind/frame/testdata/scapy_frag.json

The tests read only the JSON. The frames are random but seeded.
"""

import json
import random


from scapy.all import (ICMP, IP, TCP, UDP, Dot1Q, Ether, IPOption_NOP,
                       IPOption_RR, Raw, conf, defragment, fragment, raw)

conf.verb = 0
rng = random.Random(20261207)
SRC, DST = "198.18.0.1", "198.18.0.2"
MACS = dict(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")


def payload(n):
    return bytes(rng.randrange(256) for _ in range(n))


def datagram(n, ether=True, **ip):
    """An IPv4 datagram carrying n bytes of UDP, TCP or ICMP payload."""
    ip.setdefault("id", rng.randrange(65536))
    l4 = rng.choice([UDP(sport=1234, dport=5678), TCP(sport=80, dport=9),
                     ICMP()])
    pkt = IP(src=SRC, dst=DST, **ip) / l4 / Raw(payload(n))
    return Ether(**MACS) / pkt if ether else pkt


def hexes(pkts):
    return [raw(p).hex() for p in pkts]


def fragment_cases():
    cases = []
    plans = [(1000, 1480), (3000, 1480), (4000, 1480), (2000, 1000),
             (100, 8), (101, 16), (99, 24), (64, 64), (65, 64), (63, 64),
             (1472, 1480), (1473, 1480), (1, 1480), (200, 13), (200, 15),
             (500, 100), (777, 333), (1500, 1400), (40, 9), (1000, 999)]
    for n, size in plans:
        pkt = datagram(n)
        cases.append((f"{n} bytes, fragsize {size}", pkt, size, True))
    cases.append(("DF set", datagram(300, flags="DF"), 128, True))
    cases.append(("MF already set", datagram(300, flags="MF"), 128, True))
    cases.append(("offset already 100", datagram(300, frag=100), 128, True))
    cases.append(("IP options copied", datagram(300, options=[IPOption_RR(), IPOption_NOP()]), 96, True))
    cases.append(("raw IP", datagram(900, ether=False), 256, False))
    cases.append(("raw IP, odd fragsize", datagram(901, ether=False), 250, False))
    cases.append(("tos and ttl kept", datagram(500, tos=0x28, ttl=3), 200, True))
    cases.append(("802.1Q", Ether(**MACS) / Dot1Q(vlan=7) / datagram(400, ether=False), 160, True))
    out = []
    for name, pkt, size, ether in cases:
        out.append({"name": name, "ether": ether, "fragsize": size, "hex": raw(pkt).hex(),
                    "frags": hexes(fragment(pkt, size))})
    return out


def frags(n, size, ether=True, **ip):
    return [Ether(raw(f)) if ether else IP(raw(f))
            for f in fragment(datagram(n, ether, **ip), size)]


def defragment_cases():
    cases = []
    for n, size in [(1000, 400), (3000, 1480), (64, 8), (100, 16), (7, 8)]:
        cases.append((f"in order, {n} bytes by {size}", frags(n, size)))
    f = frags(1200, 200)
    cases.append(("reversed", f[::-1]))
    g = f[:]
    rng.shuffle(g)
    cases.append(("shuffled", g))
    cases.append(("duplicate fragment", f[:3] + [f[2]] + f[3:]))
    cases.append(("duplicate first", [f[0]] + f))
    cases.append(("first missing", f[1:]))
    cases.append(("last missing", f[:-1]))
    cases.append(("middle missing", f[:2] + f[3:]))
    a, b = frags(500, 160), frags(600, 200)
    cases.append(("two datagrams interleaved", [x for pair in zip(a, b) for x in pair] + b[len(a):]))
    cases.append(("with a whole datagram between", a[:2] + [Ether(raw(datagram(50)))] + a[2:]))
    # Overlaps: a fragment whose offset falls inside the one before.
    base = datagram(400)
    lo = fragment(base, 160)
    over = base.copy()
    over[IP].frag = 15
    over[IP].flags = "MF"
    del over[IP].chksum
    over[IP].payload = Raw(payload(80))
    cases.append(("overlap", [Ether(raw(x)) for x in lo[:1] + [over] + lo[1:]]))
    cases.append(("overlap only", [Ether(raw(x)) for x in [lo[0], over]]))
    # Fragments made by hand with offsets that leave a gap or exactly fit.
    d = datagram(64)
    pieces = []
    for off, mf, n in [(0, 1, 16), (2, 1, 16), (4, 0, 16)]:
        q = d.copy()
        q[IP].frag, q[IP].flags = off, "MF" if mf else 0
        del q[IP].chksum, q[IP].len
        q[IP].payload = Raw(payload(n))
        pieces.append(Ether(raw(q)))
    cases.append(("hand made, exact", pieces))
    cases.append(("hand made, gap", [pieces[0], pieces[2]]))
    cases.append(("hand made, reversed", pieces[::-1]))
    cases.append(("not fragments", [Ether(raw(datagram(30))), Ether(raw(datagram(40)))]))
    cases.append(("empty list", []))
    cases.append(("raw IP", frags(700, 200, ether=False)))
    cases.append(("DF and fragments", frags(500, 128, flags="DF")))
    cases.append(("with ARP", [Ether(raw(Ether(**MACS) / Raw(b"\x00" * 28)))] + frags(300, 96)))
    h = frags(300, 96)
    h[1] = Ether(raw(h[1]) + b"\x00" * 6)  # Ethernet trailer after a fragment
    cases.append(("padding after a fragment", h))
    same_id = frags(300, 96, id=77) + frags(200, 96, id=77)
    cases.append(("same id twice", same_id))
    cases.append(("single fragment with MF", frags(300, 96)[:1]))
    out = []
    for name, lst in cases:
        ether = not lst or isinstance(lst[0], Ether)
        out.append({"name": name, "ether": ether, "in": hexes(lst),
                    "out": hexes(defragment(lst))})
    return out


import logging
logging.getLogger("scapy").setLevel(logging.ERROR)
print(json.dumps({"fragment": fragment_cases(), "defragment": defragment_cases()}, indent=1))
