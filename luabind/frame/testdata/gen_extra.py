#!/usr/bin/python3
"""Makes scapy_extra.json: frames built by Scapy from layers written with
netlua's names (DESIGN.md, section frame), and the fields Scapy reads back
from their bytes, in the format of ../../../../shared/vectors/frames.json.

Run with the Scapy of Debian's python3-scapy (apt-get install python3-scapy):

    /usr/bin/python3 luabind/frame/testdata/gen_extra.py > luabind/frame/testdata/scapy_extra.json

The tests read only the JSON; they never need Scapy. The frames are random
but seeded, so a run makes the same file every time.

Byte strings are hex, under the field's name with "_hex" (options_hex,
payload_hex, padding_hex); a payload layer is {"layer": "payload", "hex": ...}.
TCP options in layers are Scapy's list of [name, value] pairs, so that the
padding netlua adds is checked too.
"""

import json
import random
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, ICMPv6EchoReply,
                       ICMPv6EchoRequest, IPOption_LSRR, IPOption_NOP,
                       IPOption_Router_Alert, IPOption_RR, IPOption_SSRR,
                       IPOption_EOL, IPOption_Security, IPv6, Padding, Raw, conf)

conf.verb = 0
rng = random.Random(20261123)

# Fields that Scapy finds from the routing table or the interfaces get
# netlua's fixed defaults, so that the frames do not depend on the machine.
MACHINE_DEFAULTS = {
    "ether": {"dst": "ff:ff:ff:ff:ff:ff", "src": "00:00:00:00:00:00"},
    "ipv4": {"src": "127.0.0.1", "dst": "127.0.0.1"},
    "ipv6": {"src": "::1", "dst": "::1"},
    "arp": {"hwsrc": "00:00:00:00:00:00", "psrc": "0.0.0.0"},
}

# netlua's field names where they differ from Scapy's.
RENAMES = {"vlan": {"pcp": "prio", "dei": "id", "vid": "vlan"},
           "icmp6": {"chksum": "cksum"}}

FIELDS = {
    "ether": ["dst", "src", "type"],
    "vlan": ["pcp", "dei", "vid", "type"],
    "arp": ["hwtype", "ptype", "hwlen", "plen", "op", "hwsrc", "psrc", "hwdst", "pdst"],
    "ipv4": ["version", "ihl", "tos", "len", "id", "flags", "frag", "ttl", "proto",
             "chksum", "src", "dst", "options"],
    "ipv6": ["version", "tc", "fl", "plen", "nh", "hlim", "src", "dst"],
    "icmp4": ["type", "code", "chksum", "id", "seq"],
    "icmp6": ["type", "code", "chksum", "id", "seq"],
    "udp": ["sport", "dport", "len", "chksum"],
    "tcp": ["sport", "dport", "seq", "ack", "dataofs", "reserved", "flags", "window",
            "chksum", "urgptr", "options"],
}


def scapy_layer(layer):
    """The Scapy packet for one netlua layer (a dict with "layer")."""
    name = layer["layer"]
    if name == "payload":
        return Raw(bytes.fromhex(layer["hex"]))
    args = dict(MACHINE_DEFAULTS.get(name, {}))
    for key, value in layer.items():
        if key in ("layer", "scapy_options"):
            continue
        if key == "options_hex":
            continue
        args[RENAMES.get(name, {}).get(key, key)] = value
    if name == "tcp" and "options" in args:
        args["options"] = [(k, tuple(v) if isinstance(v, list) else v)
                           for k, v in args["options"]]
    if "scapy_options" in layer:
        args["options"] = layer["scapy_options"]
    if name == "icmp6":
        kind = ICMPv6EchoReply if args.pop("type", 128) == 129 else ICMPv6EchoRequest
        return kind(**args)
    cls = {"ether": Ether, "vlan": Dot1Q, "arp": ARP, "ipv4": IP, "ipv6": IPv6,
           "icmp4": ICMP, "udp": UDP, "tcp": TCP}[name]
    return cls(**args)


def netlua_name(pkt):
    """netlua's name of a Scapy layer, or None for layers netlua lacks."""
    cls = type(pkt).__name__
    return {"Ether": "ether", "Dot1Q": "vlan", "Dot1AD": "vlan", "ARP": "arp",
            "IP": "ipv4", "IPv6": "ipv6", "ICMP": "icmp4", "UDP": "udp", "TCP": "tcp",
            "ICMPv6EchoRequest": "icmp6", "ICMPv6EchoReply": "icmp6"}.get(cls)


