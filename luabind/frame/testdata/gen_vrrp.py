#!/usr/bin/python3
"""Makes scapy_vrrp.json: VRRP (version 2 and 3) frames built by Scapy
2.5, and what Scapy reads back from their bytes, for vrrp_test.go.

    /usr/bin/python3 luabind/frame/testdata/gen_vrrp.py > luabind/frame/testdata/scapy_vrrp.json

A vrrp layer's "addrlist" is a list of addresses; in "fields", "vrrp"
holds Scapy's reading, its addrlist as items [["198.18.0.1"], ...].

Frames are random but seeded: a run makes the same file every time.
"""

import json
import random
import sys

from scapy.all import Ether, Raw, conf
from scapy.layers.vrrp import VRRP, VRRPv3

import gen_extra
from gen_extra import ether, ip4, ip6, ipv4, ipv6, read_fields

conf.verb = 0
rng = random.Random(20261211)
gen_extra.rng.seed(20261211)

V2 = ("version", "type", "vrid", "priority", "ipcount", "authtype", "adv", "chksum", "auth1", "auth2")
V3 = ("version", "type", "vrid", "priority", "ipcount", "res", "adv", "chksum")


def u(bits):
    return rng.randrange(1 << bits)


def scapy_vrrp(layer):
    args = {k: v for k, v in layer.items() if k != "layer"}
    args["addrlist"] = [a[0] for a in args.get("addrlist", [])]
    return (VRRPv3 if layer.get("version") == 3 else VRRP)(**args)


def vector(name, layers):
    pkt = None
    for layer in layers:
        if layer["layer"] == "payload":
            # Scapy's VRRP post_build drops its payload: the bytes follow
            # VRRP's own, built under the same IP layer.
            vrrp_bytes = bytes(pkt.getlayer(type(pkt[1])))[len(bytes(pkt[1])) - len(bytes(pkt[1].payload)):]
            pkt[1].remove_payload()
            pkt = pkt / Raw(vrrp_bytes + bytes.fromhex(layer["hex"]))
            continue
        s = scapy_vrrp(layer) if layer["layer"] == "vrrp" else gen_extra.scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
    data = bytes(pkt)
    back = Ether(data)
    fields = read_fields(back)
    v = back.getlayer(VRRPv3) or back.getlayer(VRRP)
    if v:
        fields["vrrp"] = {k: v.getfieldval(k) for k in (V3 if isinstance(v, VRRPv3) else V2)}
        fields["vrrp"]["addrlist"] = [[a] for a in v.addrlist]
        fields["payload_hex"] = bytes(v.payload).hex() if v.payload else ""
        if "padding_hex" in fields:
            fields["payload_hex"] = fields["payload_hex"][:len(fields["payload_hex"]) - len(fields["padding_hex"])]
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": fields}


def vrrp(version, **kw):
    layer = {"layer": "vrrp", "version": version, "vrid": u(8), "priority": rng.choice([0, 100, 254, 255, u(8)]),
             "addrlist": [[ip4()] for _ in range(rng.randint(0 if version == 2 else 1, 4))]}
    if rng.random() < 0.5:
        layer["adv"] = u(8) if version == 2 else u(12)
    if version == 2 and rng.random() < 0.4:
        layer.update(authtype=rng.choice([0, 1, 2]), auth1=u(32), auth2=u(32))
    if version == 3 and rng.random() < 0.2:
        layer["res"] = u(4)
    if rng.random() < 0.2:
        layer["type"] = rng.choice([1, 2, 9])
    layer.update(kw)
    return layer


def ip():
    return ipv4(proto=112, dst="224.0.0.18", ttl=255)


def normal():
    out = [("vrrp v%d %d" % (v, n), [ether(), ip(), vrrp(v)]) for n in range(14) for v in (2, 3)]
    # Advertisements as RFC 3768 has them, which gopacket decodes too.
    for n in range(16):
        layer = vrrp(2, type=1)
        layer["addrlist"] = layer["addrlist"] or [[ip4()]]
        out.append(("vrrp v2 advertisement %d" % n, [ether(), ip(), layer]))
    return out


def wrong():
    out = []
    for n in range(10):
        version = 2 + n % 2
        layers = [ether(), ip(), vrrp(version)]
        k = n // 2
        if k == 0:
            layers[2]["chksum"] = u(16)
        elif k == 1:  # ipcount below the addresses: the rest is payload
            layers[2]["ipcount"] = max(0, len(layers[2]["addrlist"]) - 1)
            layers[2]["addrlist"].append([ip4()])
        elif k == 2:  # an IPv4 length that leaves a trailer
            layers.append({"layer": "payload", "hex": rng.randbytes(6).hex()})
            layers[1]["len"] = 20 + 8 + 4 * len(layers[2]["addrlist"]) + (8 if version == 2 else 0)
        elif k == 3:
            layers[2]["version"] = version  # adv past 8 bits in version 2 is cut, as Scapy's ByteField
            layers[2]["adv"] = 255 if version == 2 else 4095
        else:
            layers.append({"layer": "payload", "hex": rng.randbytes(4).hex()})
        out.append(("wrong on purpose %d" % n, layers))
    return out


def over_ipv6():
    """VRRP over IPv6 (nh 112, Scapy's bind_layers(IPv6, VRRPv3)): version
    3 with IPv6 addresses, version 2 (Scapy's dispatch_hook, 16 bytes or
    more) with IPv4 ones, and lengths and checksums wrong on purpose."""
    out = []
    for n in range(20):
        layer = vrrp(3)
        layer["addrlist"] = [[ip6()] for _ in range(rng.randint(1, 4))]
        out.append(("vrrp v3 over ipv6 %d" % n, [ether(), ipv6(dst="ff02::12", hlim=255, nh=112), layer]))
    for n in range(4):
        out.append(("vrrp v2 over ipv6 %d" % n, [ether(), ipv6(dst="ff02::12", hlim=255, nh=112), vrrp(2)]))
    for n in range(8):
        layer = vrrp(3)
        layer["addrlist"] = [[ip6()] for _ in range(rng.randint(1, 3))]
        layers = [ether(), ipv6(dst="ff02::12", hlim=255, nh=112), layer]
        k = n % 4
        if k == 0:
            layer["chksum"] = u(16)
        elif k == 1:  # ipcount below the addresses: the rest is payload
            layer["ipcount"] = len(layer["addrlist"]) - 1
        elif k == 2:  # an IPv6 length that leaves a trailer
            layers.append({"layer": "payload", "hex": rng.randbytes(6).hex()})
            layers[1]["plen"] = 8 + 16 * len(layer["addrlist"])
        else:
            layers.append({"layer": "payload", "hex": rng.randbytes(4).hex()})
        out.append(("wrong on purpose over ipv6 %d" % n, layers))
    return out


def main():
    cases = normal() + wrong() + over_ipv6()
    json.dump([vector(n, l) for n, l in cases], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
