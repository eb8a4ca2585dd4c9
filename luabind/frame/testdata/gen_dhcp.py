#!/usr/bin/python3
"""Makes scapy_dhcp.json: BOOTP and DHCP frames built by Scapy 2.5, and
what Scapy reads back from their bytes, for dhcp_test.go.

    /usr/bin/python3 luabind/frame/testdata/gen_dhcp.py > luabind/frame/testdata/scapy_dhcp.json

A dhcp layer's "options" is a list of items written in JSON as netlua
writes them in Lua (see gen_opts.py): ["message-type", "discover"],
["param_req_list", [1, 3, 6]], ["end"] for the bare "end", [{"hex": ...}]
for bare bytes, {"hex": ...} a byte string. In "fields", "dhcp" holds
Scapy's reading of the options as items (message types by name, as
netlua gives them), "bootp" its fields, byte strings as "<name>_hex".

Frames are random but seeded: a run makes the same file every time.
"""

import json
import random
import sys

from scapy.all import BOOTP, DHCP, IP, UDP, Ether, conf
from scapy.layers.dhcp import DHCPTypes

import gen_extra
from gen_extra import ether, ip4, ipv4, read_fields

conf.verb = 0
rng = random.Random(20261208)
gen_extra.rng.seed(20261208)

TYPES = ["discover", "offer", "request", "decline", "ack", "nak", "release", "inform"]


def u(bits):
    return rng.randrange(1 << bits)


def hexb(n):
    return {"hex": bytes(rng.randrange(256) for _ in range(n)).hex()}


def scapy_value(v):
    if isinstance(v, dict):
        return bytes.fromhex(v["hex"])
    if isinstance(v, list):
        return [scapy_value(x) for x in v]
    return v


def scapy_option(item):
    if len(item) == 1:
        return scapy_value(item[0])
    return tuple(scapy_value(v) for v in item)


def json_value(v):
    if isinstance(v, bytes):
        return {"hex": v.hex()}
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    return v


def json_options(opts):
    out = []
    for o in opts:
        if isinstance(o, tuple):
            item = [json_value(v) for v in o]
            if o[0] == "message-type":
                item = [o[0]] + [DHCPTypes.get(v, v) if 0 < v < 14 else v for v in o[1:]]
            out.append(item)
        else:
            out.append([json_value(o)])
    return out


BOOTP_BYTES = {"chaddr": 16, "sname": 64, "file": 128}


def scapy_layer(layer):
    args = {k: v for k, v in layer.items() if k != "layer"}
    if layer["layer"] == "bootp":
        for k in list(args):
            if k.endswith("_hex"):
                args[k[:-4]] = bytes.fromhex(args.pop(k))
        return BOOTP(**args)
    if layer["layer"] == "dhcp":
        return DHCP(options=[scapy_option(i) for i in args["options"]])
    return gen_extra.scapy_layer(layer)


def vector(name, layers):
    pkt = None
    for layer in layers:
        s = scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
    data = bytes(pkt)
    back = Ether(data)
    fields = read_fields(back)
    if BOOTP in back:
        b = back[BOOTP]
        f = {k: getattr(b, k) for k in ("op", "htype", "hlen", "hops", "xid", "secs",
                                        "ciaddr", "yiaddr", "siaddr", "giaddr")}
        f["flags"] = int(b.flags)
        for k in ("chaddr", "sname", "file", "options"):
            f[k + "_hex"] = getattr(b, k).hex()
        fields["bootp"] = f
        fields["payload_hex"] = ""
    if DHCP in back:
        fields["dhcp"] = {"options": json_options(back[DHCP].options)}
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": fields}


def mac_bytes():
    return "02" + bytes(rng.randrange(256) for _ in range(5)).hex()


def bootp(reply=False, **kw):
    layer = {"layer": "bootp", "xid": u(32), "chaddr_hex": mac_bytes()}
    if reply:
        layer.update(op=2, yiaddr=ip4(), siaddr=ip4())
    if rng.random() < 0.3:
        layer.update(secs=u(16), flags=rng.choice([0, 0x8000, u(16)]), hops=u(3))
    if rng.random() < 0.2:
        layer.update(giaddr=ip4(), ciaddr=ip4())
    if rng.random() < 0.15:
        layer.update(sname_hex=b"boot.example".hex(), file_hex=b"pxelinux.0".hex())
    layer.update(kw)
    return layer


def client_udp(**kw):
    return dict({"layer": "udp"}, **kw)


def server_udp(**kw):
    return dict({"layer": "udp", "sport": 67, "dport": 68}, **kw)


