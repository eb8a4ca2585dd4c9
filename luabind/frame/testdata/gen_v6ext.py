#!/usr/bin/python3
"""Makes scapy_v6ext.json: IPv6 extension headers (hop-by-hop, destination
options, routing, fragment), AH and ESP built by Scapy from layers written
with netlua's names, and the fields Scapy reads back from their bytes, in
the format of scapy_extra.json (gen_extra.py, whose helpers it reuses).

Run with the Scapy of Debian's python3-scapy (2.5):

    /usr/bin/python3 luabind/frame/testdata/gen_v6ext.py > luabind/frame/testdata/scapy_v6ext.json

A layer may carry "scapy": arguments given to Scapy only (the options as
Scapy's option objects, the addresses as a plain list), whose bytes the
layer also carries in netlua's form (options_hex, addresses).
"""

import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_extra as gx  # noqa: E402
import gen_tunnel as gt  # noqa: E402
from scapy.all import IP, AH, ESP, Ether, IPv6, Padding, Raw  # noqa: E402
from scapy.layers.inet6 import (HBHOptUnknown, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,  # noqa: E402
                                IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Jumbo, PadN,
                                RouterAlert)

gx.rng = gt.rng = rng = random.Random(20261208)

CLASSES = {"ipv6_hbh": IPv6ExtHdrHopByHop, "ipv6_dest": IPv6ExtHdrDestOpt, "ipv6_rh": IPv6ExtHdrRouting,
           "ipv6_frag": IPv6ExtHdrFragment, "ah": AH, "esp": ESP}
FIELDS = {
    "ipv6_hbh": ["nh", "len", "options"],
    "ipv6_dest": ["nh", "len", "options"],
    "ipv6_rh": ["nh", "len", "type", "segleft", "reserved", "addresses"],
    "ipv6_frag": ["nh", "res1", "offset", "res2", "m", "id"],
    "ah": ["nh", "payloadlen", "reserved", "spi", "seq", "icv"],
    "esp": ["spi", "seq", "data"],
}
gt.CLASSES.update(CLASSES)
gt.FIELDS.update(FIELDS)
gt.FIRST.update({"ipv6": IPv6, "ipv4": IP})
NETLUA_ONLY = ("layer", "scapy", "options_hex", "addresses", "icv_hex", "data_hex")


def scapy_layer(layer):
    name = layer["layer"]
    if name not in CLASSES:
        return gx.scapy_layer(layer)
    args = {k: v for k, v in layer.items() if k not in NETLUA_ONLY}
    for k in ("icv_hex", "data_hex"):
        if k in layer:
            args[k[:-4]] = bytes.fromhex(layer[k])
    args.update(layer.get("scapy", {}))
    return CLASSES[name](**args)


def layer_fields(name, layer):
    if name not in FIELDS:
        return None
    raw = layer.raw_packet_cache
    values = {}
    for field in FIELDS[name]:
        if field == "options":
            values["options_hex"] = raw[2:].hex()
        elif field == "addresses":
            values["addresses_hex"] = raw[8:].hex()
        elif field == "icv":
            values["icv_hex"] = raw[12:].hex()
        elif field == "data":
            values["data_hex"] = raw[8:].hex()
        else:
            value = getattr(layer, field)
            values[field] = int(value) if value is not None else 0
    return values


gt.scapy_layer = scapy_layer
gt.layer_fields = layer_fields


def v6opts():
    """Options as Scapy objects, and their bytes netlua is given: as they
    are when netlua's end padding makes Scapy's, else as Scapy aligned them."""
    choices = [lambda: RouterAlert(value=rng.randrange(65536)), lambda: Jumbo(jumboplen=rng.randrange(1 << 32)),
               lambda: PadN(optdata=bytes(rng.randrange(6))),
               lambda: HBHOptUnknown(otype=rng.choice([0x1e, 0x3e, 0x7e, 0xde]),
                                     optdata=bytes(rng.randrange(256) for _ in range(rng.randrange(12))))]
    opts = [rng.choice(choices)() for _ in range(rng.randint(0, 3))]
    joined = b"".join(bytes(o) for o in opts)
    aligned = bytes(IPv6ExtHdrHopByHop(options=opts))[2:]
    d = (8 - (len(joined) + 2) % 8) % 8
    pad = b"" if d == 0 else b"\x00" if d == 1 else bytes([1, d - 2]) + bytes(d - 2)
    return opts, (joined if joined + pad == aligned else aligned)


def optlayer(name, **kw):
    opts, data = v6opts()
    layer = {"layer": name, "options_hex": data.hex(), "scapy": {"options": opts}}
    layer.update(kw)
    return layer


