#!/usr/bin/python3
"""Makes scapy_corpusfix.json: the Scapy oracle of the fixes issue 18 found
on real captures (corpusfix_test.go reads it; the tests never need Scapy).

Run with Debian's python3-scapy (Scapy 2.5):

    /usr/bin/python3 luabind/frame/testdata/gen_corpusfix.py > luabind/frame/testdata/scapy_corpusfix.json

"rebuild": padded frames (an Ethernet trailer after IPv4 or IPv6 and TCP,
UDP or ICMP) with some auto fields deleted, as f.build(p) does after
p.<layer>.<field> = nil; "want" is Scapy's raw() of the packet so rebuilt.
"mapped": IPv6 addresses that embed IPv4 ones, as Scapy reads them back.
"bad_header": IPv4 ihl and TCP dataofs under 5, built by Scapy.
"arp": ARP packets with other address sizes, the fields Scapy reads, and
the frame with new protocol addresses set.
"""

import json
import random
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, ICMPv6EchoRequest, IPv6,
                       Raw, conf, raw)

conf.verb = 0
rng = random.Random(20261207)

# Layer names as netlua calls them, and the auto fields that can be cleared.
NAMES = {IP: "ipv4", IPv6: "ipv6", TCP: "tcp", UDP: "udp", ICMP: "icmp4",
         ICMPv6EchoRequest: "icmp6"}
AUTO = {IP: ["len", "chksum"], IPv6: ["plen"], TCP: ["chksum"], UDP: ["len", "chksum"],
        ICMP: ["chksum"], ICMPv6EchoRequest: ["cksum"]}
RENAME = {"cksum": "chksum"}


def padded_frame(l3, l4):
    """A frame with a payload and an Ethernet trailer, as a NIC pads it."""
    if l3 is IP:
        ip = IP(src="198.18.0.%d" % rng.randint(1, 254), dst="198.18.1.%d" % rng.randint(1, 254),
                id=rng.randint(0, 65535))
    else:
        ip = IPv6(src="2001:2::%x" % rng.randint(1, 65535), dst="2001:2::%x" % rng.randint(1, 65535))
    if l4 is TCP:
        up = TCP(sport=rng.randint(1024, 65535), dport=80, seq=rng.randint(0, 2**32 - 1), flags="PA")
    elif l4 is UDP:
        up = UDP(sport=rng.randint(1024, 65535), dport=rng.randint(1, 1023))
    else:
        up = l4(id=rng.randint(0, 65535), seq=rng.randint(0, 65535))
    load = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 6)))
    trailer = bytes(rng.choice([0, rng.randint(0, 255)]) for _ in range(rng.randint(1, 30)))
    frame = raw(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / ip / up / Raw(load)) + trailer
    return Ether(frame)


def rebuild_vectors():
    out = []
    for l3, l4s in ((IP, (TCP, UDP, ICMP)), (IPv6, (TCP, UDP, ICMPv6EchoRequest))):
        for l4 in l4s:
            for n in range(5):
                pkt = padded_frame(l3, l4)
                assert pkt.haslayer("Padding"), pkt.summary()
                # Clear the upper layer's auto fields, the lower's, or both.
                # The frame as captured has wrong checksums, so that the
                # rebuild must compute them. Its lengths stay right: they
                # tell where the trailer starts.
                cleared, classes = [], ((l4,), (l3,), (l3, l4))[n % 3]
                for cls in classes:
                    for field in AUTO[cls]:
                        if "sum" in field:
                            setattr(pkt[cls], field, rng.randint(0, 65535))
                captured = raw(pkt)
                for cls in classes:
                    for field in AUTO[cls]:
                        delattr(pkt[cls], field)
                        cleared.append([NAMES[cls], RENAME.get(field, field)])
                out.append({"name": "%s/%s %d" % (NAMES[l3], NAMES[l4], n),
                            "hex": captured.hex(),
                            "clear": cleared, "want": raw(pkt).hex()})
    return out


