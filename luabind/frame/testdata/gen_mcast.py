#!/usr/bin/python3
"""Makes the vectors of the multicast slice: IGMP v1/v2/v3 (scapy_igmp.json),
MLDv1/v2 (scapy_mld.json), LLDP (scapy_lldp.json) and the IPv6 segment
routing header (scapy_srh.json), built by Scapy 2.5 from layers written with
netlua's names, and the fields Scapy reads back from their bytes, in the
format of scapy_extra.json.

    /usr/bin/python3 luabind/frame/testdata/gen_mcast.py igmp > luabind/frame/testdata/scapy_igmp.json

(and so for mld, lldp, srh). The tests read only the JSON; they never need
Scapy. The frames are random but seeded: a run makes the same file every time.

A list field is written in a layer, and read back in "fields", as items in
JSON as netlua writes them in Lua (see gen_opts.py): an object's "1", "2"...
are positional values, its other keys named fields, {"hex": ...} bytes. The
fields also hold the list's bytes on the wire as <name>_hex.

IPv4 and IPv6 layers without a destination are given none in Scapy, so that
the destination an upper layer's binding overloads (224.0.0.22, ff02::1...)
is checked; their source is always given, as Scapy would take it from the
machine's routes.
"""

import json
import random
import sys

from scapy.all import IP, IPv6, ConditionalField, Ether, Dot1Q, Padding, Raw, conf
from scapy.contrib.igmp import IGMP
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3gr, IGMPv3mq, IGMPv3mr, IGMPv3mra
from scapy.contrib import lldp
from scapy.all import TCP, UDP
from scapy.layers.inet6 import Jumbo, PadN
from scapy.layers.inet6 import (IPv6ExtHdrSegmentRouting, IPv6ExtHdrSegmentRoutingTLV, ICMPv6MLDMultAddrRec, ICMPv6MLDone, ICMPv6MLQuery, ICMPv6MLQuery2,
                                ICMPv6MLReport, ICMPv6MLReport2, IPv6ExtHdrHopByHop, RouterAlert)

conf.verb = 0
# Strict mode refuses LLDPDUs that do not start with chassis id, port id
# and TTL, and so the wrong ones on purpose: netlua takes any TLVs.
conf.contribs["LLDP"].strict_mode_disable()
rng = random.Random(20261209)

CLASSES = {"ether": Ether, "vlan": Dot1Q, "ipv4": IP, "ipv6": IPv6,
           "igmp": IGMP, "igmpv3": IGMPv3, "igmpv3mq": IGMPv3mq, "igmpv3mr": IGMPv3mr,
           "igmpv3mra": IGMPv3mra, "ipv6_hbh": IPv6ExtHdrHopByHop,
           "mld_query": ICMPv6MLQuery, "mld_report": ICMPv6MLReport, "mld_done": ICMPv6MLDone,
           "mldv2_query": ICMPv6MLQuery2, "mldv2_report": ICMPv6MLReport2, "lldp": lldp.LLDPDU,
           "ipv6_rh": IPv6ExtHdrSegmentRouting, "udp": UDP, "tcp": TCP}
# The MLD classes hold the icmp6 layer's fields too: type, code (res in
# ICMPv6MLReport2) and chksum (cksum).
ICMP6 = {"type": "type", "code": "code", "chksum": "cksum"}
FIELDS = {
    "ether": ["dst", "src", "type"],
    "vlan": ["prio", "id", "vlan", "type"],
    "ipv4": ["version", "ihl", "tos", "len", "id", "frag", "ttl", "proto", "chksum", "src", "dst"],
    "ipv6": ["version", "tc", "fl", "plen", "nh", "hlim", "src", "dst"],
    "igmp": ["type", "mrcode", "chksum", "gaddr"],
    "igmpv3": ["type", "mrcode", "chksum"],
    "igmpv3mq": ["gaddr", "resv", "s", "qrv", "qqic", "numsrc", "srcaddrs"],
    "igmpv3mr": ["res2", "numgrp", "records"],
    "igmpv3mra": ["qryIntvl", "robust"],
    "ipv6_hbh": ["nh", "len", "options"],
    "icmp6": ["type", "code", "chksum"],
    "mld_query": ["mrd", "reserved", "mladdr"],
    "mld_report": ["mrd", "reserved", "mladdr"],
    "mld_done": ["mrd", "reserved", "mladdr"],
    "mldv2_query": ["mrd", "reserved", "mladdr", "Resv", "S", "QRV", "QQIC", "sources_number", "sources"],
    "mldv2_report": ["reserved", "records_number", "records"],
    "lldp": ["tlvs"],
    "ipv6_rh": ["nh", "len", "type", "segleft", "lastentry", "unused1", "protected", "oam", "alert", "hmac",
                "unused2", "tag", "addresses"],
    "udp": ["sport", "dport", "len", "chksum"],
    "tcp": ["sport", "dport", "seq", "ack", "dataofs", "flags", "window", "chksum"],
}
RENAMES = {"vlan": {"pcp": "prio", "dei": "id", "vid": "vlan"}}
# Where a list field's bytes start in its layer's raw bytes.
LIST_AT = {("igmpv3mq", "srcaddrs"): 8, ("igmpv3mr", "records"): 4, ("ipv6_hbh", "options"): 2,
           ("mldv2_query", "sources"): 28, ("mldv2_report", "records"): 8, ("lldp", "tlvs"): 0, ("ipv6_rh", "addresses"): 8}


