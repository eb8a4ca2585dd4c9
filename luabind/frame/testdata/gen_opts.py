#!/usr/bin/python3
"""Makes scapy_opts.json: frames with TCP and IPv4 options built by Scapy
2.5, and what Scapy reads back from their bytes, for opts_test.go.

    /usr/bin/python3 luabind/frame/testdata/gen_opts.py > luabind/frame/testdata/scapy_opts.json

Options in a layer are a list of items written in JSON as netlua writes
them in Lua: an array is a table of positional values (TCP's ["MSS", 1460]),
an object a table whose keys "1", "2"... are positional and the rest named
(IPv4's {"1": "RR", "routers": ["198.18.0.1"]}), {"hex": "0102"} is a byte
string. Raw options are "options_hex". In "fields", each layer's "options"
is Scapy's reading as items, and "options_hex" the bytes on the wire.

Frames are random but seeded: a run makes the same file every time.
"""

import json
import random
import sys

from scapy.all import IP, TCP, Ether, Raw, conf
from scapy.layers import inet
from scapy.layers.inet import IPOption, TCPAOValue

import gen_extra
from gen_extra import ether, ip4, ipv4, payload, read_fields, udp, icmp4

conf.verb = 0
rng = random.Random(20261207)
gen_extra.rng.seed(20261207)

# JSON values to Scapy's.


def scapy_value(v):
    if isinstance(v, dict) and set(v) == {"hex"}:
        return bytes.fromhex(v["hex"])
    if isinstance(v, list):
        return [scapy_value(x) for x in v]
    if isinstance(v, dict):
        return {k: scapy_value(x) for k, x in v.items()}
    return v


def scapy_tcp_option(item):
    name = item[0]
    value = scapy_value(item[1]) if len(item) > 1 else None
    if name in ("NOP", "EOL"):
        return (name, None)
    if isinstance(value, list):
        value = tuple(value)
    if isinstance(value, dict):
        value = TCPAOValue(**value)
    return (name, value)


def scapy_ip_option(item):
    name = item["1"]
    fields = {k: scapy_value(v) for k, v in item.items() if k not in ("1", "2")}
    if name == "Raw":
        return Raw(load=scapy_value(item["2"]))
    if isinstance(name, int):
        return IPOption(copy_flag=name >> 7, optclass=name >> 5 & 3, option=name & 31,
                        value=scapy_value(item.get("2", {"hex": ""})), **fields)
    return getattr(inet, "IPOption_" + name)(**fields)


