#!/usr/bin/python3
"""Makes scapy_tunnel.json: GRE, VXLAN, GENEVE and MPLS frames built by
Scapy from layers written with netlua's names, and the fields Scapy reads
back from their bytes, in the format of scapy_extra.json (gen_extra.py,
whose helpers it reuses).

Run with the Scapy of Debian's python3-scapy (2.5):

    /usr/bin/python3 luabind/frame/testdata/gen_tunnel.py > luabind/frame/testdata/scapy_tunnel.json

A layer may carry "scapy": arguments given to Scapy only (VXLAN's
NextProtocol, GENEVE's option list), whose bytes the layer also carries in
netlua's form (reserved1, options_hex).
"""

import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_extra as gx  # noqa: E402
from scapy.all import GRE, IP, VXLAN, Dot1AD, Ether, IPv6, Padding, Raw  # noqa: E402
from scapy.contrib.geneve import GENEVE, GeneveOptions  # noqa: E402
from scapy.contrib.erspan import ERSPAN_II  # noqa: E402
from scapy.contrib.mpls import MPLS  # noqa: E402

gx.rng = rng = random.Random(20261207)

CLASSES = {"gre": GRE, "vxlan": VXLAN, "geneve": GENEVE, "mpls": MPLS, "erspan": ERSPAN_II}
# dot1ad is built as Scapy's Dot1AD and read back as vlan, as netlua parses it.
BUILD_ONLY = {"dot1ad": (Dot1AD, {"pcp": "prio", "dei": "id", "vid": "vlan"})}
FIELDS = {
    "gre": ["chksum_present", "routing_present", "key_present", "seqnum_present",
            "strict_route_source", "recursion_control", "flags", "version", "proto",
            "chksum", "offset", "key", "sequence_number"],
    "vxlan": ["flags", "reserved1", "vni", "reserved2"],
    "geneve": ["version", "optionlen", "oam", "critical", "reserved", "proto", "vni",
               "reserved2", "options"],
    "mpls": ["label", "cos", "s", "ttl"],
    "erspan": ["ver", "vlan", "cos", "en", "t", "session_id", "reserved", "index"],
}
FIRST = {"erspan": ERSPAN_II, "ether": Ether, "ipv4": IP, "ipv6": IPv6, "gre": GRE, "mpls": MPLS,
         "vxlan": VXLAN, "geneve": GENEVE}


def scapy_layer(layer):
    name = layer["layer"]
    if name in BUILD_ONLY:
        cls, renames = BUILD_ONLY[name]
        return cls(**{renames.get(k, k): v for k, v in layer.items() if k != "layer"})
    if name not in CLASSES:
        return gx.scapy_layer(layer)
    args = {k: v for k, v in layer.items() if k not in ("layer", "scapy", "reserved1", "options_hex")}
    if name == "vxlan" and "reserved1" in layer:
        args["reserved1"] = layer["reserved1"]
    args.update(layer.get("scapy", {}))
    return CLASSES[name](**args)


def netlua_name(pkt):
    for name, cls in CLASSES.items():
        if type(pkt) is cls:
            return name
    return gx.netlua_name(pkt)


def layer_fields(name, layer):
    if name not in FIELDS:
        return None
    raw = layer.raw_packet_cache
    values = {}
    for field in FIELDS[name]:
        if name == "vxlan" and field == "reserved1":
            values[field] = int.from_bytes(raw[1:4], "big")
        elif field == "options":
            values["options_hex"] = raw[8:].hex()
        else:
            value = getattr(layer, field)
            if value is not None:
                values[field] = int(value)
    return values


def read_fields(pkt):
    """The fields Scapy read, by netlua layer name, plus the payload."""
    out, last, layer = {}, None, pkt
    while layer is not None and not isinstance(layer, (Raw, Padding)) and netlua_name(layer):
        name = netlua_name(layer)
        values = layer_fields(name, layer)
        if values is None:
            values = gx.read_fields(layer.copy().__class__(bytes(layer)))[name]
            if isinstance(values, list):
                values = values[0]
        if name in out:
            if not isinstance(out[name], list):
                out[name] = [out[name]]
            out[name].append(values)
        else:
            out[name] = values
        last = layer
        layer = layer.payload if layer.payload else None
    pad = b"".join(p.load for p in gx.padding_layers(pkt))
    rest = bytes(last.payload) if last is not None and last.payload else b""
    if isinstance(last, (gx.ICMPv6EchoRequest, gx.ICMPv6EchoReply)):
        rest = last.data + rest
    if pad:
        rest = rest[:len(rest) - len(pad)]
    out["payload_hex"] = rest.hex()
    if pad:
        out["padding_hex"] = pad.hex()
    return out