def arp_vectors():
    """ARP packets with addresses of other sizes than Ethernet's and IP's,
    and the fields Scapy reads from them: each address as bytes unless
    Scapy's conditions make it a MAC (hwtype 1, hwlen 6) or an IP address
    (ptype 0x0800 and plen 4, 0x86dd and 16)."""
    out = []
    sizes = ((8, 4), (6, 2), (0, 0), (16, 16), (6, 6), (2, 12), (6, 8), (20, 4), (4, 16), (1, 1))
    cases = [(rng.randint(2, 65535), rng.randint(0, 65535), hwlen, plen) for hwlen, plen in sizes]
    # Some addresses typed, some bytes (arp-too-long-tha.pcap has 14-byte
    # hardware addresses and IPv4 ones).
    cases += [(1, 0x0800, 14, 4), (1, 0x0800, 8, 4), (6, 0x0800, 6, 4), (1, 0x86dd, 8, 16), (1, 0x1234, 6, 4),
              (1, 0x0800, 6, 16), (1, 0x86dd, 6, 4), (1, 0x0800, 6, 2), (1, 0x86dd, 20, 16), (2, 0x0800, 6, 4)]
    for hwtype, ptype, hwlen, plen in cases:
        def addr(n):
            return bytes(rng.randint(0, 255) for _ in range(n))
        pkt = ARP(hwtype=hwtype, ptype=ptype, op=rng.randint(1, 4), hwlen=hwlen, plen=plen)
        # Raw bytes at their place on the wire, whatever the field's type.
        data = raw(Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01") / pkt)[:14 + 8]
        data += addr(hwlen) + addr(plen) + addr(hwlen) + addr(plen) + bytes(rng.randint(0, 12))
        back = Ether(data)[ARP]
        fields = {f: getattr(back, f) for f in ("hwtype", "ptype", "hwlen", "plen", "op")}
        for f in ("hwsrc", "psrc", "hwdst", "pdst"):
            v = getattr(back, f)
            if isinstance(v, str):
                fields[f] = v  # a MAC or an IP address
            else:
                fields[f + "_hex"] = (v or b"").hex()  # Scapy reads no bytes as None
        # The frame again with new protocol addresses of the same sizes.
        changed = Ether(data)
        setv = {}
        for f in ("psrc", "pdst"):
            if f in fields:
                v = "2001:2::%x" % rng.randint(1, 65535) if plen == 16 else "198.18.%d.%d" % (rng.randint(0, 255), rng.randint(1, 254))
                setv[f] = v
            else:
                v = addr(plen)
                setv[f + "_hex"] = v.hex()
            setattr(changed[ARP], f, v)
        out.append({"name": "arp hwtype %d ptype %#x hwlen %d plen %d" % (hwtype, ptype, hwlen, plen), "hex": data.hex(),
                    "fields": fields, "set": setv, "set_hex": raw(changed).hex()})
    return out


def mapped_vectors():
    """IPv6 packets with IPv4-mapped and IPv4-compatible addresses, and the
    text Scapy reads back: an IPv6 field stays IPv6."""
    out = []
    for src, dst in (("::ffff:192.0.2.1", "2001:2::1"), ("2001:2::2", "::ffff:198.18.0.9"),
                     ("::ffff:0.0.0.0", "::ffff:255.255.255.255"), ("2001:2::3", "::ffff:c612:1")):
        data = raw(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IPv6(src=src, dst=dst) /
                   UDP(sport=1000, dport=2000))
        back = Ether(data)[IPv6]
        out.append({"name": "%s > %s" % (src, dst), "hex": data.hex(),
                    "fields": {"src": back.src, "dst": back.dst}})
    return out


def bad_header_vectors():
    """IPv4 headers with ihl < 5 and TCP headers with dataofs < 5, which
    no header can have: the layer under them is the last decoded."""
    out = []
    eth = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    for n in range(5):
        ip = IP(src="198.18.0.1", dst="198.18.0.2", ihl=n) / TCP() / Raw(b"data")
        out.append({"name": "ipv4 ihl %d" % n, "hex": raw(eth / ip).hex(), "layer": "ipv4"})
        ip = IP(src="198.18.0.1", dst="198.18.0.2") / TCP(dataofs=n) / Raw(b"data")
        out.append({"name": "tcp dataofs %d" % n, "hex": raw(eth / ip).hex(), "layer": "tcp"})
    return out


json.dump({"rebuild": rebuild_vectors(), "arp": arp_vectors(), "mapped": mapped_vectors(),
           "bad_header": bad_header_vectors()}, sys.stdout, indent=1)
sys.stdout.write("\n")
