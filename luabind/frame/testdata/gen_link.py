#!/usr/bin/python3
"""Makes scapy_link.json: frames of the link layers (sll, sll2, loopback,
dot3, llc, snap, stp) built by Scapy 2.5 from layers written with netlua's
names, and the fields Scapy reads back from their bytes, in the format of
scapy_extra.json. Into a second directory it writes link_<type>.pcap, one
capture per pcap link type, written by Scapy's wrpcap, and link_layers.json,
the layers Scapy's rdpcap reads from each record, for the test of pcap
reading.

    /usr/bin/python3 luabind/frame/testdata/gen_link.py luabind/frame/testdata luabind/pcap/testdata

The tests read only what it writes; they never need Scapy. The frames are
random but seeded, so a run makes the same files every time.

Byte strings (sll's src, payloads) are hex. STP's times are in 1/256 s, as
on the wire and in netlua; Scapy's are seconds (its age=1 is 256 here).
"""

import json
import os
import random
import sys

from scapy.all import (ARP, IP, LLC, SNAP, STP, UDP, CookedLinux, CookedLinuxV2,
                       Dot1Q, Dot3, Ether, IPv6, Loopback, Padding, Raw, conf,
                       rdpcap, wrpcap)

conf.verb = 0
rng = random.Random(20261207)

CLASSES = {"sll": CookedLinux, "sll2": CookedLinuxV2, "loopback": Loopback,
           "dot3": Dot3, "llc": LLC, "snap": SNAP, "stp": STP, "ipv4": IP,
           "ipv6": IPv6, "arp": ARP, "vlan": Dot1Q, "udp": UDP, "ether": Ether}
NAMES = {cls: name for name, cls in CLASSES.items()}
STP_TIMES = ("age", "maxage", "hellotime", "fwddelay")
BYTES = {("sll", "src"), ("sll2", "src")}
# Fields read back for layers above the link layers: enough to show that
# they were decoded.
UPPER_FIELDS = {"ipv4": ["src", "dst", "proto"], "ipv6": ["src", "dst", "nh"],
                "arp": ["op", "psrc", "pdst"], "vlan": ["prio", "id", "vlan", "type"],
                "udp": ["sport", "dport"], "ether": ["dst", "src", "type"]}
MACHINE_DEFAULTS = {"dot3": {"src": "00:00:00:00:00:00", "dst": "ff:ff:ff:ff:ff:ff"},
                    "ether": {"src": "00:00:00:00:00:00", "dst": "ff:ff:ff:ff:ff:ff"},
                    "ipv4": {"src": "127.0.0.1", "dst": "127.0.0.1"},
                    "ipv6": {"src": "::1", "dst": "::1"},
                    "arp": {"hwsrc": "00:00:00:00:00:00", "psrc": "0.0.0.0",
                            "pdst": "0.0.0.0"}}


def scapy_layer(layer):
    name = layer["layer"]
    if name == "payload":
        return Raw(bytes.fromhex(layer["hex"]))
    args = dict(MACHINE_DEFAULTS.get(name, {}))
    for key, value in layer.items():
        if key == "layer":
            continue
        if (name, key) in BYTES:
            value = bytes.fromhex(value)
        if name == "stp" and key in STP_TIMES:
            value = value / 256
        args[key] = value
    return CLASSES[name](**args)


def scapy_packet(layers):
    pkt = None
    for layer in layers:
        s = scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
    return pkt


def field_value(name, key, value):
    if isinstance(value, bytes):
        return value.hex()
    if name == "stp" and key in STP_TIMES:
        return int(round(value * 256))
    if key == "flags" or not isinstance(value, (int, str)):
        return int(value)
    return value


def read_back(cls, data):
    """The fields Scapy reads from data as a cls. A header cut short, which
    Scapy fills with defaults, is netlua's error: its bytes stay payload."""
    fields, payload, padding, cut = {}, b"", b"", False
    layer = cls(data)
    while layer:
        if isinstance(layer, Padding):
            padding += layer.load
        elif cut:
            pass
        elif isinstance(layer, Raw):
            payload += layer.load
        elif len(layer.original) < len(bytes(type(layer)())):
            payload, cut = layer.original, True
            fields["error"] = True
        elif type(layer) in NAMES:
            name = NAMES[type(layer)]
            keys = UPPER_FIELDS.get(name, [f.name for f in layer.fields_desc])
            fields[name] = {k: field_value(name, k, layer.getfieldval(k)) for k in keys}
        else:
            raise SystemExit("unexpected layer %s" % type(layer).__name__)
        layer = layer.payload
    fields["payload_hex"] = payload.hex()
    fields["padding_hex"] = padding.hex()
    return fields