def names():
    return {cls: name for name, cls in CLASSES.items()}

# netlua layers to Scapy.


def scapy_items(name, field, items):
    """A list field's JSON items as Scapy's value."""
    if (name, field) == ("igmpv3mq", "srcaddrs"):
        return [it[0] for it in items]
    if (name, field) == ("mldv2_query", "sources"):
        return [it[0] for it in items]
    if (name, field) == ("ipv6_rh", "addresses"):
        return [it[0] for it in items if isinstance(it, list)]
    if (name, field) == ("mldv2_report", "records"):
        out = []
        for it in items:
            if it.get("1") == "Raw":
                out.append(Raw(bytes.fromhex(it["2"]["hex"])))
                continue
            it = dict(it)
            if "auxdata" in it:
                it["auxdata"] = bytes.fromhex(it["auxdata"]["hex"])
            out.append(ICMPv6MLDMultAddrRec(**it))
        return out
    if (name, field) == ("igmpv3mr", "records"):
        out = []
        for it in items:
            if it.get("1") == "Raw":
                out.append(Raw(bytes.fromhex(it["2"]["hex"])))
                continue
            out.append(IGMPv3gr(**it))
        return out
    raise KeyError((name, field))


def scapy_layer(layer, icmp6=None):
    name = layer["layer"]
    if name == "payload":
        return Raw(bytes.fromhex(layer["hex"]))
    if name == "lldp":
        return scapy_tlvs(layer)
    if name == "ipv6_hbh" and "scapy" in layer:  # Scapy's options, as bytes in options_hex
        return IPv6ExtHdrHopByHop(**layer["scapy"])
    if name == "ipv6_hbh":  # the router alert of router_alert()
        return IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])
    args = {}
    if name == "ipv4":
        args["src"] = "127.0.0.1"
    if name == "ipv6":
        args["src"] = "::1"
    if name == "ether":
        args.update(src="00:00:00:00:00:00", dst="ff:ff:ff:ff:ff:ff")
    for key, value in layer.items():
        if key == "layer":
            continue
        if key.endswith("_hex"):
            args[key[:-4]] = Raw(bytes.fromhex(value)) if (name, key[:-4]) in LIST_AT else bytes.fromhex(value)
            continue
        if isinstance(value, list):
            if name == "ipv6_rh":  # the TLVs, a last {"Raw", bytes} item
                tlvs = [bytes.fromhex(it["2"]["hex"]) for it in value if isinstance(it, dict)]
                if tlvs:
                    args["tlv_objects"] = [IPv6ExtHdrSegmentRoutingTLV(tlvs[0])]
            value = scapy_items(name, key, value)
        args[RENAMES.get(name, {}).get(key, key)] = value
    for key, value in (icmp6 or {}).items():
        if key != "layer":
            args["res" if key == "code" and name == "mldv2_report" else ICMP6[key]] = value
    return CLASSES[name](**args)

# Scapy's reading as netlua fields.


