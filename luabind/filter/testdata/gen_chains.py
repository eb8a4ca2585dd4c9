#!/usr/bin/python3
"""Makes chains.pcap (and chains.txt, its frames by name, and
ahloop.pcap, one frame tcpdump never ends on): frames that
exercise the filter primitives of round 3 of issue 18, those that follow
one header to the next: protochain (IPv6 extension headers and AH, in
IPv4 and IPv6, behind VLAN, MPLS and PPPoE) and geneve (IPv4 and IPv6,
Ethernet or IP inside, options, VNIs), each with frames that match and
frames that nearly do. Frame i has timestamp i seconds, which is how the
tests name it to tcpdump.

Run with the Scapy of Debian's python3-scapy (Scapy 2.5):

    /usr/bin/python3 luabind/filter/testdata/gen_chains.py

The tests read only the pcap; tcpdump -r on it is their judge.
"""

import os

from scapy.all import (AH, ESP, IP, PPP, TCP, UDP, Dot1Q, Ether,
                       ICMPv6EchoRequest, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, PadN, PPPoE, Raw, conf, raw,
                       wrpcap)
from scapy.contrib.geneve import GENEVE
from scapy.contrib.mpls import MPLS

conf.verb = 0
HERE = os.path.dirname(os.path.abspath(__file__))
MAC = dict(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
INNER = dict(src="02:00:00:00:00:0a", dst="02:00:00:00:00:0b")
A4, B4 = "198.18.0.1", "198.18.0.2"
C4, D4 = "198.18.7.1", "198.18.7.2"
A6, B6 = "2001:2::1", "2001:2::2"
C6, D6 = "2001:2:0:7::1", "2001:2:0:7::2"


# Scapy builds AH's payloadlen as 0 when not given: it is given, (12 +
# len(icv)) / 4 - 2.


def e(payload, **kw):
    return Ether(**MAC, **kw) / payload


def chains():
    """Frames for protochain."""
    tcp = TCP(sport=1234, dport=80, flags="S")
    udp = UDP(sport=5000, dport=53) / Raw(b"q")
    out = [
        ("ipv4 tcp", e(IP(src=A4, dst=B4) / tcp)),
        ("ipv4 udp", e(IP(src=A4, dst=B4) / udp)),
        ("ipv4 ah tcp", e(IP(src=A4, dst=B4) / AH(nh=6, spi=1, seq=1, icv=b"\0" * 12, payloadlen=4) / tcp)),
        ("ipv4 ah udp", e(IP(src=A4, dst=B4) / AH(nh=17, spi=1, seq=1, icv=b"\0" * 12, payloadlen=4) / udp)),
        ("ipv4 options ah tcp", e(IP(src=A4, dst=B4, options=b"\x01\x01\x01\x00") / AH(nh=6, spi=2, icv=b"\0" * 4, payloadlen=2) / tcp)),
        ("ipv4 ah ah tcp", e(IP(src=A4, dst=B4) / AH(nh=51, spi=1, icv=b"\0" * 4, payloadlen=2) / AH(nh=6, spi=2, icv=b"\0" * 4, payloadlen=2) / tcp)),
        # Past an AH header libpcap goes on at (len+2)*4 from the IP
        # header, not from the AH header: after the first AH here that is
        # the first byte of its SPI, 6, so "protochain 6" takes this UDP
        # packet, while it misses the TCP of "ipv4 ah ah tcp".
        ("ipv4 ah (spi 0x06000000) ah udp", e(IP(src=A4, dst=B4) / AH(nh=51, spi=0x06000000, icv=b"\0" * 12, payloadlen=4)
                                             / AH(nh=17, spi=5, icv=b"\0" * 4, payloadlen=2) / udp)),
        ("ipv4 esp", e(IP(src=A4, dst=B4) / ESP(spi=9, seq=1) / Raw(b"x" * 16))),
        ("ipv4 proto 59", e(IP(src=A4, dst=B4, proto=59) / Raw(b"\x06" * 20))),
        ("ipv6 tcp", e(IPv6(src=A6, dst=B6) / tcp)),
        ("ipv6 udp", e(IPv6(src=A6, dst=B6) / udp)),
        ("ipv6 hbh tcp", e(IPv6(src=A6, dst=B6) / IPv6ExtHdrHopByHop() / tcp)),
        ("ipv6 hbh dest rh frag tcp", e(IPv6(src=A6, dst=B6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt()
                                        / IPv6ExtHdrRouting(addresses=[C6]) / IPv6ExtHdrFragment(m=1, id=7) / tcp)),
        ("ipv6 frag udp", e(IPv6(src=A6, dst=B6) / IPv6ExtHdrFragment(id=8) / udp)),
        ("ipv6 later frag tcp", e(IPv6(src=A6, dst=B6) / IPv6ExtHdrFragment(offset=100, nh=6, id=9) / Raw(b"d" * 24))),
        ("ipv6 ah tcp", e(IPv6(src=A6, dst=B6) / AH(nh=6, spi=3, icv=b"\0" * 12, payloadlen=4) / tcp)),
        ("ipv6 hbh ah udp", e(IPv6(src=A6, dst=B6) / IPv6ExtHdrHopByHop() / AH(nh=17, spi=4, icv=b"\0" * 12, payloadlen=4) / udp)),
        ("ipv6 dest no next header", e(IPv6(src=A6, dst=B6) / IPv6ExtHdrDestOpt(nh=59) / Raw(b"\x06" * 16))),
        ("ipv6 esp", e(IPv6(src=A6, dst=B6) / ESP(spi=9, seq=1) / Raw(b"x" * 16))),
        ("ipv6 dest icmp6 echo", e(IPv6(src=A6, dst=B6) / IPv6ExtHdrDestOpt() / ICMPv6EchoRequest(id=1, seq=1))),
        ("ipv6 big dest options tcp", e(IPv6(src=A6, dst=B6) / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 20)]) / tcp)),
        ("ipv6 hbh truncated", e(IPv6(src=A6, dst=B6, nh=0, plen=64) / Raw(b"\x06"))),
        ("ipv6 dest, next cut off", e(IPv6(src=A6, dst=B6) / IPv6ExtHdrDestOpt(nh=60, len=3) / Raw(b"\0" * 8))),
        ("vlan 10 ipv6 hbh tcp", e(Dot1Q(vlan=10) / IPv6(src=A6, dst=B6) / IPv6ExtHdrHopByHop() / tcp)),
        ("vlan 10 ipv4 udp", e(Dot1Q(vlan=10) / IP(src=A4, dst=B4) / udp)),
        ("mpls 100 ipv4 tcp", e(MPLS(label=100, s=1, ttl=64) / IP(src=A4, dst=B4) / tcp)),
        ("mpls 100 ipv6 hbh udp", e(MPLS(label=100, s=1, ttl=64) / IPv6(src=A6, dst=B6) / IPv6ExtHdrHopByHop() / udp)),
        ("pppoes 7 ipv6 dest udp", e(PPPoE(sessionid=7) / PPP(proto=0x57) / IPv6(src=A6, dst=B6) / IPv6ExtHdrDestOpt() / udp, type=0x8864)),
        ("pppoes 7 ipv4 tcp", e(PPPoE(sessionid=7) / PPP(proto=0x21) / IP(src=A4, dst=B4) / tcp, type=0x8864)),
    ]
    # Chains of 15, 16 and 17 destination options headers: netlua follows
    # 16 (codegen_protochain.go), tcpdump any number.
    for n in (15, 16, 17):
        p = IPv6(src=A6, dst=B6)
        for _ in range(n):
            p = p / IPv6ExtHdrDestOpt()
        out.append(("ipv6 %d dest headers tcp" % n, e(p / tcp)))
    return out