def vector(name, layers, padding=b""):
    data = bytes(scapy_packet(layers)) + padding
    if padding:
        layers = layers + [{"layer": "payload", "hex": padding.hex()}]
    first = CLASSES[layers[0]["layer"]]
    return {"name": name, "layers": layers, "hex": data.hex(),
            "fields": read_back(first, data)}


def mac():
    return "02:%02x:%02x:%02x:%02x:%02x" % tuple(rng.randrange(256) for _ in range(5))


def rbytes(n):
    return bytes(rng.randrange(256) for _ in range(n))


def ip_layers():
    """An IPv4 or IPv6 packet with UDP, or ARP, and the ether type of it."""
    kind = rng.choice(["ipv4", "ipv6", "arp"])
    if kind == "ipv4":
        return 0x0800, [{"layer": "ipv4", "src": "198.18.0.%d" % rng.randrange(1, 255),
                         "dst": "198.18.1.%d" % rng.randrange(1, 255)},
                        {"layer": "udp", "sport": rng.randrange(1024, 65536), "dport": 9},
                        {"layer": "payload", "hex": rbytes(rng.randrange(0, 12)).hex()}]
    if kind == "ipv6":
        return 0x86dd, [{"layer": "ipv6", "src": "2001:2::%x" % rng.randrange(1, 65536),
                         "dst": "2001:2::1"},
                        {"layer": "udp", "sport": 5000, "dport": rng.randrange(1, 65536)}]
    return 0x0806, [{"layer": "arp", "op": rng.choice([1, 2]), "psrc": "198.18.0.1",
                     "pdst": "198.18.0.%d" % rng.randrange(2, 255)}]


def sll_vectors(name):
    out = [vector(name + " defaults", [{"layer": name}]),
           vector(name + " defaults over ipv4", [{"layer": name}, {"layer": "ipv4"}])]
    for i in range(30):
        layer = {"layer": name}
        if rng.random() < 0.8:
            layer["pkttype"] = rng.choice([0, 1, 2, 3, 4])
        if rng.random() < 0.5:
            layer["lladdrtype"] = rng.choice([1, 772, 512, 65535])
        n = rng.choice([0, 6, 8, 3, 10])  # 10: cut to 8 bytes by Scapy
        if n:
            layer["src"] = rbytes(n).hex()
        if rng.random() < 0.7:
            layer["lladdrlen"] = rng.choice([6, n, 0, 255])
        if name == "sll2":
            if rng.random() < 0.5:
                layer["ifindex"] = rng.randrange(1 << 32)
            if rng.random() < 0.2:
                layer["reserved"] = rng.randrange(1 << 16)
        typ, upper = ip_layers()
        if rng.random() < 0.2:
            layer["proto"] = rng.choice([0x0003, 0x88cc, 0x1234])  # unbound: payload
            upper = [{"layer": "payload", "hex": rbytes(20).hex()}]
        elif rng.random() < 0.15:
            upper = [{"layer": "llc"}, stp_layer()]
        elif rng.random() < 0.2:
            upper = [{"layer": "vlan", "vlan": rng.randrange(4096), "type": typ}] + upper
        out.append(vector("%s %d" % (name, i), [layer] + upper))
    return out