def vector(name, layers):
    pkt = None
    for layer in layers:
        s = scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
    data = bytes(pkt)
    for layer in layers:
        layer.pop("scapy", None)
    return {"name": name, "layers": layers, "hex": data.hex(),
            "fields": read_fields(FIRST[layers[0]["layer"]](data))}


def gre(**kw):
    layer = {"layer": "gre"}
    for flag, field, bits in [("chksum_present", None, 0), ("key_present", "key", 32),
                              ("seqnum_present", "sequence_number", 32)]:
        if rng.random() < 0.5:
            layer[flag] = 1
            if field:
                layer[field] = rng.randrange(1 << bits)
    if rng.random() < 0.2:
        layer.update(strict_route_source=rng.randrange(2), recursion_control=rng.randrange(8),
                     flags=rng.randrange(32))
    layer.update(kw)
    return layer


def inner():
    """What a tunnel carries: IPv4 or IPv6 with a transport, or Ethernet."""
    return rng.choice([lambda: [gx.ipv4()] + gx.transport4(), lambda: [gx.ipv6()] + gx.transport6(),
                       lambda: [gx.ether(), gx.ipv4()] + gx.transport4()])()


def outer(proto=None):
    """Ethernet and IPv4 or IPv6 under a tunnel."""
    if rng.random() < 0.6:
        return [gx.ether(), gx.ipv4(**({"proto": proto} if proto else {}))]
    return [gx.ether(), gx.ipv6(**({"nh": proto} if proto else {}))]


def vxlan(**kw):
    layer = {"layer": "vxlan", "vni": rng.randrange(1 << 24)}
    if rng.random() < 0.3:
        layer["flags"] = rng.choice([0x08, 0x00, 0x09, 0x18, 0x28, 0x48, 0x7b])
    if rng.random() < 0.2:
        # Given with the flags only: Scapy drops reserved1 when the flags
        # it sets for the layer above have NextProtocol.
        layer.update(flags=0x08, reserved1=rng.randrange(1 << 24))
    if rng.random() < 0.2:
        layer["reserved2"] = rng.randrange(256)
    layer.update(kw)
    return layer


def vxlan_next_protocol():
    """VXLAN-GPE style: flag 0x04 and a NextProtocol byte in reserved1."""
    proto = rng.choice([1, 2, 3, 0, 4])
    carried = {1: lambda: [gx.ipv4()] + gx.transport4(), 2: lambda: [gx.ipv6()] + gx.transport6(),
               3: lambda: [gx.ether(), gx.ipv4()] + gx.transport4(), 0: lambda: [gx.ether(), gx.ipv6()] + gx.transport6(),
               4: lambda: [gx.payload(1)]}[proto]()
    layer = {"layer": "vxlan", "flags": 0x0c, "vni": rng.randrange(1 << 24), "reserved1": proto,
             "scapy": {"NextProtocol": proto}}
    return outer()[:2] + [gx.udp(dport=4790)] + [layer] + carried


def geneve_options():
    opts = [GeneveOptions(classid=rng.choice([0x0100, 0x0102, 0xffff]), type=rng.randrange(256),
                          data=bytes(rng.randrange(256) for _ in range(4 * rng.randint(0, 3))))
            for _ in range(rng.randint(0, 3))]
    return opts


def geneve(**kw):
    opts = geneve_options()
    layer = {"layer": "geneve", "vni": rng.randrange(1 << 24),
             "options_hex": b"".join(bytes(o) for o in opts).hex(), "scapy": {"options": opts}}
    if rng.random() < 0.2:
        layer.update(oam=rng.randrange(2), critical=rng.randrange(2), reserved=rng.randrange(64),
                     reserved2=rng.randrange(256))
    layer.update(kw)
    return layer


def long_geneve():
    """Options of 14 to 20 words: Scapy's optionlen loses bit 4 (0x2f)."""
    opts = [GeneveOptions(classid=0x0101, type=rng.randrange(256),
                          data=bytes(rng.randrange(256) for _ in range(4 * rng.randint(13, 19))))]
    return dict(geneve(), options_hex=bytes(opts[0]).hex(), scapy={"options": opts})


def dot1ad():
    return dict(gx.vlan(), layer="dot1ad")


