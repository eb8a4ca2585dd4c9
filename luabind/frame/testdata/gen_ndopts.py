#!/usr/bin/python3
"""Makes scapy_ndopts.json: ND messages with options built by Scapy 2.5,
and what Scapy reads back from their bytes, for ndopts_test.go.

    /usr/bin/python3 luabind/frame/testdata/gen_ndopts.py > luabind/frame/testdata/scapy_ndopts.json

Layers are those of gen_icmp.py (icmp6 then an nd_* layer). An nd_* layer's
"options" is a list of items written in JSON as netlua writes them in Lua
(see gen_opts.py): {"1": "SrcLLAddr", "lladdr": "02:..."} is the class
ICMPv6NDOptSrcLLAddr with its fields, {"1": 77, "2": {"hex": ...}} an option
of a type Scapy has no class for, {"1": "Raw", "2": ...} bytes as they are;
raw options are "options_hex". In "fields", the nd_* layer's "options" is
Scapy's reading of the option chain as items, and "options_hex" the bytes.

An option of a type without a class is built here as RFC 4861 has it, as
netlua writes {type, bytes}: the bytes padded with zeros to whole units of
8, its length in units (Scapy's ICMPv6NDOptUnknown counts bytes). Scapy
reads such an option, and all after it, as Raw.

Frames are random but seeded: a run makes the same file every time.
"""

import json
import random
import sys

from scapy.all import IPv6, UDP, Ether, Raw, Padding, conf
from scapy.layers import inet6
from scapy.layers.inet6 import ICMPv6NDOptUnknown

import gen_icmp
from gen_icmp import ND, ND_NAMES, read_fields, scapy_packet

conf.verb = 0
rng = random.Random(20261208)
gen_icmp.rng.seed(20261208)  # gen_extra's and gen_icmp's random values
ether, ipv6, mac = gen_icmp.ether, gen_icmp.ipv6, gen_icmp.base.mac

CLASSES = ["SrcLLAddr", "DstLLAddr", "PrefixInfo", "RedirectedHdr", "MTU", "RDNSS", "DNSSL"]

# JSON items to Scapy's options.


def scapy_value(v):
    if isinstance(v, dict) and set(v) == {"hex"}:
        return bytes.fromhex(v["hex"])
    if isinstance(v, list):
        return [scapy_value(x) for x in v]
    return v