def geneves():
    """Frames for geneve."""
    inner4 = Ether(**INNER) / IP(src=C4, dst=D4) / TCP(sport=1111, dport=80, flags="S")
    inner6 = Ether(**INNER) / IPv6(src=C6, dst=D6) / UDP(sport=2222, dport=53) / Raw(b"q")
    opt = raw(b"\x01\x02\x03\x01" + b"\xaa" * 4)  # class 0x0102, type 3, one word of data
    return [
        ("geneve 5 ipv4 ether ipv4 tcp 80", e(IP(src=A4, dst=B4) / UDP(sport=40000, dport=6081) / GENEVE(vni=5, proto=0x6558) / inner4)),
        ("geneve 7 ipv6 ether ipv6 udp 53", e(IPv6(src=A6, dst=B6) / UDP(sport=40001, dport=6081) / GENEVE(vni=7, proto=0x6558) / inner6)),
        ("geneve 5 option ipv4 ether ipv6 udp", e(IP(src=A4, dst=B4) / UDP(sport=40002, dport=6081)
                                                 / GENEVE(vni=5, proto=0x6558, optionlen=2) / Raw(opt) / inner6)),
        ("geneve 0xabcdef ipv4 inner ipv4 udp 53", e(IP(src=A4, dst=B4) / UDP(sport=40003, dport=6081)
                                                    / GENEVE(vni=0xabcdef, proto=0x0800) / IP(src=C4, dst=D4) / UDP(sport=5, dport=53) / Raw(b"q"))),
        ("geneve 9 ipv6 inner ipv6 tcp 80", e(IPv6(src=A6, dst=B6) / UDP(sport=40004, dport=6081)
                                             / GENEVE(vni=9, proto=0x86dd) / IPv6(src=C6, dst=D6) / TCP(sport=3, dport=80, flags="S"))),
        ("geneve 5 vlan 20 inner", e(IP(src=A4, dst=B4) / UDP(sport=40005, dport=6081) / GENEVE(vni=5, proto=0x6558)
                                    / Ether(**INNER) / Dot1Q(vlan=20) / IP(src=C4, dst=D4) / UDP(sport=6, dport=53))),
        ("geneve version 1", e(IP(src=A4, dst=B4) / UDP(sport=40006, dport=6081) / GENEVE(version=1, vni=5, proto=0x6558) / inner4)),
        ("udp from 6081 ether inside", e(IP(src=A4, dst=B4) / UDP(sport=6081, dport=40007) / GENEVE(vni=5, proto=0x6558) / inner4)),
        ("ipv4 later fragment to 6081", e(IP(src=A4, dst=B4, frag=100, proto=17) / Raw(raw(UDP(sport=1, dport=6081) / GENEVE(vni=5, proto=0x6558) / inner4)))),
        ("tcp to 6081", e(IP(src=A4, dst=B4) / TCP(sport=40008, dport=6081) / Raw(b"\0" * 20))),
        ("vlan 10 geneve 5 ether ipv4 tcp 80", e(Dot1Q(vlan=10) / IP(src=A4, dst=B4) / UDP(sport=40009, dport=6081)
                                               / GENEVE(vni=5, proto=0x6558) / inner4)),
        ("geneve 5 truncated after header", e(IP(src=A4, dst=B4) / UDP(sport=40010, dport=6081) / GENEVE(vni=5, proto=0x6558))),
        ("geneve 5 ether arp", e(IP(src=A4, dst=B4) / UDP(sport=40011, dport=6081) / GENEVE(vni=5, proto=0x6558)
                                / Ether(**INNER, type=0x0806) / Raw(b"\x00\x01\x08\x00\x06\x04\x00\x01" + b"\0" * 20))),
        ("geneve 5 ipv4 options ether ipv4", e(IP(src=A4, dst=B4, options=b"\x01\x01\x01\x00") / UDP(sport=40012, dport=6081)
                                              / GENEVE(vni=5, proto=0x6558) / inner4)),
    ]


def ah_loop():
    """An AH header whose length sends libpcap's protochain loop back to
    itself: (3+2)*4 = 20, the AH header's own offset. tcpdump -r never
    ends on it ("ip protochain 6"), so it has a file of its own, which
    only netlua's interpreter runs."""
    return e(IP(src=A4, dst=B4, proto=51) / Raw(bytes([51, 3, 0, 0]) + b"\0" * 16))


def main():
    loop = ah_loop()
    loop.time = 0
    wrpcap(os.path.join(HERE, "ahloop.pcap"), [loop])
    frames = chains() + geneves()
    pkts = []
    for i, (name, p) in enumerate(frames):
        p = Ether(raw(p))
        p.time = i
        pkts.append(p)
    wrpcap(os.path.join(HERE, "chains.pcap"), pkts)
    with open(os.path.join(HERE, "chains.txt"), "w") as f:
        for i, (name, p) in enumerate(frames):
            f.write("%d\t%d bytes\t%s\n" % (i, len(raw(p)), name))


if __name__ == "__main__":
    main()
