#!/usr/bin/python3
"""Makes scapy_sr.json: the frames of Scapy generators, [raw(p) for p in
pkt], beside the same generator written in netlua's Lua (frame.expand).

Run with the Scapy of Debian's python3-scapy:

    /usr/bin/python3 luabind/frame/testdata/gen_sr.py > luabind/frame/testdata/scapy_sr.json

The test (expand_test.go) reads only the JSON. Every address is given, so
that no frame depends on the machine's routes or interfaces. Scapy's
tuple (lo, hi) is netlua's "lo-hi"; its Net is a CIDR string.
"""

import json

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, ICMPv6EchoRequest,
                       IPv6, Raw, raw)

E = dict(src="02:00:c6:12:00:01", dst="02:00:c6:12:00:02")
S4, S6 = "198.18.0.1", "2001:2::1"

CASES = [
    ("ports and a /29",
     'f.ether{src = "02:00:c6:12:00:01", dst = "02:00:c6:12:00:02"}, '
     'f.ipv4{src = "198.18.0.1", dst = "198.18.0.0/29", ttl = {1, 2}}, f.tcp{sport = 1234, dport = {22, 80, 443}}',
     Ether(**E) / IP(src=S4, dst="198.18.0.0/29", ttl=[1, 2]) / TCP(sport=1234, dport=[22, 80, 443])),
    ("a range of source ports",
     'f.ether{src = "02:00:c6:12:00:01", dst = "02:00:c6:12:00:02"}, '
     'f.ipv4{src = "198.18.0.1", dst = "198.18.0.2"}, f.udp{sport = "1000-1003", dport = 53}',
     Ether(**E) / IP(src=S4, dst="198.18.0.2") / UDP(sport=(1000, 1003), dport=53)),
    ("IPv6 prefix, echo id and seq",
     'f.ipv6{src = "2001:2::1", dst = "2001:2::/126"}, f.icmp6{type = 128, id = {1, 2}, seq = "5-7"}',
     IPv6(src=S6, dst="2001:2::/126") / ICMPv6EchoRequest(id=[1, 2], seq=(5, 7))),
    ("ARP who-has over a /30",
     'f.ether{src = "02:00:c6:12:00:01", dst = "ff:ff:ff:ff:ff:ff"}, '
     'f.arp{hwsrc = "02:00:c6:12:00:01", psrc = "198.18.1.1", pdst = "198.18.1.0/30"}',
     Ether(src=E["src"], dst="ff:ff:ff:ff:ff:ff") / ARP(hwsrc=E["src"], psrc="198.18.1.1", pdst="198.18.1.0/30")),
    ("ICMP echo seq range",
     'f.ipv4{src = "198.18.0.1", dst = "198.18.0.2"}, f.icmp4{id = 7, seq = "1-5"}',
     IP(src=S4, dst="198.18.0.2") / ICMP(id=7, seq=(1, 5))),
    ("three fields of one layer and a payload",
     'f.ipv4{src = "198.18.0.1", dst = "198.18.0.2", tos = {0, 4}, id = "1-2", ttl = {9, 10}}, f.udp{dport = {7, 9}}, "x"',
     IP(src=S4, dst="198.18.0.2", tos=[0, 4], id=(1, 2), ttl=[9, 10]) / UDP(dport=[7, 9]) / Raw(b"x")),
    ("a list mixing values and a range",
     'f.ipv4{src = "198.18.0.1", dst = {"198.18.0.9", "198.18.0.4/31"}}, f.tcp{dport = {1, "3-4"}, flags = "S"}',
     IP(src=S4, dst=["198.18.0.9", "198.18.0.4/31"]) / TCP(dport=[1, (3, 4)], flags="S")),
]

print(json.dumps([{"name": name, "lua": lua, "hex": [raw(p).hex() for p in pkt]}
                  for name, lua, pkt in CASES], indent=1))