def scapy_option(item):
    name = item["1"]
    if name == "Raw":
        return Raw(load=scapy_value(item["2"]))
    fields = {k: scapy_value(v) for k, v in item.items() if k not in ("1", "2")}
    if isinstance(name, int):
        data = scapy_value(item.get("2", {"hex": ""}))
        data += b"\x00" * (-(len(data) + 2) % 8)
        fields.setdefault("len", (len(data) + 2) // 8)
        return ICMPv6NDOptUnknown(type=name, data=data, **fields)
    return getattr(inet6, "ICMPv6NDOpt" + name)(**fields)


def scapy_options(items):
    pkt = None
    for item in items:
        o = scapy_option(item)
        pkt = o if pkt is None else pkt / o
    return pkt

# Scapy's reading as JSON items.


def json_value(v):
    if isinstance(v, bytes):
        return {"hex": v.hex()}
    if isinstance(v, list):
        return [json_value(x) for x in v]
    return v


def json_options(nd):
    out, o = [], nd.payload
    while o and not isinstance(o, Padding):
        if isinstance(o, Raw):
            out.append({"1": "Raw", "2": json_value(o.load)})
            break
        name = type(o).__name__[len("ICMPv6NDOpt"):]
        assert name in CLASSES, name
        item = {"1": name}
        for f in o.fields_desc:
            if f.name == "type":
                continue
            v = o.getfieldval(f.name)
            if f.name == "pkt":  # the bytes it was read from (IPv6(b"") is a whole header)
                v = v.original if getattr(v, "original", None) is not None else bytes(v)
            item[f.name] = json_value(v)
        out.append(item)
        o = o.payload
    return out


def text_names(options):
    """Whether Scapy read a name from bytes that are not ASCII: it decodes
    them as UTF-8 text first (escaping what is not) and counts label
    lengths in characters, where netlua keeps names as bytes."""
    return any(ord(c) >= 0x80 or c == "\\" for o in options if o["1"] == "DNSSL"
               for n in o["searchlist"] for c in n)


def vector(name, layers):
    spec = [dict(layer) for layer in layers]
    for layer in spec:
        if "options" in layer:
            layer["nd_options"] = scapy_options(layer.pop("options"))
        if "options_hex" in layer:
            layer["nd_options"] = Raw(bytes.fromhex(layer.pop("options_hex")))
    data = bytes(scapy_packet(spec))
    pkt = Ether(data)
    fields = read_fields(pkt)
    nd = next(l for l in pkt.iterpayloads() if type(l) in ND_NAMES)
    fields[ND_NAMES[type(nd)]]["options"] = json_options(nd)
    if text_names(fields[ND_NAMES[type(nd)]]["options"]):
        return None
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": fields}

# Random options.


def u(bits):
    return rng.randrange(1 << bits)


def hexb(n):
    return {"hex": bytes(rng.randrange(256) for _ in range(n)).hex()}


def ip6():
    return "2001:2:%x::%x" % (rng.randrange(0x10000), rng.randrange(1, 0x10000))


def name():
    return rng.choice(["lab.example.", "test.", "a.b.c.", "example.org", "x" * rng.randint(1, 20) + "."])


def redirected_pkt():
    quoted = bytes(IPv6(src=ip6(), dst=ip6()) / UDP(sport=u(16), dport=53) / bytes(rng.randrange(40)))
    return {"hex": quoted[:rng.choice([len(quoted), 48, 40, 56])].hex()}


def item():
    return rng.choice([
        lambda: {"1": "SrcLLAddr", "lladdr": mac()},
        lambda: {"1": "DstLLAddr", "lladdr": mac()},
        lambda: {"1": rng.choice(["SrcLLAddr", "DstLLAddr"])},
        lambda: {"1": "PrefixInfo", "prefix": ip6(), "prefixlen": rng.choice([48, 64, u(8)]),
                 "L": u(1), "A": u(1), "R": u(1), "res1": rng.choice([0, u(5)]),
                 "validlifetime": u(32), "preferredlifetime": u(32), "res2": rng.choice([0, u(32)])},
        lambda: {"1": "PrefixInfo", "prefix": ip6()},
        lambda: {"1": "MTU", "mtu": rng.choice([1280, 1500, 9000, u(32)])},
        lambda: {"1": "MTU", "mtu": u(32), "res": u(16)},
        lambda: {"1": "RDNSS", "dns": [ip6() for _ in range(rng.randint(0, 3))], "lifetime": u(32)},
        lambda: {"1": "RDNSS", "dns": [ip6()], "res": u(16)},
        lambda: {"1": "DNSSL", "searchlist": [name() for _ in range(rng.randint(0, 3))], "lifetime": u(32)},
        lambda: {"1": "RedirectedHdr", "pkt": redirected_pkt()},
        lambda: {"1": "RedirectedHdr", "pkt": redirected_pkt(), "res": hexb(6)},
    ])()


def unknown():
    return {"1": rng.choice([11, 14, 20, 32, 77, 200, 255]), "2": hexb(rng.choice([0, 1, 6, 9, 14]))}


def wrong_len(it):
    """The item with a length that lies: Scapy writes it as given."""
    it = dict(it)
    it["len"] = rng.choice([0, 1, 2, 3, 5, 255, u(8)])
    return it


def nd_layer(**kw):
    kind = rng.choice(list(ND))
    layer = {"layer": kind}
    if kind in ("nd_ns", "nd_na", "nd_redirect"):
        layer["tgt"] = ip6()
    if kind == "nd_redirect":
        layer["dst"] = ip6()
    if kind == "nd_ra":
        layer["routerlifetime"] = rng.choice([0, 1800, u(16)])
    layer.update(kw)
    return layer


def frame(icmp=None, **kw):
    return [ether(), ipv6(hlim=255), icmp or {"layer": "icmp6"}, nd_layer(**kw)]


# Raw options, malformed on purpose: lengths of 0 and past the end, a
# class's fields cut short, RDNSS addresses not whole, a byte left over.
RAW = [
    "01010200000000", "0101020000000001", "010002000000000105010000000005dc",
    "0102020000000001000000000000000005010000000005dc", "0104020000000001", "05010000000005dc01",
    "0304400000000001000000010000000020010002", "1901000000000001",
    "19020000ffffffff20010002000000000000000000000053",
    "19000000ffffffff200100020000000000000000000000530101020000000001",
    "1903000000000001200100020000000000000000000000530000000000000000",
    "1f0200000000000103616263000000001f00000000000001036c6162000000000101020000000001",
    "1f01000000000001", "1f0300000000000107657861006d706c65037465737400000000000000",
    "0400000000000000", "040300000000000060000000000011ff",
    "4d0100000000000001010200000000010a02000000000001",
    "4d00000000000000", "4d0400000000000000", "ff01ffffffffffff05",
    "0b02000000000000000000000000000001010200000000020000", "01", "",
]


def main():
    vectors = []
    for n in range(40):
        items = [item() for _ in range(rng.randint(1, 4))]
        vectors.append(vector("nd options %d" % n, frame(options=items)))
    for n in range(12):
        items = [item() for _ in range(rng.randint(0, 2))]
        items.insert(rng.randrange(len(items) + 1), unknown())
        vectors.append(vector("nd options unknown type %d" % n, frame(options=items)))
    for n in range(25):
        v = None
        while v is None:  # a name read from bytes past the end may not be ASCII: draw again
            items = [item() for _ in range(rng.randint(1, 3))]
            k = rng.randrange(len(items))
            items[k] = wrong_len(items[k])
            v = vector("nd options wrong length on purpose %d" % n, frame(options=items))
        vectors.append(v)
    for n, h in enumerate(RAW):
        vectors.append(vector("nd raw options %d %s" % (n, h), frame(options_hex=h)))
    for n in range(5):
        vectors.append(vector("nd options bad checksum on purpose %d" % n,
                              frame(icmp={"layer": "icmp6", "chksum": u(16)}, options=[item(), item()])))
    for n in range(3):
        vectors.append(vector("nd options raw item %d" % n,
                              frame(options=[item(), {"1": "Raw", "2": hexb(rng.randint(1, 9))}])))
    # The router advertisement of ndopts_test.go's Lua test.
    vectors.append(vector("nd lua example", [
        ether(src="02:00:00:00:00:01", dst="33:33:00:00:00:01"),
        {"layer": "ipv6", "src": "fe80::1", "dst": "ff02::1", "hlim": 255}, {"layer": "icmp6"},
        {"layer": "nd_ra", "routerlifetime": 1800, "options": [
            {"1": "SrcLLAddr", "lladdr": "02:00:00:00:00:01"},
            {"1": "PrefixInfo", "prefix": "2001:2::", "prefixlen": 64, "validlifetime": 86400},
            {"1": "MTU", "mtu": 1500}, {"1": "RDNSS", "dns": ["2001:2::53"], "lifetime": 600},
            {"1": "DNSSL", "searchlist": ["lab.example."]}, {"1": 77, "2": {"hex": "0102"}}]}]))
    assert all(vectors)
    json.dump(vectors, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