def scapy_layers(layers):
    """The Scapy packet of the layers, options converted."""
    pkt = None
    for layer in layers:
        layer = dict(layer)
        items = layer.pop("options", None)
        raw = layer.pop("options_hex", None)
        extra = None
        if layer["layer"] == "tcp" and items is not None:
            layer["scapy_options"] = [scapy_tcp_option(i) for i in items]
        if layer["layer"] == "ipv4" and items is not None:
            layer["scapy_options"] = [scapy_ip_option(i) for i in items]
        if layer["layer"] == "ipv4" and raw is not None:
            layer["scapy_options"] = [Raw(load=bytes.fromhex(raw))]
        if layer["layer"] == "tcp" and raw is not None:
            # Scapy's TCP takes no raw options: they go as a payload after
            # a header whose dataofs counts them (the raw ones here are
            # whole words, so netlua adds no padding).
            assert len(raw) % 8 == 0
            layer.setdefault("dataofs", 5 + len(raw) // 8)
            layer["scapy_options"] = []
            extra = Raw(load=bytes.fromhex(raw))
        s = gen_extra.scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
        if extra is not None:
            pkt = pkt / extra
    return pkt

# Scapy's reading as JSON items.


def json_value(v):
    if isinstance(v, bytes):
        return {"hex": v.hex()}
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    if isinstance(v, TCPAOValue):
        return {k: json_value(x) for k, x in v.fields.items()}
    return v


def json_tcp_options(opts):
    out = []
    for name, value in opts:
        out.append([name] if value is None else [name, json_value(value)])
    return out


def json_ip_options(opts):
    out = []
    for o in opts:
        if isinstance(o, Raw):
            out.append({"1": "Raw", "2": json_value(o.load)})
            continue
        f = o.fields
        if type(o) is IPOption:
            item = {"1": f["copy_flag"] << 7 | f["optclass"] << 5 | f["option"]}
            if "length" in f:
                item["length"] = f["length"]
            if "value" in f:
                item["2"] = json_value(f["value"])
            out.append(item)
            continue
        item = {"1": type(o).__name__[len("IPOption_"):]}
        default = type(o)()
        for name in ("copy_flag", "optclass"):
            if f[name] != getattr(default, name):
                item[name] = f[name]
        for fd in o.fields_desc:
            if fd.name in f and fd.name not in ("copy_flag", "optclass", "option"):
                item[fd.name] = json_value(f[fd.name])
        out.append(item)
    return out


def vector(name, layers):
    data = bytes(scapy_layers(layers))
    first = {"ether": Ether, "ipv4": IP}[layers[0]["layer"]]
    pkt = first(data)
    fields = read_fields(pkt)
    if IP in pkt:
        fields["ipv4"]["options"] = json_ip_options(pkt[IP].options)
    if TCP in pkt:
        fields["tcp"]["options"] = json_tcp_options(pkt[TCP].options)
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": fields}

# TCP options.


def u(bits):
    return rng.randrange(1 << bits)


def hexb(n):
    return {"hex": bytes(rng.randrange(256) for _ in range(n)).hex()}


def tcp_item():
    return rng.choice([
        lambda: ["MSS", u(16)], lambda: ["NOP"], lambda: ["EOL"], lambda: ["WScale", u(8)],
        lambda: ["SAckOK", {"hex": ""}], lambda: ["Timestamp", [u(32), u(32)]],
        lambda: ["SAck", [u(32) for _ in range(rng.choice([0, 1, 2, 4, 6]))]],
        lambda: ["AltChkSum", [u(8), u(16)]], lambda: ["AltChkSumOpt", hexb(rng.randrange(3))],
        lambda: ["MD5", hexb(16)], lambda: ["Mood", {"hex": b":)".hex()}], lambda: ["UTO", u(16)],
        lambda: ["TFO", [u(32), u(32)]], lambda: ["AO", {"keyid": u(8), "rnextkeyid": u(8), "mac": hexb(12)}],
        lambda: [rng.choice([6, 30, 99, 253, 254]), hexb(rng.randrange(5))],
        lambda: [rng.choice([0, 1]), {"hex": ""}],
        # a value of the wrong size for its name stays bytes
        lambda: [rng.choice(["MSS", "WScale", "Timestamp", "SAck"]), hexb(rng.choice([1, 3, 5]))],
    ])()


def tcp(**kw):
    layer = gen_extra.tcp(**kw)
    layer.pop("options", None)
    return layer


def tcp_list():
    items = [tcp_item() for _ in range(rng.randint(1, 5))]
    layer = tcp(options=items)
    return [ether(), ipv4(), layer, payload(0, 8)]


# Raw TCP options, whole words, malformed on purpose: Scapy reads a
# length under 2 as 2, a length past the end as the rest, stops at EOL.
TCP_RAW = [
    "02000000", "02010000", "0201ffff", "020405", "02ff05b4", "080a0102", "0101010102",
    "00ffffff", "000102040404", "050a000000010000000201", "05060000000101010101",
    "1e00", "fe02", "fe0f0102", "0303070001", "04020402", "010101", "02040101080a00000001000000",
    "1d030101", "1d0401020000", "19033a", "1302", "0e05010002", "080c0000000100000002ffff",
    "22060102030401010101", "01",
]


def tcp_raw(h):
    h += "00" * (-len(h) // 2 % 4)
    return [ether(), ipv4(), tcp(options_hex=h), payload(0, 8)]


def tcp_wrong():
    items = [tcp_item() for _ in range(rng.randint(1, 4))]
    return rng.choice([
        [ether(), ipv4(), tcp(options=items, dataofs=rng.randrange(5, 16)), payload(8, 30)],
        [ether(), ipv4(), tcp(options=items, chksum=u(16)), payload(0, 8)],
        [ether(), ipv4(len=rng.randrange(40, 80)), tcp(options=items), payload(1, 8)],
    ])

# IPv4 options.


def routers(n):
    return [ip4() for _ in range(n)]


def ip_item():
    return rng.choice([
        lambda: {"1": "NOP"}, lambda: {"1": "EOL"},
        lambda: {"1": rng.choice(["RR", "LSRR", "SSRR"]), "routers": routers(rng.randrange(4))},
        lambda: {"1": rng.choice(["RR", "LSRR", "SSRR"]), "pointer": rng.choice([4, 8, 12]), "routers": routers(2)},
        lambda: {"1": "Timestamp", "flg": rng.choice([0, 1, 3]), "oflw": u(4), "timestamp": u(32),
                 "internet_address": ip4()},
        lambda: {"1": "Timestamp"},
        lambda: {"1": "Router_Alert", "alert": rng.choice([0, 1, u(16)])}, lambda: {"1": "Router_Alert"},
        lambda: {"1": "Security", "security": u(16), "compartment": u(16), "handling_restrictions": u(16),
                 "transmission_control_code": hexb(3)},
        lambda: {"1": "Stream_Id", "security": u(16)},
        lambda: {"1": rng.choice(["MTU_Probe", "MTU_Reply"]), "mtu": u(16)},
        lambda: {"1": "Traceroute", "id": u(16), "outbound_hops": u(16), "return_hops": u(16), "originator_ip": ip4()},
        lambda: {"1": "Address_Extension", "src_ext": ip4(), "dst_ext": ip4()},
        lambda: {"1": "SDBM", "addresses": routers(rng.randrange(3))},
        lambda: {"1": rng.choice([0x86, 0x1e, 0x5e, 0x99]), "2": hexb(rng.randrange(4))},
        lambda: {"1": rng.choice(["RR", "NOP", "Router_Alert"]), "copy_flag": 1, "optclass": rng.choice([1, 3])},
    ])()


def ip_list():
    items, size = [], 0
    while True:  # up to 40 bytes of options, what ihl can count
        item = ip_item()
        n = len(bytes(scapy_ip_option(item)))
        if size + n > 40 or len(items) == 4:
            break
        items.append(item)
        size += n
    if not items:
        items = [{"1": "NOP"}]
    return [ether(), ipv4(options=items)] + rng.choice([lambda: [udp(), payload()], lambda: [tcp(), payload(0, 8)],
                                                         lambda: [icmp4(), payload()]])()


# Raw IPv4 options, malformed on purpose: lengths under the fields, past
# the end, addresses cut short (Scapy keeps the rest as Raw), a Timestamp
# with more than one entry (Scapy reads the first, the rest as options).
IP_RAW = [
    "07070400000000", "0703", "0702", "0701", "0700", "070804", "07", "0706040102",
    "860401020000", "8601", "86", "0000010100", "440c0901c6120001000000017777", "440c0900000000017777",
    "44080900000000017777", "4402", "9403", "8205000000000000787878", "00010203",
    "441405010000000100000002000000030000000400", "8303", "890b04c6120001c612", "95060102",
    "9504c6120001", "0b0300", "1208000100020003c6120001", "930a01020304", "e0", "0101010101010101",
]


def ip_raw(h):
    return [ether(), ipv4(options_hex=h), udp(), payload(0, 8)]


def ip_wrong():
    opts = ip_list()[1]["options"]
    return rng.choice([
        [ether(), ipv4(options=opts, ihl=rng.randrange(5, 16)), udp(), payload(20, 40)],
        [ether(), ipv4(options=opts, chksum=u(16)), udp(), payload()],
        [ether(), ipv4(options=[{"1": "RR", "length": rng.randrange(256), "routers": routers(1)}]), udp(), payload(4, 8)],
        [ether(), ipv4(options=[{"1": "Timestamp", "length": rng.randrange(256)}]), udp(), payload(4, 8)],
        [ether(), ipv4(options=[{"1": 0x86, "length": rng.randrange(256), "2": hexb(2)}]), udp(), payload(4, 8)],
    ])


def main():
    vectors = []
    for n in range(40):
        vectors.append(vector("tcp options %d" % n, tcp_list()))
    for n, h in enumerate(TCP_RAW):
        vectors.append(vector("tcp raw options %d %s" % (n, h), tcp_raw(h)))
    for n in range(15):
        vectors.append(vector("tcp options bad on purpose %d" % n, tcp_wrong()))
    for n in range(40):
        vectors.append(vector("ipv4 options %d" % n, ip_list()))
    for n, h in enumerate(IP_RAW):
        vectors.append(vector("ipv4 raw options %d %s" % (n, h), ip_raw(h)))
    for n in range(15):
        vectors.append(vector("ipv4 options bad on purpose %d" % n, ip_wrong()))
    json.dump(vectors, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