def erspan(**kw):
    layer = {"layer": "erspan", "session_id": rng.randrange(1024), "index": rng.randrange(1 << 20)}
    if rng.random() < 0.5:
        layer.update(ver=rng.choice([0, 1, rng.randrange(16)]), vlan=rng.randrange(4096), cos=rng.randrange(8),
                     en=rng.randrange(4), t=rng.randrange(2))
    if rng.random() < 0.2:
        layer["reserved"] = rng.randrange(4096)
    layer.update(kw)
    return layer


def mpls(**kw):
    layer = {"layer": "mpls", "label": rng.randrange(1 << 20), "ttl": rng.randrange(256)}
    if rng.random() < 0.5:
        layer["cos"] = rng.randrange(8)
    layer.update(kw)
    return layer


def mpls_stack(n=None):
    n = n or rng.randint(1, 4)
    return [mpls(s=0) for _ in range(n - 1)] + [mpls()]


def bad_gre():
    return "gre bad on purpose", rng.choice([
        lambda: outer() + [gre(chksum_present=1, chksum=rng.randrange(65536))] + inner(),
        lambda: outer() + [gre(chksum_present=1, offset=rng.randrange(65536))] + inner(),
        lambda: [gx.ether(), gx.ipv4(len=rng.randrange(20, 60)), gre(proto=rng.randrange(0x9000, 0xffff)), gx.payload(1)],
    ])()


def bad_udp_tunnel():
    tunnel = rng.choice([lambda: [vxlan()] + [gx.ether(), gx.ipv4()] + gx.transport4(),
                         lambda: [geneve()] + [gx.ether(), gx.ipv6()] + gx.transport6()])()
    port = 4789 if tunnel[0]["layer"] == "vxlan" else 6081
    return "udp tunnel bad on purpose", [gx.ether(), gx.ipv4()] + rng.choice([
        lambda: [gx.udp(dport=port, chksum=rng.randrange(65536))],
        lambda: [gx.udp(dport=port, len=rng.randrange(300, 65536))],
    ])() + tunnel