def loopback_vectors():
    out = [vector("loopback defaults", [{"layer": "loopback"}]),
           vector("loopback over ipv4", [{"layer": "loopback"}, {"layer": "ipv4"}, {"layer": "udp"}])]
    for i in range(30):
        typ, upper = ip_layers()
        if typ == 0x0806:
            layer = {"layer": "loopback", "type": rng.choice([7, 99, 255])}
            upper = [{"layer": "payload", "hex": rbytes(rng.randrange(1, 30)).hex()}]
        elif typ == 0x86dd:
            layer = {"layer": "loopback", "type": rng.choice([10, 24, 28, 30])}
            if layer["type"] != 10:
                # Scapy on Linux reads only its own AF_INET6 (10) as IPv6;
                # netlua reads the BSDs' too, as tcpdump does: compare with
                # what Scapy reads from the IPv6 packet itself.
                v = vector("loopback %d" % i, [layer] + upper)
                v["fields"].update(read_back(IPv6, bytes.fromhex(v["hex"])[4:]))
                out.append(v)
                continue
        else:
            layer = {"layer": "loopback", "type": 2} if rng.random() < 0.5 else {"layer": "loopback"}
        out.append(vector("loopback %d" % i, [layer] + upper))
    return out


def stp_layer():
    layer = {"layer": "stp"}
    for key, bits in [("proto", 16), ("version", 8), ("bpdutype", 8), ("bpduflags", 8),
                      ("rootid", 16), ("pathcost", 32), ("bridgeid", 16), ("portid", 16)]:
        if rng.random() < 0.6:
            layer[key] = rng.randrange(1 << bits)
    for key in ("rootmac", "bridgemac"):
        if rng.random() < 0.6:
            layer[key] = mac()
    for key in STP_TIMES:
        if rng.random() < 0.5:
            layer[key] = rng.randrange(1 << 16)
    return layer


def dot3_llc_vectors():
    out = [vector("dot3 defaults", [{"layer": "dot3"}]),
           vector("dot3 llc defaults", [{"layer": "dot3"}, {"layer": "llc"}]),
           vector("dot3 llc stp defaults", [{"layer": "dot3"}, {"layer": "llc"}, {"layer": "stp"}]),
           vector("dot3 llc snap defaults", [{"layer": "dot3"}, {"layer": "llc"}, {"layer": "snap"}]),
           vector("llc stp", [{"layer": "llc"}, {"layer": "stp"}]),
           vector("llc snap ipv4", [{"layer": "llc"}, {"layer": "snap"}, {"layer": "ipv4"}])]
    for i in range(40):
        dot3 = {"layer": "dot3", "dst": rng.choice([mac(), "01:80:c2:00:00:00"]), "src": mac()}
        kind = rng.choice(["stp", "snap", "llc"])
        llc = {"layer": "llc"}
        if kind == "stp":
            upper = [stp_layer()]
            if rng.random() < 0.3:  # a frame Scapy does not read as STP: payload
                llc.update(dsap=0x42, ssap=rng.choice([0x43, 0x42]), ctrl=rng.choice([3, 0]))
        elif kind == "snap":
            snap = {"layer": "snap"}
            if rng.random() < 0.5:
                snap["OUI"] = rng.choice([0, 0x00000c, 0xffffff])
            typ, upper = ip_layers()
            if rng.random() < 0.2:
                snap["code"] = 0x2000  # unbound: payload
                upper = [{"layer": "payload", "hex": rbytes(12).hex()}]
            elif rng.random() < 0.2:
                snap["code"] = 267
                upper = [stp_layer()]
            upper = [snap] + upper
        else:
            llc.update(dsap=rng.choice([0x06, 0xe0, 0xfe, 0x42, 0xaa]), ssap=rng.randrange(256),
                       ctrl=rng.randrange(256))
            upper = [{"layer": "payload", "hex": rbytes(rng.randrange(0, 40)).hex()}]
        padding = b""
        if rng.random() < 0.35:  # a length that is wrong on purpose
            dot3["len"] = rng.choice([0, 2, 5, 10, 39, 1500])
        elif rng.random() < 0.3 and not any(l["layer"].startswith("ip") for l in upper):
            # An Ethernet trailer past a right length. Not under IP: in a
            # build list the trailer is a raw string, which is payload, and
            # IP's and UDP's auto lengths would count it (Scapy's Padding
            # layer has no counterpart in a build list).
            padding = bytes(rng.randrange(1, 20))
            body = bytes(scapy_packet([llc] + upper))
            dot3["len"] = len(body)
        out.append(vector("dot3 %d" % i, [dot3, llc] + upper, padding))
    return out