def json_items(name, field, value):
    if (name, field) == ("igmpv3mq", "srcaddrs"):
        return [[a] for a in value]
    if (name, field) == ("mldv2_query", "sources"):
        return [[a] for a in value]
    if (name, field) == ("ipv6_rh", "addresses"):
        return [[a] for a in value]
    if (name, field) == ("mldv2_report", "records"):
        out, chain = [], []
        for r in value:  # the first record holds the others as its payload
            while r:
                chain.append(r)
                r = r.payload
        for r in chain:
            if isinstance(r, Raw):
                out.append({"1": "Raw", "2": {"hex": r.load.hex()}})
                continue
            rec = {"rtype": r.rtype, "auxdata_len": r.auxdata_len, "sources_number": r.sources_number,
                   "dst": r.dst, "sources": list(r.sources), "auxdata": {"hex": r.auxdata.hex()}}
            out.append({k: v for k, v in rec.items() if v is not None})
        return out
    if (name, field) == ("igmpv3mr", "records"):
        out = []
        for r in value:
            if isinstance(r, Raw):
                out.append({"1": "Raw", "2": {"hex": r.load.hex()}})
                continue
            rec = {"rtype": r.rtype, "auxdlen": r.auxdlen, "numsrc": r.numsrc,
                   "maddr": r.maddr, "srcaddrs": list(r.srcaddrs)}
            out.append({k: v for k, v in rec.items() if v is not None})  # numsrc cut off
        return out
    raise KeyError((name, field))


def layer_fields(name, layer):
    values = {}
    raw = layer.raw_packet_cache
    for field in FIELDS[name]:
        if (name, field) == ("ipv6_hbh", "options"):
            values["options_hex"] = raw[2:].hex()
            continue
        value = getattr(layer, RENAMES.get(name, {}).get(field, field))
        if (name, field) in LIST_AT:
            values[field] = json_items(name, field, value)
            values[field + "_hex"] = raw[LIST_AT[(name, field)]:].hex()
            tlvs = raw[8 + 16 * len(value):]
            if name == "ipv6_rh" and tlvs:
                values[field].append({"1": "Raw", "2": {"hex": tlvs.hex()}})
        else:
            values[field] = int(value) if not isinstance(value, str) else value
    return values


def scapy_value(v):
    return bytes.fromhex(v["hex"]) if isinstance(v, dict) else v


def scapy_tlvs(layer):
    """An lldp layer as Scapy's chain: LLDPDU, then a packet per TLV."""
    if "tlvs_hex" in layer:
        return lldp.LLDPDU() / Raw(bytes.fromhex(layer["tlvs_hex"]))
    pkt = lldp.LLDPDU()
    for it in layer["tlvs"]:
        name = it["1"]
        if name == "Raw":
            pkt = pkt / Raw(scapy_value(it["2"]))
        elif isinstance(name, int):  # {type, bytes}: no class in Scapy, its bytes
            data = scapy_value(it.get("2", ""))
            n = it.get("_length", len(data))
            pkt = pkt / Raw(bytes([name << 1 | n >> 8, n & 0xff]) + data)
        else:
            args = {k: scapy_value(v) for k, v in it.items() if k != "1"}
            pkt = pkt / getattr(lldp, "LLDPDU" + name)(**args)
    return pkt


def json_tlvs(pkt):
    """Scapy's reading of the TLV chain after an LLDPDU as items."""
    out, t = [], pkt.payload
    while t and not isinstance(t, Padding):  # what follows EndOfLLDPDU is padding
        if isinstance(t, Raw):
            out.append({"1": "Raw", "2": {"hex": t.load.hex()}})
            break
        item = {"1": type(t).__name__[len("LLDPDU"):]}
        for f in t.fields_desc:
            if f.name == "_type" or isinstance(f, ConditionalField) and not f._evalcond(t):
                continue
            v = t.getfieldval(f.name)
            if v is None:
                continue
            item[f.name] = {"hex": v.hex()} if isinstance(v, bytes) else v
        out.append(item)
        t = t.payload
    return out


def read_fields(pkt):
    out, last, layer, known = {}, None, pkt, names()
    while layer is not None and type(layer) in known:
        name = known[type(layer)]
        if name == "lldp":
            tlvs = bytes(layer.payload)
            pad = layer.getlayer(Padding)
            out["lldp"] = {"tlvs": json_tlvs(layer), "tlvs_hex": tlvs[:len(tlvs) - len(pad.load if pad else b"")].hex()}
            last = None
            break
        if name.startswith("mld"):
            code = "res" if name == "mldv2_report" else "code"
            out["icmp6"] = {"type": layer.type, "code": getattr(layer, code), "chksum": layer.cksum}
        values = layer_fields(name, layer)
        if name in out:
            if not isinstance(out[name], list):
                out[name] = [out[name]]
            out[name].append(values)
        else:
            out[name] = values
        last = layer
        layer = layer.payload if layer.payload else None
        if isinstance(last, IP) and last.proto == 2 and isinstance(layer, Raw):
            # Scapy binds IGMP on ttl 1 only; netlua, as tcpdump, decodes
            # every protocol 2 payload: read it with Scapy's IGMP class.
            layer = IGMP(layer.load)
            last.payload = layer
    pad = b""
    p = pkt
    while p:
        if isinstance(p, Padding):
            pad += p.load
        p = p.payload
    rest = bytes(last.payload) if last is not None and last.payload else b""
    if pad:
        rest = rest[:len(rest) - len(pad)]
    out["payload_hex"] = rest.hex()
    if pad:
        out["padding_hex"] = pad.hex()
    return out


