#!/usr/bin/python3
"""Makes scapy_icmp.json: ICMPv4 and ICMPv6 messages of every type netlua
lays out (echo, timestamp, address mask, redirect, errors with their quoted
packet, ND), built by Scapy 2.5 from layers written with netlua's names,
and the fields Scapy reads back from their bytes, in the format of
scapy_extra.json (see gen_extra.py, whose random values it reuses).

    /usr/bin/python3 luabind/frame/testdata/gen_icmp.py > luabind/frame/testdata/scapy_icmp.json

Layers netlua splits differently from Scapy:
- an error's quote is ipv4/ipv6 then udp/tcp/icmp4/icmp6 layers after the
  icmp layer, which Scapy builds as IPerror/IPerror6, UDPerror, TCPerror,
  ICMPerror;
- an ND message is icmp6 (type, code, chksum) then nd_rs/nd_ra/nd_ns/
  nd_na/nd_redirect with the fields after cksum and the ND options as
  bytes (options_hex).
A layer Scapy decodes only in part (a quoted TCP header cut to 8 bytes)
ends the fields read: netlua leaves such a header in the payload.
"""

import json
import random
import sys

from scapy.all import (ICMP, IP, TCP, UDP, Ether, ICMPerror, IPerror, IPv6, Padding, Raw,
                       TCPerror, UDPerror, conf)
from scapy.fields import ConditionalField, MultipleTypeField
from scapy.layers.inet6 import (ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest,
                                ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6ND_Redirect,
                                ICMPv6ND_RS, ICMPv6NDOptDNSSL, ICMPv6NDOptMTU,
                                ICMPv6NDOptPrefixInfo, ICMPv6NDOptRDNSS, ICMPv6NDOptSrcLLAddr,
                                ICMPv6NDOptDstLLAddr, ICMPv6PacketTooBig, ICMPv6ParamProblem,
                                ICMPv6TimeExceeded, IPerror6)

import gen_extra as base
from gen_extra import ether, ip4, ip6, ipv4, ipv6, mac, payload, tcp, udp

conf.verb = 0
rng = random.Random(20261207)
base.rng = rng  # gen_extra's random values, from this file's seed

ICMP6_TYPES = {1: ICMPv6DestUnreach, 2: ICMPv6PacketTooBig, 3: ICMPv6TimeExceeded,
               4: ICMPv6ParamProblem, 128: ICMPv6EchoRequest, 129: ICMPv6EchoReply}
ND = {"nd_rs": ICMPv6ND_RS, "nd_ra": ICMPv6ND_RA, "nd_ns": ICMPv6ND_NS,
      "nd_na": ICMPv6ND_NA, "nd_redirect": ICMPv6ND_Redirect}
ND_NAMES = {cls: name for name, cls in ND.items()}


def args_of(layer, skip=()):
    args = {}
    for key, value in layer.items():
        if key in ("layer",) + tuple(skip):
            continue
        args["cksum" if key == "chksum" and layer["layer"] in ("icmp6",) else key] = value
    if layer["layer"] == "tcp" and "options" in args:
        args["options"] = [(k, tuple(v) if isinstance(v, list) else v) for k, v in args["options"]]
    return args


def scapy_packet(layers):
    """The Scapy packet for netlua layers; layers after an ICMP error are
    Scapy's *error classes, an icmp6 layer merges with the nd_* after it."""
    pkt, quoted, i = None, False, 0
    while i < len(layers):
        layer = layers[i]
        name = layer["layer"]
        args = args_of(layer)
        if name == "payload":
            s = Raw(bytes.fromhex(layer["hex"]))
        elif name == "ether":
            s = Ether(**args)
        elif name == "ipv4":
            s = (IPerror if quoted else IP)(**dict({"src": "127.0.0.1", "dst": "127.0.0.1"}, **args))
        elif name == "ipv6":
            s = (IPerror6 if quoted else IPv6)(**dict({"src": "::1"}, **args))
        elif name == "udp":
            s = (UDPerror if quoted else UDP)(**args)
        elif name == "tcp":
            s = (TCPerror if quoted else TCP)(**args)
        elif name == "icmp4":
            s = (ICMPerror if quoted else ICMP)(**args)
            quoted = quoted or args.get("type", 8) in (3, 4, 5, 11, 12)
        elif name == "icmp6" and i + 1 < len(layers) and layers[i + 1]["layer"] in ND:
            nd = layers[i + 1]
            s = ND[nd["layer"]](**args, **args_of(nd, skip=("options_hex", "nd_options")))
            if "nd_options" in nd:
                opts = nd.pop("nd_options")
                s = s / opts
                nd["options_hex"] = bytes(opts).hex()
            i += 1
        elif name == "icmp6":
            t = args.pop("type", 128)
            s = ICMP6_TYPES[t](**args)
            quoted = quoted or t < 128
        else:
            raise ValueError(name)
        pkt = s if pkt is None else pkt / s
        i += 1
    return pkt