def rh(**kw):
    addrs = [gx.ip6() for _ in range(rng.randint(0, 4))]
    layer = {"layer": "ipv6_rh", "addresses": [[a] for a in addrs], "scapy": {"addresses": addrs}}
    if rng.random() < 0.3:
        layer["segleft"] = rng.choice([0, 1, rng.randrange(256)])
    if rng.random() < 0.2:
        layer.update(type=rng.randrange(256), reserved=rng.randrange(1 << 32))
    layer.update(kw)
    return layer


def frag(**kw):
    layer = {"layer": "ipv6_frag", "id": rng.randrange(1 << 32), "m": rng.randrange(2)}
    if rng.random() < 0.2:
        layer.update(res1=rng.randrange(256), res2=rng.randrange(4))
    layer.update(kw)
    return layer


def ext():
    return rng.choice([lambda: optlayer("ipv6_hbh"), lambda: optlayer("ipv6_dest"), rh, frag])()


def upper6():
    return rng.choice([lambda: gx.transport6(), lambda: [gx.payload(1)], lambda: []])()


def ah(**kw):
    icv = bytes(rng.randrange(256) for _ in range(4 * rng.randint(1, 6)))
    layer = {"layer": "ah", "spi": rng.randrange(1 << 32), "seq": rng.randrange(1 << 32),
             "payloadlen": len(icv) // 4 + 1, "icv_hex": icv.hex()}
    layer.update(kw)
    return layer


def esp(**kw):
    layer = {"layer": "esp", "spi": rng.randrange(1 << 32), "seq": rng.randrange(1 << 32),
             "data_hex": bytes(rng.randrange(256) for _ in range(rng.randint(0, 40))).hex()}
    layer.update(kw)
    return layer


def v6(**kw):
    return [gx.ether(), gx.ipv6(**kw)] if rng.random() < 0.7 else [gx.ipv6(**kw)]


def bad_lengths():
    return "bad on purpose", rng.choice([
        lambda: v6() + [optlayer(rng.choice(["ipv6_hbh", "ipv6_dest"]), len=rng.randrange(4)), gx.payload(1)],
        lambda: v6() + [rh(len=rng.randrange(6))] + [gx.payload(16, 60)],
        lambda: v6(plen=rng.randrange(200)) + [ext(), gx.payload(1)],
        lambda: v6() + [ext()] + [gx.udp(chksum=rng.randrange(65536))] + [gx.payload()],
        lambda: [gx.ether(), gx.ipv4(), ah(payloadlen=rng.randrange(1, 8), nh=41), gx.ipv6()] + gx.transport6(),
    ])()


KINDS = [
    ("hbh", lambda: v6() + [optlayer("ipv6_hbh")] + upper6()),
    ("dest", lambda: v6() + [optlayer("ipv6_dest")] + upper6()),
    ("rh", lambda: v6() + [rh()] + upper6()),
    ("frag", lambda: v6() + [frag(offset=0)] + upper6()),
    ("frag later", lambda: v6() + [frag(offset=rng.randrange(1, 8192)), gx.payload(1)]),
    ("chain", lambda: v6() + [optlayer("ipv6_hbh"), optlayer("ipv6_dest"), rh(), frag(offset=0),
                              optlayer("ipv6_dest")][rng.randrange(2):rng.randint(2, 5)] + gx.transport6()),
    ("chain random", lambda: v6() + [ext() for _ in range(rng.randint(1, 4))] + upper6()),
    ("rh checksum", lambda: v6() + [rh(segleft=rng.choice([0, 1, 2]))] + rng.choice([
        [gx.udp(), gx.payload()], [gx.tcp()], [gx.icmp6(), gx.payload()]])),
    ("defaults", lambda: rng.choice([[{"layer": "ipv6"}, {"layer": n}] for n in CLASSES]
                                    + [[{"layer": "ipv6"}, {"layer": n}, {"layer": "udp"}] for n in list(CLASSES)[:3]])),
    ("ah ipv4", lambda: [gx.ether(), gx.ipv4(), ah(nh=0), gx.ipv4()] + gx.transport4()),
    ("ah ipv6", lambda: v6() + [ah(nh=41), gx.ipv6()] + gx.transport6()),
    ("ah over ext", lambda: v6() + [optlayer("ipv6_hbh"), ah(nh=41), gx.ipv6(), gx.udp(), gx.payload()]),
    ("ah other", lambda: v6() + [ah(nh=rng.choice([6, 17, 50])), gx.payload(1)]),
    ("esp", lambda: rng.choice([[gx.ether(), gx.ipv4()], v6()]) + [esp()]),
    ("esp over ext", lambda: v6() + [ext(), esp()]),
    ("bad", bad_lengths),
]


def main():
    vectors = []
    for kind, make in KINDS:
        for n in range(12):
            made = make()
            name, layers = made if isinstance(made, tuple) else (kind, made)
            vectors.append(gt.vector("%s %d" % (name, n), layers))
    json.dump(vectors, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