def vector(name, layers):
    pkt, icmp6 = None, None
    for layer in layers:
        if layer["layer"] == "icmp6":
            icmp6 = layer
            continue
        s = scapy_layer(layer, icmp6)
        pkt = s if pkt is None else pkt / s
    data = bytes(pkt)
    for layer in layers:
        layer.pop("scapy", None)
    return {"name": name, "layers": layers, "hex": data.hex(),
            "fields": read_fields(CLASSES[layers[0]["layer"]](data))}

# Random values.


def u(bits):
    return rng.randrange(1 << bits)


def hexb(n):
    return bytes(rng.randrange(256) for _ in range(n)).hex()


def mac():
    return "02:" + ":".join("%02x" % rng.randrange(256) for _ in range(5))


def ip4():
    return "198.%d.%d.%d" % (rng.choice([18, 19]), rng.randrange(256), rng.randrange(1, 255))


def group4():
    return "%d.%d.%d.%d" % (rng.randint(224, 239), rng.randrange(256), rng.randrange(256), rng.randrange(256))


def ether(**kw):
    return dict({"layer": "ether", "src": mac(), "dst": mac()}, **kw)


def payload(lo=0, hi=20):
    return {"layer": "payload", "hex": hexb(rng.randint(lo, hi))}

# IGMP.


def ipv4(**kw):
    layer = {"layer": "ipv4", "src": ip4()}
    if rng.random() < 0.5:
        layer["dst"] = group4()
    if rng.random() < 0.2:
        layer["id"] = u(16)
    layer.update(kw)
    return layer


def under4(**kw):
    return [ether(), ipv4(**kw)] if rng.random() < 0.8 else [ipv4(**kw)]


def igmp(**kw):
    layer = {"layer": "igmp", "type": rng.choice([0x11, 0x12, 0x16, 0x17]), "gaddr": group4()}
    if rng.random() < 0.5:
        layer["mrcode"] = u(8)
    layer.update(kw)
    return layer


def record():
    r = {"rtype": rng.randint(1, 6), "maddr": group4(), "srcaddrs": [ip4() for _ in range(rng.randint(0, 3))]}
    if rng.random() < 0.2:
        r["auxdlen"] = u(8)
    return r


def igmp_frames():
    return [
        ("igmp", lambda: under4() + [igmp()]),
        ("igmp payload", lambda: under4() + [igmp(), payload(1)]),
        ("igmp defaults", lambda: rng.choice([[{"layer": "ipv4"}, {"layer": "igmp"}],
                                              [ether(), {"layer": "ipv4", "src": ip4()}, {"layer": "igmp"}]])),
        ("igmpv3 query", lambda: under4() + [{"layer": "igmpv3", "mrcode": u(8)},
                                             {"layer": "igmpv3mq", "gaddr": rng.choice(["0.0.0.0", group4()]),
                                              "s": u(1), "qrv": u(3), "qqic": u(8),
                                              "srcaddrs": [[ip4()] for _ in range(rng.randint(0, 4))]}]),
        ("igmpv3 report", lambda: under4() + [{"layer": "igmpv3"},
                                              {"layer": "igmpv3mr", "records": [record() for _ in range(rng.randint(0, 4))]}]),
        ("igmpv3 router adv", lambda: under4() + [{"layer": "igmpv3", "type": 0x30, "mrcode": u(8)},
                                                  {"layer": "igmpv3mra", "qryIntvl": u(16), "robust": u(16)}]),
        ("igmpv3 other", lambda: under4() + [{"layer": "igmpv3", "type": rng.choice([0x31, 0x32]), "mrcode": u(8)},
                                             payload(0, 8)]),
        ("igmpv3 defaults", lambda: rng.choice([[{"layer": "ipv4"}, {"layer": "igmpv3"}, {"layer": n}]
                                                for n in ("igmpv3mq", "igmpv3mr", "igmpv3mra")])),
        ("igmp bad checksum on purpose", lambda: under4() + rng.choice([
            [igmp(chksum=u(16))],
            [{"layer": "igmpv3", "chksum": u(16)}, {"layer": "igmpv3mr", "records": [record()]}]])),
        ("igmp bad lengths on purpose", lambda: under4() + rng.choice([
            [{"layer": "igmpv3"}, {"layer": "igmpv3mq", "numsrc": rng.randint(0, 5),
                                  "srcaddrs": [[ip4()] for _ in range(rng.randint(0, 3))]}],
            [{"layer": "igmpv3"}, {"layer": "igmpv3mr", "numgrp": rng.randint(0, 4),
                                  "records": [record() for _ in range(rng.randint(0, 3))]}],
            [{"layer": "igmpv3"}, {"layer": "igmpv3mr", "records": [dict(record(), numsrc=rng.randint(0, 4))
                                                                    for _ in range(rng.randint(1, 3))]}],
            [{"layer": "igmpv3"}, {"layer": "igmpv3mr", "records": [record(), {"1": "Raw", "2": {"hex": hexb(rng.randint(1, 7))}}]}],
            [{"layer": "igmpv3", "type": 0x22, "mrcode": rng.randint(1, 255)}, {"layer": "igmpv3mr", "records": [record()]}],
            [igmp(), payload(4, 4)],
            [{"layer": "igmpv3"}, {"layer": "igmpv3mq"}, payload(1, 6)],
            [igmp(type=0x11), payload(0, 3)]])),
        ("igmp other ttl", lambda: under4(ttl=rng.choice([1, 1, 2, 64])) + [igmp()]),
    ]


