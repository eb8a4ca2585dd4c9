#!/usr/bin/python3
"""Makes the capture files of pcapng_multi_test.go, and what Scapy reads
from them (multi.json): the test compares pcap.read with Scapy's reading.

Run with Debian's python3-scapy (Scapy 2.5), from this directory:

    /usr/bin/python3 gen_multi.py > multi.json

multi.pcapng has three interfaces of three link types (Ethernet, raw IP,
Linux cooked) and records of each, interleaved; the last stores more
bytes than its original length. Scapy 2.5's writer gives
every record interface 0, so the blocks are made with its build_block and
the enhanced packet blocks here. caplen.pcap, written by Scapy's
RawPcapWriter, has a record whose captured length exceeds its original
length, between two good ones.
"""

import json
import struct
import sys

from scapy.all import (IP, UDP, CookedLinux, Ether, IPv6, Raw, RawPcapNgReader,
                       RawPcapNgWriter, RawPcapReader, RawPcapWriter, raw)

ETHER, RAW, SLL = 1, 101, 113
udp = UDP(sport=4000, dport=5000)
ip4 = IP(src="198.18.0.1", dst="198.18.0.2") / udp
ip6 = IPv6(src="2001:2::1", dst="2001:2::2") / udp
mac = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
RECORDS = [
    (0, raw(mac / ip4 / Raw(b"one"))),
    (1, raw(ip4 / Raw(b"two"))),
    (2, raw(CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=b"\x02\x00\x00\x00\x00\x01\x00\x00") / ip4 / Raw(b"three"))),
    (1, raw(ip6 / Raw(b"four"))),
    (0, raw(mac / ip6 / Raw(b"five"))),
    (2, raw(CookedLinux(pkttype=4, lladdrtype=1, lladdrlen=6, src=b"\x02\x00\x00\x00\x00\x02\x00\x00") / ip6 / Raw(b"six"))),
]


def write_pcapng(name):
    w = RawPcapNgWriter(name)
    w._write_block_shb()
    for linktype in (ETHER, RAW, SLL):
        w.linktype = linktype
        w._write_block_idb()
    # The last record stores more bytes than its original length.
    records = [(iface, data, len(data)) for iface, data in RECORDS] + [(1, raw(ip4 / Raw(b"seven")), 20)]
    for i, (iface, data, orig) in enumerate(records):
        ts = (1700000000 + i) * 1000000  # the default resolution: microseconds
        body = struct.pack(w.endian + "IIIII", iface, ts >> 32, ts & 0xffffffff, len(data), orig) + data
        w.f.write(w.build_block(struct.pack(w.endian + "I", 6), body))
    w.close()


def write_caplen(name):
    w = RawPcapWriter(name, linktype=ETHER)
    w._write_header(None)
    for i, (data, wirelen) in enumerate(((raw(mac / ip4 / Raw(b"good")), None),
                                         (raw(mac / ip4 / Raw(b"caplen > len")), 20),
                                         (raw(mac / ip4 / Raw(b"good again")), None))):
        w.write_packet(data, sec=1700000000 + i, usec=0, wirelen=wirelen)
    w.close()


def records(reader):
    out = []
    for data, meta in reader:
        out.append({"hex": data.hex(), "linktype": getattr(meta, "linktype", None),
                    "len": meta.wirelen})
    return out


write_pcapng("multi.pcapng")
write_caplen("caplen.pcap")
json.dump({"multi.pcapng": records(RawPcapNgReader("multi.pcapng")),
           "caplen.pcap": records(RawPcapReader("caplen.pcap"))}, sys.stdout, indent=1)
sys.stdout.write("\n")