KINDS = [
    ("gre", lambda: outer() + [gre()] + inner()),
    ("gre defaults", lambda: rng.choice([[{"layer": "ether"}, {"layer": "ipv4"}, {"layer": "gre"}, {"layer": "ipv4"}],
                                         [{"layer": "ether"}, {"layer": "ipv6"}, {"layer": "gre"}, {"layer": "ether"}, {"layer": "ipv6"}],
                                         [{"layer": "ipv4"}, {"layer": "gre"}, gx.payload()],
                                         [{"layer": "gre", "proto": 0x0800}, {"layer": "ipv4"}]])),
    ("gre routing", lambda: outer() + rng.choice([
        lambda: [gre(routing_present=1, proto=rng.choice([0x0800, 0x86dd])), gx.payload(4)],
        lambda: [gre(routing_present=1), gx.ether(), gx.ipv4()] + gx.transport4()])()),
    ("gre mpls", lambda: outer() + [gre()] + mpls_stack() + rng.choice([[gx.ipv4()] + gx.transport4(), [gx.ipv6()] + gx.transport6()])),
    ("gre arp vlan", lambda: outer() + [gre()] + rng.choice([[{"layer": "arp", "psrc": gx.ip4(), "pdst": gx.ip4(), "hwsrc": gx.mac()}],
                                                             [gx.vlan(), gx.ipv4()] + gx.transport4()])),
    ("gre bad", bad_gre),
    ("vxlan", lambda: outer()[:2] + [gx.udp(dport=rng.choice([4789, 4789, 8472, 4790, 48879]))] + [vxlan(), gx.ether()]
     + rng.choice([[gx.ipv4()] + gx.transport4(), [gx.ipv6()] + gx.transport6(), [gx.payload(1)]])),
    ("vxlan source port", lambda: outer()[:2] + [gx.udp(sport=rng.choice([4789, 8472, 6633]), dport=rng.randrange(1024, 4000)),
                                                 vxlan(), gx.ether(), gx.ipv4()] + gx.transport4()),
    ("vxlan defaults", lambda: [{"layer": "ether"}, {"layer": "ipv4"}, {"layer": "udp"}, {"layer": "vxlan"}, {"layer": "ether"}, gx.payload(1)]),
    ("vxlan next protocol", vxlan_next_protocol),
    ("udp tunnel bad", bad_udp_tunnel),
    ("geneve", lambda: outer()[:2] + [gx.udp(dport=6081)] + rng.choice([
        lambda: [geneve(proto=0x6558), gx.ether(), gx.ipv4()] + gx.transport4(),
        lambda: [geneve(), gx.ipv4()] + gx.transport4(),
        lambda: [geneve(), gx.ipv6()] + gx.transport6(),
        lambda: [geneve(proto=rng.randrange(1, 0x800)), gx.payload(1)]])()),
    ("geneve optionlen", lambda: [gx.ether(), gx.ipv4(), gx.udp(dport=6081),
                                  geneve(optionlen=rng.randrange(64), proto=rng.randrange(0x9000, 0xffff)), gx.payload()]),
    ("geneve long options", lambda: [gx.ether(), gx.ipv4(), gx.udp(dport=6081), long_geneve(), gx.payload()]),
    ("dot1ad", lambda: [gx.ether(), dot1ad()] + rng.choice([
        lambda: [gx.vlan(), gx.ipv4()] + gx.transport4(),
        lambda: [dot1ad(), gx.vlan(), gx.ipv6()] + gx.transport6(),
        lambda: [gx.ipv4()] + gx.transport4(),
        lambda: [{"layer": "arp", "psrc": gx.ip4(), "pdst": gx.ip4(), "hwsrc": gx.mac()}]])()),
    ("dot1ad defaults", lambda: rng.choice([[{"layer": "ether"}, {"layer": "dot1ad"}, {"layer": "vlan"}, {"layer": "ipv4"}],
                                            [{"layer": "ether"}, {"layer": "vlan"}, {"layer": "dot1ad"}, gx.payload(1)],
                                            [{"layer": "ether"}, {"layer": "dot1ad"}, {"layer": "ipv6"}]])),
    ("erspan", lambda: outer() + [gre(**rng.choice([{}, {"seqnum_present": 1, "sequence_number": rng.randrange(1 << 32)},
                                                    {"seqnum_present": 0}]))] + [erspan(), gx.ether()]
     + rng.choice([[gx.ipv4()] + gx.transport4(), [gx.vlan(), gx.ipv6()] + gx.transport6(), [gx.payload(1)]])),
    ("erspan defaults", lambda: rng.choice([[{"layer": "ether"}, {"layer": "ipv4"}, {"layer": "gre"}, {"layer": "erspan"}, {"layer": "ether"}],
                                            [{"layer": "erspan"}, {"layer": "ether"}, {"layer": "ipv4"}],
                                            [{"layer": "ether"}, {"layer": "ipv4", "chksum": rng.randrange(65536)}, {"layer": "gre"}, erspan(),
                                             {"layer": "ether"}, {"layer": "ipv4"}, gx.udp(chksum=rng.randrange(65536))]])),
    ("mpls", lambda: [gx.ether()] + mpls_stack() + rng.choice([[gx.ipv4()] + gx.transport4(), [gx.ipv6()] + gx.transport6()])),
    ("mpls defaults", lambda: rng.choice([[{"layer": "ether"}, {"layer": "mpls"}, {"layer": "ipv4"}],
                                          [{"layer": "ether"}, {"layer": "mpls"}, {"layer": "mpls"}, {"layer": "ipv6"}],
                                          [{"layer": "ether"}, {"layer": "mpls"}, {"layer": "payload", "hex": "0000abcd"}]])),
    ("mpls ethernet", lambda: [gx.ether()] + mpls_stack() + [gx.ether(), gx.ipv4()] + gx.transport4()),
    ("mpls other", lambda: [gx.ether()] + mpls_stack() + [rng.choice([
        {"layer": "payload", "hex": "0000" + "ab" * rng.randrange(8)},
        {"layer": "payload", "hex": "5" + "c" * (2 * rng.randrange(1, 8) - 1)}])]),
    # s=1 ends the stack: what follows is not read as another entry (here
    # it starts with two zero bytes, a control word to Scapy).
    ("mpls wrong s", lambda: [gx.ether(), mpls(s=1), mpls(label=rng.randrange(16), s=rng.randrange(2)), gx.payload(1)]),
    ("mpls over ip and udp", lambda: rng.choice([[gx.ether(), gx.ipv4()], [gx.ether(), gx.ipv6()],
                                                 [gx.ether(), gx.ipv4(), {"layer": "udp", "sport": rng.randrange(1024, 65536)}]])
     + mpls_stack() + [gx.ipv4()] + gx.transport4()),
]


def main():
    vectors = []
    for kind, make in KINDS:
        for n in range(14):
            made = make()
            name, layers = made if isinstance(made, tuple) else (kind, made)
            vectors.append(vector("%s %d" % (name, n), layers))
    json.dump(vectors, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