# MLD.


def ip6():
    return "2001:2:%x::%x" % (rng.randrange(0x10000), rng.randrange(1, 0x10000))


def group6():
    return "ff%02x::%x" % (rng.choice([2, 5, 0x0e, 0x15]), rng.randrange(1, 0x10000))


def ipv6(**kw):
    layer = {"layer": "ipv6", "src": rng.choice(["fe80::%x" % rng.randrange(1, 0x10000), ip6()])}
    if rng.random() < 0.4:
        layer["dst"] = group6()
    if rng.random() < 0.2:
        layer["hlim"] = rng.choice([1, 255, u(8)])
    layer.update(kw)
    return layer


def router_alert():
    data = bytes(IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]))[2:]
    return {"layer": "ipv6_hbh", "options_hex": data.hex()}


def under6(**kw):
    layers = [ipv6(**kw)]
    if rng.random() < 0.3:
        layers.append(router_alert())
    if rng.random() < 0.8:
        layers.insert(0, ether())
    return layers + [{"layer": "icmp6"}]


def mld1(kind=None):
    kind = kind or rng.choice(["mld_query", "mld_report", "mld_done"])
    layer = {"layer": kind, "mladdr": rng.choice(["::", group6()])}
    if rng.random() < 0.5:
        layer["mrd"] = u(16)
    if rng.random() < 0.2:
        layer["reserved"] = u(16)
    return layer


def mld_record():
    r = {"rtype": rng.randint(1, 6), "dst": group6(), "sources": [ip6() for _ in range(rng.randint(0, 3))]}
    if rng.random() < 0.3:
        r["auxdata"] = {"hex": hexb(rng.choice([0, 4, 8, 3]))}
    return r


def mld2_query(**kw):
    layer = {"layer": "mldv2_query", "mladdr": rng.choice(["::", group6()]), "S": u(1), "QRV": u(3),
             "QQIC": u(8), "sources": [[ip6()] for _ in range(rng.randint(0, 3))]}
    if rng.random() < 0.5:
        layer["mrd"] = u(16)
    layer.update(kw)
    return layer


def mld2_report(**kw):
    layer = {"layer": "mldv2_report", "records": [mld_record() for _ in range(rng.randint(0, 4))]}
    layer.update(kw)
    return layer


def mld_frames():
    return [
        ("mld v1", lambda: under6() + [mld1()]),
        ("mld v1 payload", lambda: under6() + [mld1(), payload(1, 3)]),
        ("mld v1 defaults", lambda: [{"layer": "ipv6"}, {"layer": "icmp6"}, {"layer": rng.choice(
            ["mld_query", "mld_report", "mld_done"])}]),
        ("mldv2 query", lambda: under6() + [mld2_query()]),
        ("mldv2 report", lambda: under6() + [mld2_report()]),
        ("mldv2 defaults", lambda: [{"layer": "ipv6"}, {"layer": "icmp6"}, {"layer": rng.choice(
            ["mldv2_query", "mldv2_report"])}]),
        ("mld bad checksum on purpose", lambda: [ipv6(), {"layer": "icmp6", "chksum": u(16)},
                                                 rng.choice([mld1(), mld2_query(), mld2_report()])]),
        ("mld bad lengths on purpose", lambda: under6() + rng.choice([
            [mld2_query(sources_number=rng.randint(0, 4))],
            [mld2_report(records_number=rng.randint(0, 3))],
            [mld2_report(records=[dict(mld_record(), sources_number=rng.randint(0, 3))])],
            [mld2_report(records=[dict(mld_record(), auxdata_len=rng.randint(0, 9))])],
            [mld2_report(records=[mld_record(), {"1": "Raw", "2": {"hex": hexb(rng.randint(1, 19))}}])],
            [mld1("mld_query"), payload(4, 4)]])),
        ("mld code", lambda: [ipv6(), {"layer": "icmp6", "code": u(8)}, rng.choice([mld1(), mld2_report()])]),
    ]