NAMES = {Ether: "ether", IP: "ipv4", IPerror: "ipv4", IPv6: "ipv6", IPerror6: "ipv6",
         UDP: "udp", UDPerror: "udp", TCP: "tcp", TCPerror: "tcp", ICMP: "icmp4",
         ICMPerror: "icmp4"}
NAMES.update({cls: "icmp6" for cls in ICMP6_TYPES.values()})


def active_fields(layer):
    """The fields of a Scapy layer that are on the wire, as (name, value)."""
    out = []
    for f in layer.fields_desc:
        if isinstance(f, ConditionalField) and not f._evalcond(layer):
            continue
        if isinstance(f, MultipleTypeField):
            f = f._find_fld_pkt(layer)
            if f.sz == 0:  # ICMP's unused of no bytes, for types without one
                continue
        out.append((f.name, getattr(layer, f.name)))
    return out


def layer_values(layer):
    values = {}
    for name, value in active_fields(layer):
        if name == "cksum":
            name = "chksum"
        if name == "data" and isinstance(layer, (ICMPv6EchoRequest, ICMPv6EchoReply)):
            continue
        if name == "options":
            words = layer.ihl if isinstance(layer, IP) else layer.dataofs
            values["options_hex"] = layer.raw_packet_cache[20:max(20, 4 * words)].hex()
        elif name == "flags":
            values[name] = str(value)
        else:
            values[name] = value
    return values


def partial(layer):
    """Whether Scapy decoded the layer from fewer bytes than its header
    (the fields it lacked take their defaults, or None)."""
    header = type(layer)(**layer.fields)  # built anew, not from its cache
    return len(raw_of(layer)) < len(bytes(header))


def read_fields(pkt):
    """The fields Scapy read, by netlua layer name, plus the payload."""
    out, layer, rest = {}, pkt, b""

    def add(name, values):
        if name in out:
            if not isinstance(out[name], list):
                out[name] = [out[name]]
            out[name].append(values)
        else:
            out[name] = values

    while layer is not None and not isinstance(layer, (Raw, Padding)):
        cls = type(layer)
        if cls in ND_NAMES:
            values = layer_values(layer)
            add("icmp6", {k: values.pop(k) for k in ("type", "code", "chksum")})
            values["options_hex"] = bytes(layer.payload).hex() if layer.payload else ""
            add(ND_NAMES[cls], values)
            layer = None
            break
        if cls not in NAMES or partial(layer):
            break
        add(NAMES[cls], layer_values(layer))
        if isinstance(layer, (ICMPv6EchoRequest, ICMPv6EchoReply)):
            rest = layer.data
        layer = layer.payload if layer.payload else None
    pad = b"".join(p.load for p in base.padding_layers(pkt))
    if layer is not None:
        rest += raw_of(layer)
    if pad:
        rest = rest[:len(rest) - len(pad)]
    out["payload_hex"] = rest.hex()
    if pad:
        out["padding_hex"] = pad.hex()
    return out


def raw_of(layer):
    """The bytes Scapy dissected into layer and what follows it."""
    return layer.original if getattr(layer, "original", None) is not None else bytes(layer)


def vector(name, layers):
    pkt = scapy_packet(layers)
    data = bytes(pkt)
    first = {"ether": Ether, "ipv4": IP, "ipv6": IPv6}[layers[0]["layer"]]
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": read_fields(first(data))}


# Random ICMP layers.

def r16():
    return rng.randrange(65536)