def read_fields(pkt):
    """The fields Scapy read, by netlua layer name, plus the payload."""
    out, last = {}, None
    layer = pkt
    while layer is not None and not isinstance(layer, (Raw, Padding)) and netlua_name(layer):
        name = netlua_name(layer)
        values = {}
        for field in FIELDS[name]:
            sname = RENAMES.get(name, {}).get(field, field)
            value = getattr(layer, sname)
            if field == "options":
                # The options as they are on the wire: Scapy would write
                # garbage or cut-short options back in another form.
                words = layer.ihl if name == "ipv4" else layer.dataofs
                values["options_hex"] = layer.raw_packet_cache[20:max(20, 4 * words)].hex()
            elif field == "flags":
                values[field] = str(value)
            else:
                values[field] = value
        if name in out:
            if not isinstance(out[name], list):
                out[name] = [out[name]]
            out[name].append(values)
        else:
            out[name] = values
        last = layer
        layer = layer.payload if layer.payload else None
    pad = b"".join(p.load for p in padding_layers(pkt))
    rest = bytes(last.payload) if last is not None and last.payload else b""
    if isinstance(last, (ICMPv6EchoRequest, ICMPv6EchoReply)):
        rest = last.data + rest
    if pad:
        rest = rest[:len(rest) - len(pad)]
    out["payload_hex"] = rest.hex()
    if pad:
        out["padding_hex"] = pad.hex()
    return out


def padding_layers(pkt):
    layer = pkt
    while layer:
        if isinstance(layer, Padding):
            yield layer
        layer = layer.payload


def vector(name, layers):
    pkt = None
    for layer in layers:
        s = scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
    data = bytes(pkt)
    first = {"ether": Ether, "ipv4": IP, "ipv6": IPv6}[layers[0]["layer"]]
    for layer in layers:
        if "scapy_options" in layer:
            opts = layer.pop("scapy_options")
            layer["options_hex"] = b"".join(bytes(o) for o in opts).hex()
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": read_fields(first(data))}


# Random values.

def mac():
    return "02:" + ":".join("%02x" % rng.randrange(256) for _ in range(5))


def ip4():
    return "198.%d.%d.%d" % (rng.choice([18, 19]), rng.randrange(256), rng.randrange(1, 255))


def ip6():
    return "2001:db8:%x::%x" % (rng.randrange(1, 0xffff), rng.randrange(1, 0xffff))


def payload(lo=0, hi=40):
    return {"layer": "payload", "hex": bytes(rng.randrange(256) for _ in range(rng.randint(lo, hi))).hex()}


def ether(**kw):
    return dict({"layer": "ether", "src": mac(), "dst": mac()}, **kw)


def ipv4(**kw):
    return dict({"layer": "ipv4", "src": ip4(), "dst": ip4(), "id": rng.randrange(65536)}, **kw)


def ipv6(**kw):
    return dict({"layer": "ipv6", "src": ip6(), "dst": ip6()}, **kw)


def udp(**kw):
    return dict({"layer": "udp", "sport": rng.randrange(1024, 65536), "dport": rng.randrange(1, 1024)}, **kw)


TCP_OPTIONS = [["MSS", 1460], ["NOP", None], ["WScale", 7], ["SAckOK", ""],
               ["Timestamp", [123456, 0]], ["SAck", [1000, 2000]], ["EOL", None]]


def tcp(**kw):
    layer = {"layer": "tcp", "sport": rng.randrange(1024, 65536), "dport": rng.choice([22, 80, 443, 8080]),
             "seq": rng.randrange(1 << 32), "ack": rng.randrange(1 << 32),
             "flags": rng.choice(["S", "SA", "A", "PA", "FA", "R", "RA", "FPU", "SEC", "", 0x12, 0x18, 0x100 | 0x10])}
    if rng.random() < 0.6:
        layer["options"] = rng.sample(TCP_OPTIONS[:6], rng.randint(1, 4))
    if rng.random() < 0.3:
        layer["window"] = rng.randrange(65536)
    if rng.random() < 0.2:
        layer["urgptr"] = rng.randrange(65536)
    layer.update(kw)
    return layer


def icmp4(**kw):
    return dict({"layer": "icmp4", "type": rng.choice([0, 8]), "id": rng.randrange(65536),
                 "seq": rng.randrange(65536)}, **kw)


def icmp6(**kw):
    return dict({"layer": "icmp6", "type": rng.choice([128, 129]), "id": rng.randrange(65536),
                 "seq": rng.randrange(65536)}, **kw)


def vlan(**kw):
    return dict({"layer": "vlan", "vid": rng.randrange(4096), "pcp": rng.randrange(8),
                 "dei": rng.randrange(2)}, **kw)


def ip_options():
    r1, r2 = ip4(), ip4()
    return rng.choice([
        [IPOption_RR()],
        [IPOption_RR(routers=[r1])],
        [IPOption_Router_Alert()],
        [IPOption_NOP(), IPOption_LSRR(routers=[r1, r2])],
        [IPOption_SSRR(routers=[r1])],
        [IPOption_LSRR(routers=[r1]), IPOption_EOL()],
        [IPOption_Security()],
        [IPOption_NOP(), IPOption_NOP(), IPOption_Router_Alert()],
    ])


def transport4():
    return rng.choice([lambda: [udp(), payload()], lambda: [tcp(), payload(0, 8)],
                       lambda: [icmp4(), payload()]])()


def transport6():
    return rng.choice([lambda: [udp(), payload()], lambda: [tcp(), payload(0, 8)],
                       lambda: [icmp6(), payload()]])()