# LLDP.


def lldp_id(port):
    mac_sub, net_sub = (3, 4) if port else (4, 5)
    return rng.choice([
        lambda: {"subtype": mac_sub, "id": mac()},
        lambda: {"subtype": net_sub, "family": 1, "id": ip4()},
        lambda: {"subtype": net_sub, "family": 2, "id": ip6()},
        lambda: {"subtype": net_sub, "family": rng.choice([0, 6]), "id": {"hex": hexb(rng.randint(1, 8))}},
        lambda: {"subtype": rng.choice([1, 2, 6, 7] if not port else [1, 2, 5, 6, 7]),
                 "id": {"hex": rng.choice([b"eth0", b"Gi0/1", b"sw1.lab", b"x" * rng.randint(1, 40)]).hex()}},
    ])()


def caps():
    names = [f.name for f in lldp.LLDPDUSystemCapabilities.fields_desc[2:]]
    return {n: 1 for n in rng.sample(names, rng.randint(0, 6))}


def text(lo=0, hi=30):
    return {"hex": bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789 -./") for _ in range(rng.randint(lo, hi))).hex()}


def tlv():
    return rng.choice([
        lambda: {"1": "PortDescription", "description": text()},
        lambda: {"1": "SystemName", "system_name": text(1)},
        lambda: {"1": "SystemDescription", "description": text(0, 80)},
        lambda: dict({"1": "SystemCapabilities"}, **caps()),
        lambda: {"1": "ManagementAddress", "management_address_subtype": 1, "management_address": {"hex": bytes(
            [198, 18, u(8), u(8)]).hex()}, "interface_numbering_subtype": rng.choice([1, 2, 3]),
            "interface_number": u(32), "object_id": {"hex": hexb(rng.choice([0, 0, 3, 8]))}},
        lambda: {"1": "GenericOrganisationSpecific", "org_code": rng.choice([0x0080c2, 0x00120f, u(24)]),
                 "subtype": u(8), "data": {"hex": hexb(rng.randint(0, 12))}},
        lambda: {"1": rng.choice([9, 15, 60, 126]), "2": {"hex": hexb(rng.randint(0, 10))}},
    ])()


def lldpdu(extra=None, end=True):
    tlvs = [dict({"1": "ChassisID"}, **lldp_id(False)), dict({"1": "PortID"}, **lldp_id(True)),
            {"1": "TimeToLive", "ttl": rng.choice([0, 120, u(16)])}]
    tlvs += extra if extra is not None else [tlv() for _ in range(rng.randint(0, 4))]
    if end:
        tlvs.append({"1": "EndOfLLDPDU"})
    return {"layer": "lldp", "tlvs": tlvs}


def lldp_under():
    return rng.choice([[ether(dst="01:80:c2:00:00:0e")], [ether(), {"layer": "vlan", "vid": u(12)}]])


def wrong_length(it):
    it = dict(it)
    it["_length"] = rng.choice([0, 1, 2, 3, 5, 20, u(9)])
    return it


def lldp_frames():
    return [
        ("lldp", lambda: lldp_under() + [lldpdu()]),
        ("lldp long", lambda: lldp_under() + [lldpdu([tlv() for _ in range(5)] + [{"1": "SystemDescription",
                                                                                   "description": text(60, 90)}])]),
        ("lldp defaults", lambda: [ether(), {"layer": "lldp", "tlvs": [
            {"1": n} for n in rng.sample(["ChassisID", "PortID", "TimeToLive", "SystemName", "SystemCapabilities",
                                          "ManagementAddress", "GenericOrganisationSpecific", "EndOfLLDPDU"], 4)]}]),
        ("lldp alone", lambda: [lldpdu(end=rng.random() < 0.5)]),
        ("lldp unknown type", lambda: lldp_under() + [lldpdu([tlv(), {"1": rng.choice([9, 30, 126]),
                                                                      "2": {"hex": hexb(rng.randint(0, 6))}}, tlv()])]),
        ("lldp wrong length on purpose", lambda: lldp_under() + [lldpdu([wrong_length(tlv()), tlv()])]),
        ("lldp wrong id length on purpose", lambda: lldp_under() + [
            {"layer": "lldp", "tlvs": [wrong_length(dict({"1": rng.choice(["ChassisID", "PortID"])}, **lldp_id(
                rng.random() < 0.5))), {"1": "TimeToLive"}, {"1": "EndOfLLDPDU"}]}]),
        ("lldp raw tail", lambda: lldp_under() + [lldpdu([tlv(), {"1": "Raw", "2": {"hex": hexb(rng.randint(1, 5))}}],
                                                         end=False)]),
        ("lldp raw bytes", lambda: [ether(), {"layer": "lldp", "tlvs_hex": rng.choice([
            "0207", "020704", "0207040200000000000106", "0602", "06020078", "0e0400", "fe0300", "0000", "00",
            "1000", "1001ff", "02010403", "0e0400010002"])}]),
    ]


# Segment routing.


def srh(**kw):
    layer = {"layer": "ipv6_rh", "type": 4, "addresses": [[ip6()] for _ in range(rng.randint(1, 4))]}
    if rng.random() < 0.3:
        layer["tag"] = u(16)
    for bit in ("unused1", "protected", "oam", "alert", "hmac"):
        if rng.random() < 0.15:
            layer[bit] = 1
    if rng.random() < 0.2:
        layer["unused2"] = u(3)
    layer.update(kw)
    return layer


def tlvs():
    """TLVs as bytes: a PadN, an HMAC-like or unknown TLV."""
    kind = rng.choice([4, 5, 1, 130])
    n = rng.choice([0, 2, 4, 6, 14, 20]) if kind != 5 else 38
    return [{"1": "Raw", "2": {"hex": (bytes([kind, n]) + bytes(rng.randrange(256) for _ in range(n))).hex()}}]


def srh_tlvs():
    """An SRH with TLVs: netlua needs segleft and lastentry given to tell
    TLVs of 16 bytes or more from addresses."""
    n = rng.randint(1, 3)
    return srh(addresses=[[ip6()] for _ in range(n)] + tlvs(), segleft=n - 1, lastentry=n - 1)


def under_srh():
    return ([ether()] if rng.random() < 0.7 else []) + [ipv6(src=ip6(), dst=ip6())]


def upper_srh():
    return rng.choice([[{"layer": "udp", "sport": u(16), "dport": u(16)}, payload()], [payload(1)], []])


def srh_frames():
    return [
        ("srh", lambda: under_srh() + [srh()] + upper_srh()),
        ("srh segleft", lambda: under_srh() + [srh(segleft=rng.choice([0, 1, 2]))] + [
            {"layer": "udp", "sport": u(16), "dport": u(16)}, payload()]),
        ("srh tlvs", lambda: under_srh() + [srh_tlvs()]),
        ("srh defaults", lambda: [{"layer": "ipv6"}, {"layer": "ipv6_rh", "type": 4, "addresses": [["::1"]]}]),
        ("srh bad lengths on purpose", lambda: under_srh() + rng.choice([
            [srh(len=rng.randint(0, 12)), payload(0, 40)],
            [srh(lastentry=rng.randint(0, 5)), payload(0, 40)],
            [srh(segleft=u(8)), {"layer": "udp", "sport": u(16), "dport": u(16)}],
        ])),
        ("srh bad checksum on purpose", lambda: under_srh() + [srh(), {"layer": "udp", "sport": 4000, "dport": 5000, "chksum": u(16)}, payload()]),
    ]


# Jumbograms and BIG TCP.


def jumbo_hbh(n):
    opts = [Jumbo(jumboplen=n)]
    return {"layer": "ipv6_hbh", "options_hex": bytes(IPv6ExtHdrHopByHop(options=opts))[2:].hex(),
            "scapy": {"options": opts}}


def tcp():
    return {"layer": "tcp", "sport": u(16), "dport": rng.choice([80, 443, u(16)]), "seq": u(32), "flags": "PA"}


def jumbo_n():
    """A jumbo length of 65536 or more whose low byte is not 0: Scapy,
    which reads it in x86's byte order, then takes the frame to its end."""
    return rng.randrange(jumbo_min(), 1 << 32) | 1


def jumbo_min():
    return 65536


def jumbo_frames():
    return [
        ("jumbo exact", lambda: [ether(), ipv6(src=ip6(), dst=ip6(), plen=0), jumbo_hbh(8 + 20 + 65510), tcp(),
                                 {"layer": "payload", "hex": bytes(65510).hex()}]),  # zeros: git packs them small
        ("jumbo longer than the frame", lambda: [ether(), ipv6(src=ip6(), dst=ip6(), plen=0), jumbo_hbh(jumbo_n()),
                                                 tcp(), payload(0, 40)]),
        ("big tcp", lambda: ([ether()] if rng.random() < 0.7 else []) + [ipv6(src=ip6(), dst=ip6(), plen=0), tcp(),
                                                                         payload(0, 40)]),
        # plen 0 and a hop-by-hop header without a jumbo option
        # (ipv6_missing_jumbo_payload_option.pcap): Scapy's payload and
        # tcpdump's are that header ("invalid"), what follows is padding.
        ("hbh without jumbo", lambda: [ether(), ipv6(src=ip6(), dst=ip6(), plen=0), plain_hbh(), tcp(), payload(0, 40)]),
    ]


def plain_hbh():
    opts = rng.choice([[RouterAlert(value=u(16))], [PadN(optdata=b"\0" * rng.choice([0, 4, 10]))], []])
    return {"layer": "ipv6_hbh", "options_hex": bytes(IPv6ExtHdrHopByHop(options=opts))[2:].hex(),
            "scapy": {"options": opts}}


def no_jumbo_byte(v):
    """Whether Scapy's scan for a jumbo option, which looks at every byte
    4n + 2 of the IPv6 payload for 0xc2 and fails on a payload of 4n + 2
    bytes, finds none and ends."""
    data = bytes.fromhex(v["hex"])[14 + 40:]
    return len(data) % 4 != 2 and all(data[k] != 0xc2 for k in range(2, len(data), 4))


KINDS = {"igmp": igmp_frames, "mld": mld_frames, "lldp": lldp_frames, "srh": srh_frames, "jumbo": jumbo_frames}

# The frames mcast_lua_test.go builds from Lua, with fixed values.
LUA_EXAMPLES = {
    "igmp": [{"layer": "ether", "src": "02:00:00:00:00:01", "dst": "01:00:5e:00:00:16"},
             {"layer": "ipv4", "src": "198.18.0.1"}, {"layer": "igmpv3"},
             {"layer": "igmpv3mr", "records": [{"rtype": 4, "maddr": "239.1.2.3", "srcaddrs": ["198.18.0.9"]}]}],
    "mld": [{"layer": "ether", "src": "02:00:00:00:00:01", "dst": "33:33:00:00:00:16"},
            {"layer": "ipv6", "src": "fe80::1"}, {"layer": "icmp6"},
            {"layer": "mldv2_report", "records": [{"rtype": 4, "dst": "ff05::1", "sources": ["2001:2::1"]}]}],
    "lldp": [{"layer": "ether", "src": "02:00:00:00:00:01", "dst": "01:80:c2:00:00:0e"},
             {"layer": "lldp", "tlvs": [{"1": "ChassisID", "subtype": 4, "id": "02:00:00:00:00:01"},
                                        {"1": "PortID", "subtype": 5, "id": {"hex": b"eth0".hex()}},
                                        {"1": "TimeToLive", "ttl": 120},
                                        {"1": "SystemName", "system_name": {"hex": b"sw1".hex()}},
                                        {"1": "EndOfLLDPDU"}]}],
}
# Kinds made more often: each of their layers is in 25 vectors or more.
MANY = {"igmpv3 query": 28, "igmpv3 report": 22, "igmpv3 router adv": 25,
        "mld v1": 70, "mldv2 query": 25, "mldv2 report": 25, "lldp": 30, "lldp wrong length on purpose": 12,
        "lldp raw bytes": 13, "srh": 10, "srh bad lengths on purpose": 10, "jumbo exact": 1,
        "jumbo longer than the frame": 14, "big tcp": 12}


def main():
    vectors = []
    for kind, make in KINDS[sys.argv[1]]():
        for n in range(MANY.get(kind, 8)):
            v = vector("%s %d" % (kind, n), make())
            while kind == "hbh without jumbo" and not no_jumbo_byte(v):
                v = vector("%s %d" % (kind, n), make())
            vectors.append(v)
    if sys.argv[1] in LUA_EXAMPLES:
        vectors.append(vector("lua example", LUA_EXAMPLES[sys.argv[1]]))
    json.dump(vectors, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