def r32():
    return rng.randrange(1 << 32)


def icmp4(t, **kw):
    return dict({"layer": "icmp4", "type": t, "code": rng.choice([0, 0, rng.randrange(16)])}, **kw)


def quote4(cut=None):
    """A quoted IPv4 packet and its L4 header, optionally cut to cut bytes."""
    inner = rng.choice([
        lambda: [ipv4(ttl=rng.randrange(1, 64)), udp(), payload(0, 12)],
        lambda: [ipv4(flags="DF"), tcp()],
        lambda: [ipv4(), {"layer": "icmp4", "type": 8, "id": r16(), "seq": r16()}, payload(0, 12)],
        lambda: [ipv4(len=rng.randrange(28, 1500), chksum=r16()), udp(len=rng.randrange(8, 1500), chksum=r16())],
    ])()
    if cut is None:
        return inner
    data = bytes(scapy_packet(inner))[:cut]
    return [{"layer": "payload", "hex": data.hex()}]


def quote6(cut=None):
    inner = rng.choice([
        lambda: [ipv6(hlim=rng.randrange(1, 64)), udp(), payload(0, 12)],
        lambda: [ipv6(), tcp()],
        lambda: [ipv6(), {"layer": "icmp6", "type": 128, "id": r16(), "seq": r16()}, payload(0, 12)],
        lambda: [ipv6(plen=rng.randrange(8, 1500)), udp(len=rng.randrange(8, 1500), chksum=r16())],
    ])()
    if cut is None:
        return inner
    data = bytes(scapy_packet(inner))[:cut]
    return [{"layer": "payload", "hex": data.hex()}]


def error4(t, fields, cut=None):
    return [ether(), ipv4(), icmp4(t, **fields)] + quote4(cut)


def nd_options():
    opts = [ICMPv6NDOptSrcLLAddr(lladdr=mac()), ICMPv6NDOptDstLLAddr(lladdr=mac()),
            ICMPv6NDOptMTU(mtu=rng.randrange(1280, 9000)),
            ICMPv6NDOptPrefixInfo(prefix=ip6(), prefixlen=64, validlifetime=r32(), preferredlifetime=r32()),
            ICMPv6NDOptRDNSS(dns=[ip6() for _ in range(rng.randint(1, 3))], lifetime=r32()),
            ICMPv6NDOptDNSSL(searchlist=["lab.example.", "test."])]
    picked = rng.sample(opts, rng.randint(0, 3))
    if not picked:
        return None
    pkt = picked[0]
    for o in picked[1:]:
        pkt = pkt / o
    return pkt


def nd(name, **kw):
    layer = dict({"layer": name}, **kw)
    opts = nd_options()
    if opts is not None:
        layer["nd_options"] = opts
    return [ether(), ipv6(hlim=255), {"layer": "icmp6"}, layer]


def icmp6(t, **kw):
    return dict({"layer": "icmp6", "type": t, "code": rng.choice([0, rng.randrange(8)])}, **kw)