def bad_checksums():
    """A layer with a checksum or a length given wrong on purpose."""
    layers = rng.choice([
        lambda: [ether(), ipv4(chksum=rng.randrange(65536)), udp(), payload()],
        lambda: [ether(), ipv4(), udp(chksum=rng.randrange(65536)), payload()],
        lambda: [ether(), ipv4(), tcp(chksum=rng.randrange(65536))],
        lambda: [ether(), ipv4(), icmp4(chksum=rng.randrange(65536)), payload()],
        lambda: [ether(), ipv6(), icmp6(chksum=rng.randrange(65536)), payload()],
        lambda: [ether(), ipv6(), udp(chksum=0), payload()],
        lambda: [ether(), ipv4(len=rng.randrange(20, 120)), udp(), payload(1)],
        lambda: [ether(), ipv4(len=rng.randrange(20, 120)), tcp(), payload(1)],
        lambda: [ether(), ipv4(), udp(len=rng.randrange(0, 60)), payload(1)],
        lambda: [ether(), ipv6(plen=rng.randrange(0, 80)), udp(), payload(1)],
        lambda: [ether(), ipv4(ihl=rng.randrange(5, 16)), udp(), payload(40, 60)],
        lambda: [ether(), ipv4(), tcp(dataofs=rng.randrange(5, 16)), payload(40, 60)],
    ])()
    return "bad on purpose", layers


KINDS = [
    ("ipv4 udp", lambda: [ether(), ipv4(ttl=rng.randrange(1, 256), tos=rng.randrange(256),
                                        flags=rng.choice(["", "DF", "MF", "DF+MF", "MF+DF", "evil", 2])),
                          udp(), payload()]),
    ("vlan", lambda: [ether(), vlan()] + rng.choice([[ipv4()] + transport4(), [ipv6()] + transport6(),
                                                     [{"layer": "arp", "psrc": ip4(), "pdst": ip4(), "hwsrc": mac()}],
                                                     [payload(1)]])),
    ("qinq", lambda: [ether(), vlan(), vlan(), ipv4()] + transport4()),
    ("qinq 802.1ad", lambda: [ether(type=0x88a8), vlan(), vlan(), ipv6()] + transport6()),
    ("arp", lambda: [ether(dst=rng.choice(["ff:ff:ff:ff:ff:ff", mac()])),
                     {"layer": "arp", "op": rng.choice([1, 2]), "hwsrc": mac(), "psrc": ip4(),
                      "hwdst": rng.choice(["00:00:00:00:00:00", mac()]), "pdst": ip4()}]),
    ("arp padded", lambda: [ether(), {"layer": "arp", "hwsrc": mac(), "psrc": ip4(), "pdst": ip4()},
                            {"layer": "payload", "hex": "00" * 18}]),
    ("arp ipv6", lambda: [ether(), {"layer": "arp", "ptype": 0x86dd, "hwsrc": mac(), "psrc": ip6(), "pdst": ip6()}]),
    ("ipv6 icmp6", lambda: [ether(), ipv6(hlim=rng.randrange(256), tc=rng.randrange(256), fl=rng.randrange(1 << 20)),
                            icmp6(), payload()]),
    ("ipv6 tcp", lambda: [ether(), ipv6(), tcp(), payload(0, 8)]),
    ("ipv4 tcp", lambda: [ether(), ipv4(flags="DF"), tcp(), payload(0, 8)]),
    ("ipv4 options", lambda: [ether(), ipv4(scapy_options=ip_options())] + transport4()),
    ("ipv4 fragment", lambda: [ether(), ipv4(flags="MF", frag=rng.randrange(1, 8192)), udp(), payload()]),
    ("ipv4 first fragment", lambda: [ether(), ipv4(flags="MF"), udp(), payload()]),
    ("tunnel", lambda: rng.choice([[ether(), ipv4(), ipv4()] + transport4(), [ether(), ipv4(), ipv6()] + transport6(),
                                   [ether(), ipv6(), ipv4()] + transport4(), [ether(), ipv6(), ipv6()] + transport6()])),
    ("raw ip", lambda: rng.choice([[ipv4()] + transport4(), [ipv6()] + transport6()])),
    ("defaults", lambda: rng.choice([[{"layer": "ether"}, {"layer": "ipv4"}, {"layer": "udp"}],
                                     [{"layer": "ether"}, {"layer": "ipv4"}, {"layer": "tcp"}],
                                     [{"layer": "ether"}, {"layer": "ipv6"}, {"layer": "icmp6"}],
                                     [{"layer": "ether"}, {"layer": "vlan"}, {"layer": "arp"}],
                                     [{"layer": "ether"}, {"layer": "ipv4"}, {"layer": "icmp4"}],
                                     [{"layer": "ether"}, payload(1)],
                                     [{"layer": "ether"}, {"layer": "ipv6"}, payload(1)]])),
    ("bad", bad_checksums),
]


def main():
    vectors = []
    for kind, make in KINDS:
        for n in range(25):
            made = make()
            name, layers = made if isinstance(made, tuple) else (kind, made)
            vectors.append(vector("%s %d" % (name, n), layers))
    json.dump(vectors, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