def stp_snap_vectors():
    out = []
    for i in range(18):
        first = rng.choice([[{"layer": "dot3", "src": mac()}], [], []])
        out.append(vector("stp %d" % i, first + [{"layer": "llc"}, stp_layer()]))
    for i in range(18):
        snap = {"layer": "snap", "OUI": rng.randrange(1 << 24)} if rng.random() < 0.5 else {"layer": "snap"}
        typ, upper = ip_layers()
        first = rng.choice([[{"layer": "dot3", "dst": mac()}, {"layer": "llc"}], [{"layer": "llc"}], []])
        out.append(vector("snap %d" % i, first + [snap] + upper))
    for i in range(10):  # 802.1Q with a length: LLC follows, as in Scapy's Dot1Q
        upper = [{"layer": "llc"}, stp_layer()]
        if i % 2:
            typ, ip = ip_layers()
            upper = [{"layer": "llc"}, {"layer": "snap"}] + ip
        body = bytes(scapy_packet(upper))
        vlan = {"layer": "vlan", "vlan": rng.randrange(4096),
                "type": rng.choice([len(body), len(body), 3, 0, 1500])}
        out.append(vector("vlan llc %d" % i, [{"layer": "ether", "src": mac()}, vlan] + upper))
    return out


def write_pcaps(outdir):
    """One capture per link type, and the layers Scapy reads from each."""
    frames = {
        "sll": [CookedLinux(pkttype=4, src=b"\x02\x00\x00\x00\x00\x01", lladdrlen=6) /
                IP(src="198.18.0.1", dst="198.18.0.2") / UDP(sport=1, dport=2),
                CookedLinux(proto=0x86dd) / IPv6(src="2001:2::1", dst="2001:2::2"),
                CookedLinux(proto=0x0806) / ARP(psrc="198.18.0.1", pdst="198.18.0.2",
                                                hwsrc="02:00:00:00:00:01")],
        "sll2": [CookedLinuxV2(ifindex=3, pkttype=0) / IP(src="198.18.0.1", dst="198.18.0.2"),
                 CookedLinuxV2(proto=0x86dd) / IPv6(src="2001:2::1", dst="2001:2::2") / UDP()],
        "null": [Loopback(type=2) / IP(src="198.18.0.1", dst="198.18.0.2") / UDP(),
                 Loopback(type=10) / IPv6(src="2001:2::1", dst="2001:2::2")],
        "loop": [Loopback(type=2) / IP(src="198.18.0.1", dst="198.18.0.2") / UDP()],
        "raw": [IP(src="198.18.0.1", dst="198.18.0.2"), IPv6(src="2001:2::1", dst="2001:2::2")],
        "ipv4": [IP(src="198.18.0.1", dst="198.18.0.2") / UDP()],
        "ipv6": [IPv6(src="2001:2::1", dst="2001:2::2") / UDP()],
        "ether": [Ether(src="02:00:00:00:00:01") / IP(src="198.18.0.1", dst="198.18.0.2"),
                  Dot3(src="02:00:00:00:00:01", dst="01:80:c2:00:00:00") / LLC() / STP()],
    }
    linktypes = {"sll": 113, "sll2": 276, "null": 0, "loop": 108, "raw": 101,
                 "ipv4": 228, "ipv6": 229, "ether": 1}
    layers = {}
    for name, pkts in frames.items():
        for i, p in enumerate(pkts):
            p.time = 1700000000 + i  # the same file every run
        path = os.path.join(outdir, "link_%s.pcap" % name)
        wrpcap(path, pkts, linktype=linktypes[name])
        layers["link_%s.pcap" % name] = [
            [NAMES[c] for c in p.layers() if c in NAMES]
            for p in rdpcap(path)]
    with open(os.path.join(outdir, "link_layers.json"), "w") as f:
        json.dump(layers, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    outdir = sys.argv[1]
    vectors = (sll_vectors("sll") + sll_vectors("sll2") + loopback_vectors() +
               dot3_llc_vectors() + stp_snap_vectors())
    with open(os.path.join(outdir, "scapy_link.json"), "w") as f:
        json.dump(vectors, f, indent=1, sort_keys=True)
        f.write("\n")
    write_pcaps(sys.argv[2])


main()
