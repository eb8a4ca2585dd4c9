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


from scapy.all import (ICMP, IP, TCP, UDP, Dot1Q, Ether, ICMPv6EchoRequest,
                       IPOption_NOP, IPOption_RR, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, Raw, conf, defragment, defragment6,
                       fragment, fragment6, raw)

conf.verb = 0
rng = random.Random(20261207)
random.seed(20261207)  # the ids fragment6 draws
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


SRC6, DST6 = "2001:2::1", "2001:2::2"


def datagram6(n, ether=True, ext=None, **ip):
    """An IPv6 datagram carrying n bytes of UDP, TCP or ICMPv6 payload,
    after the extension headers ext."""
    l4 = rng.choice([UDP(sport=1234, dport=5678), TCP(sport=80, dport=9),
                     ICMPv6EchoRequest()])
    pkt = IPv6(src=SRC6, dst=DST6, **ip)
    for h in ext or []:
        pkt = pkt / h
    pkt = pkt / l4 / Raw(payload(n))
    return Ether(**MACS) / pkt if ether else pkt


def fragment6_cases():
    cases = []
    for n, size in [(1000, 1280), (3000, 1280), (3000, 1500), (100, 80), (101, 120),
                    (200, 100), (64, 64), (65, 100), (500, 200), (777, 333),
                    (1, 1280), (1452, 1514), (1453, 1514), (2000, 1006)]:
        cases.append((f"{n} bytes, fragsize {size}", datagram6(n), size, True))
    cases.append(("raw IPv6", datagram6(900, ether=False), 256, False))
    cases.append(("raw IPv6, odd size", datagram6(901, ether=False), 251, False))
    cases.append(("fits: header added", datagram6(50), 1500, True))
    cases.append(("hop-by-hop fragmented too", datagram6(600, ext=[IPv6ExtHdrHopByHop()]), 200, True))
    cases.append(("dest opts and routing", datagram6(600, ext=[IPv6ExtHdrDestOpt(), IPv6ExtHdrRouting(addresses=[DST6])]), 240, True))
    cases.append(("fragment header given, id kept", datagram6(600, ext=[IPv6ExtHdrFragment(id=0xdeadbeef)]), 200, True))
    cases.append(("hop-by-hop before given fragment header",
                  datagram6(600, ext=[IPv6ExtHdrHopByHop(), IPv6ExtHdrFragment(id=5)]), 200, True))
    cases.append(("fragment header with reserved bits", datagram6(400, ext=[IPv6ExtHdrFragment(id=9, res1=3, res2=2)]), 160, True))
    cases.append(("tc, fl, hlim kept", datagram6(400, tc=0x28, fl=0x12345, hlim=7), 160, True))
    cases.append(("802.1Q", Ether(**MACS) / Dot1Q(vlan=5) / datagram6(500, ether=False), 200, True))
    cases.append(("fits exactly", datagram6(1000), len(raw(datagram6(1000))) + 8, True))
    out = []
    for name, pkt, size, ether in cases:
        frags = fragment6(pkt, size)
        # The id Scapy draws for an added fragment header, given back to
        # frame.fragment6 as its id option.
        # Scapy gives the packet back whole, with a warning, when fragsize
        # leaves no room for data; frame.fragment6 raises an error.
        too_small = len(frags) == 1 and len(raw(frags[0])) > size
        out.append({"name": name, "ether": ether, "fragsize": size, "hex": raw(pkt).hex(),
                    "id": frags[0][IPv6ExtHdrFragment].id or 0, "too_small": too_small,
                    "frags": hexes(frags)})
    return out


def frags6(n, size, ether=True, ext=None, **ip):
    return [Ether(raw(f)) if ether else IPv6(raw(f))
            for f in fragment6(datagram6(n, ether, ext), size)]


def sort6(lst):
    """The fragments in offset order: Scapy 2.5's defragment6 means to
    sort them but keeps the list's order, which frame.defragment6 does not
    copy; the oracle is defragment6 of the sorted list."""
    return sorted(lst, key=lambda p: p[IPv6ExtHdrFragment].offset if IPv6ExtHdrFragment in p else 0)


def defragment6_cases():
    cases = []
    for n, size in [(1000, 400), (3000, 1280), (64, 70), (100, 80), (7, 70), (1500, 500)]:
        cases.append((f"in order, {n} bytes by {size}", frags6(n, size)))
    f = frags6(1200, 250)
    cases.append(("reversed", f[::-1]))
    g = f[:]
    rng.shuffle(g)
    cases.append(("shuffled", g))
    cases.append(("duplicate fragment", f[:3] + [f[2]] + f[3:]))
    cases.append(("first missing", f[1:]))
    cases.append(("last missing", f[:-1]))
    cases.append(("middle missing: X fill", f[:2] + f[3:]))
    cases.append(("two holes", f[:1] + f[2:3] + f[4:]))
    other = frags6(300, 150)
    cases.append(("other id dropped", f[:2] + other[:1] + f[2:]))
    cases.append(("non-fragments dropped", [Ether(raw(datagram6(20)))] + f))
    cases.append(("raw IPv6", frags6(700, 200, ether=False)))
    # Overlap: a fragment whose offset falls inside the data before it.
    base = datagram6(400)
    lo = fragment6(base, 200)
    over = lo[1].copy()
    over[IPv6ExtHdrFragment].offset -= 4
    over[IPv6ExtHdrFragment].payload = Raw(payload(64))
    cases.append(("overlap", [Ether(raw(x)) for x in lo[:1] + [over] + lo[1:]]))
    cases.append(("overlap only", [Ether(raw(x)) for x in [lo[0], over]]))
    cases.append(("single fragment", f[:1]))
    cases.append(("atomic fragment", frags6(50, 1500)))
    d = datagram6(64)
    pieces = []
    for off, m, n in [(0, 1, 16), (2, 1, 16), (4, 0, 16)]:
        pieces.append(Ether(**MACS) / IPv6(src=SRC6, dst=DST6) /
                      IPv6ExtHdrFragment(nh=17, offset=off, m=m, id=42) / Raw(payload(n)))
    cases.append(("hand made, exact", pieces))
    cases.append(("hand made, gap", [pieces[0], pieces[2]]))
    cases.append(("hand made, reversed", pieces[::-1]))
    cases.append(("hand made, m set on last", pieces[:2]))
    h = frags6(300, 150)
    cases.append(("same offset twice, other data", h[:1] + [Ether(raw(h[0])[:-8] + b"\x01" * 8)] + h[1:]))
    cases.append(("802.1Q", [Ether(raw(Ether(**MACS) / Dot1Q(vlan=5) / IPv6(raw(x)[14:]))) for x in frags6(500, 200)]))
    cases.append(("tc and hlim kept", frags6(500, 200, tc=3, hlim=9)))
    out = []
    for name, lst in cases:
        ether = not lst or isinstance(lst[0], Ether)
        q = defragment6(sort6(lst))
        out.append({"name": name, "ether": ether, "in": hexes(lst),
                    "out": raw(q).hex() if q else None})
    return out


import logging
logging.getLogger("scapy").setLevel(logging.ERROR)
print(json.dumps({"fragment": fragment_cases(), "defragment": defragment_cases(),
                  "fragment6": fragment6_cases(), "defragment6": defragment6_cases()}, indent=1))