KINDS = [
    ("icmp4 echo", lambda: [ether(), ipv4(), icmp4(rng.choice([0, 8, 15, 16]), id=r16(), seq=r16()), payload()]),
    ("icmp4 timestamp", lambda: [ether(), ipv4(), icmp4(rng.choice([13, 14]), id=r16(), seq=r16(),
                                                        ts_ori=r32(), ts_rx=r32(), ts_tx=r32())]),
    ("icmp4 address mask", lambda: [ether(), ipv4(), icmp4(rng.choice([17, 18]), id=r16(), seq=r16(),
                                                           addr_mask=rng.choice(["255.255.255.0", ip4()]))]),
    ("icmp4 domain name", lambda: [ether(), ipv4(), icmp4(rng.choice([37, 38]), id=r16(), seq=r16(),
                                                          unused=r32()), payload()]),
    ("icmp4 redirect", lambda: error4(5, {"gw": ip4()})),
    ("icmp4 dest unreach", lambda: error4(3, {"length": rng.choice([0, rng.randrange(256)]),
                                              "nexthopmtu": rng.choice([0, 1400, r16()]),
                                              "reserved": rng.choice([0, rng.randrange(256)])})),
    ("icmp4 time exceeded", lambda: error4(11, {"length": rng.choice([0, 17]), "unused": rng.choice([0, r16()])})),
    ("icmp4 param problem", lambda: error4(12, {"ptr": rng.randrange(256), "length": rng.choice([0, 9]),
                                                "unused": rng.choice([0, r16()])})),
    ("icmp4 source quench", lambda: error4(4, {"unused": rng.choice([0, r32()])})),
    ("icmp4 other type", lambda: [ether(), ipv4(), icmp4(rng.choice([9, 10, 6, 30, 200]), unused=r32()), payload()]),
    ("icmp4 truncated quote", lambda: error4(rng.choice([3, 11, 5, 12, 4]), {}, cut=rng.randrange(1, 40))),
    ("icmp4 bad on purpose", lambda: rng.choice([
        lambda: error4(3, {"chksum": r16()}),
        lambda: [ether(), ipv4(), icmp4(13, chksum=r16(), ts_ori=r32(), ts_rx=1, ts_tx=2)],
        lambda: [ether(), ipv4(), icmp4(11, chksum=r16())] + quote4(),
        lambda: [ether(), ipv4(), icmp4(5, gw=ip4())] + [ipv4(chksum=r16(), len=r16()), udp(chksum=r16())],
        lambda: [ether(), ipv4(), icmp4(3)] + [ipv4(ihl=rng.randrange(5, 7), len=20), tcp(chksum=r16())],
    ])()),
    ("icmp6 dest unreach", lambda: [ether(), ipv6(), icmp6(1, length=rng.choice([0, rng.randrange(256)]),
                                                           unused=rng.choice([0, rng.randrange(1 << 24)]))] + quote6()),
    ("icmp6 packet too big", lambda: [ether(), ipv6(), icmp6(2, mtu=rng.choice([1280, 1500, r32()]))] + quote6()),
    ("icmp6 time exceeded", lambda: [ether(), ipv6(), icmp6(3, length=rng.choice([0, 10]))] + quote6()),
    ("icmp6 param problem", lambda: [ether(), ipv6(), icmp6(4, ptr=rng.choice([6, 40, r32()]))] + quote6()),
    ("icmp6 truncated quote", lambda: [ether(), ipv6(), icmp6(rng.randint(1, 4))] + quote6(cut=rng.randrange(1, 60))),
    ("icmp6 bad on purpose", lambda: rng.choice([
        lambda: [ether(), ipv6(), icmp6(1, chksum=r16())] + quote6(),
        lambda: [ether(), ipv6(), icmp6(2, chksum=r16())] + quote6(),
        lambda: [ether(), ipv6(), icmp6(128, chksum=r16(), id=r16(), seq=r16()), payload()],
        lambda: [ether(), ipv6(), {"layer": "icmp6", "chksum": r16()}, {"layer": "nd_ns", "tgt": ip6()}],
        lambda: [ether(), {"layer": "ipv6", "src": ip6()}, {"layer": "icmp6"}, {"layer": rng.choice(list(ND))}],
    ])()),
    ("nd_rs", lambda: nd("nd_rs", res=rng.choice([0, r32()]))),
    ("nd_ra", lambda: nd("nd_ra", chlim=rng.randrange(256), M=rng.randrange(2), O=rng.randrange(2),
                         H=rng.randrange(2), prf=rng.randrange(4), P=rng.randrange(2), res=rng.randrange(4),
                         routerlifetime=rng.choice([0, 1800, r16()]), reachabletime=r32(), retranstimer=r32())),
    ("nd_ns", lambda: nd("nd_ns", tgt=ip6(), res=rng.choice([0, r32()]))),
    ("nd_na", lambda: nd("nd_na", tgt=ip6(), R=rng.randrange(2), S=rng.randrange(2), O=rng.randrange(2),
                         res=rng.choice([0, rng.randrange(1 << 29)]))),
    ("nd_redirect", lambda: nd("nd_redirect", tgt=ip6(), dst=ip6(), res=rng.choice([0, r32()]))),
]


def main():
    vectors = []
    for kind, make in KINDS:
        for n in range(25):
            vectors.append(vector("%s %d" % (kind, n), make()))
    json.dump(vectors, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