def option():
    return rng.choice([
        lambda: ["requested_addr", ip4()], lambda: ["server_id", ip4()],
        lambda: ["subnet_mask", "255.255.255.0"], lambda: ["router", ip4()],
        lambda: ["name_server", ip4(), ip4()], lambda: ["broadcast_address", ip4()],
        lambda: ["param_req_list", [1, 3, 6, 15, 28, 42][:rng.randint(1, 6)]],
        lambda: ["lease_time", u(32)], lambda: ["renewal_time", u(32)], lambda: ["rebinding_time", u(32)],
        lambda: ["max_dhcp_size", rng.choice([576, 1500, u(16)])],
        lambda: ["hostname", {"hex": b"host-%d" % u(8)}] if False else ["hostname", {"hex": (b"host-%d" % u(8)).hex()}],
        lambda: ["domain", {"hex": b"lab.example".hex()}],
        lambda: ["client_id", {"hex": "01" + mac_bytes()}],
        lambda: ["vendor_class_id", {"hex": b"netlua".hex()}],
        lambda: ["error_message", {"hex": b"no lease".hex()}],
        lambda: ["interface-mtu", u(16)], lambda: ["default_ttl", u(8)],
        lambda: ["classless_static_routes", ["198.18.0.0/15:198.18.0.1", "0.0.0.0/0:198.18.0.254"]],
        lambda: [rng.choice([200, 224, 250]), hexb(rng.randrange(5))],
        lambda: ["pad"],
    ])()


def dhcp(mtype, n=None, end=True):
    items = [["message-type", mtype]]
    items += [option() for _ in range(rng.randint(0, 5) if n is None else n)]
    if end:
        items.append(["end"])
    return {"layer": "dhcp", "options": items}


def handshake():
    out = []
    for t in TYPES:
        for k in range(3):
            reply = t in ("offer", "ack", "nak")
            udp = server_udp() if reply else client_udp()
            out.append(("%s %d" % (t, k), [ether(), ipv4(), udp, bootp(reply), dhcp(t)]))
    return out


# Options malformed on purpose: a length past the end, a value of the
# wrong size for its field, an unknown type, bytes after "end".
RAW = [
    "3501", "350201", "3501ff", "3604c6120001", "3602c612", "33030000ff", "0104ffffff00ff0000",
    "3700", "3703010306ff", "0c00ff", "ff000000", "00003501030000", "fa03aabbccff", "1a0105",
    "79050000000001ff", "3d0701020304050607", "350109", "3501000602c612",
]


def raw_vectors():
    out = []
    for n, h in enumerate(RAW):
        opts = [["message-type", "request"], [{"hex": h}]]
        out.append(("raw options %d %s" % (n, h), [ether(), ipv4(), client_udp(), bootp(), {"layer": "dhcp", "options": opts}]))
    return out


def wrong():
    out = []
    for n in range(8):
        layers = [ether(), ipv4(), client_udp(), bootp(), dhcp(rng.choice(TYPES), 2)]
        k = n % 4
        if k == 0:
            layers[2]["len"] = rng.randrange(8, 260)  # UDP length short: the rest is padding
        elif k == 1:
            layers[2]["chksum"] = u(16)
        elif k == 2:
            layers[1]["len"] = rng.randrange(28, 270)
        else:
            layers[3]["hlen"] = rng.choice([0, 16, 255])
            layers[3]["htype"] = rng.choice([6, 32])
        out.append(("wrong on purpose %d" % n, layers))
    return out


def plain_bootp():
    out = []
    for n in range(6):
        opts = rng.choice(["", "63825363", "01020304", "6382536335", hexb(rng.randrange(1, 64))["hex"]])
        layers = [ether(), ipv4(), rng.choice([client_udp(), server_udp(), client_udp(sport=67)]),
                  bootp(n % 2 == 1, options_hex=opts)]
        out.append(("bootp %d" % n, layers))
    # chaddr, sname and file given longer than their size are cut, as
    # struct.pack does.
    out.append(("bootp long chaddr", [ether(), ipv4(), client_udp(), bootp(chaddr_hex="ab" * 20, sname_hex="cd" * 70), dhcp("discover")]))
    # UDP ports that are not BOOTP's: Scapy reads a payload.
    out.append(("not bootp ports", [ether(), ipv4(), client_udp(sport=1234, dport=67), {"layer": "payload", "hex": "01" * 240}]))
    return out


def main():
    cases = handshake() + raw_vectors() + wrong() + plain_bootp()
    json.dump([vector(n, l) for n, l in cases], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
