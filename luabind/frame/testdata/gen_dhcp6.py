#!/usr/bin/python3
"""Makes scapy_dhcp6.json: DHCPv6 frames built by Scapy 2.5, and what
Scapy reads back from their bytes, for dhcp6_test.go.

    /usr/bin/python3 luabind/frame/testdata/gen_dhcp6.py > luabind/frame/testdata/scapy_dhcp6.json

A dhcp6 layer's "options" is a list of items written in JSON as netlua
writes them in Lua (see gen_opts.py): {"1": "ia_na", "iaid": 1, ...} a
named option, [39, {"hex": ...}] an option by code, {"hex": ...} bytes.
In "fields", "dhcp6" holds Scapy's reading: msgtype, trid or hopcount,
linkaddr, peeraddr, and its chain of DHCP6Opt layers as items, each with
the optlen Scapy read.

Frames are random but seeded: a run makes the same file every time.
"""

import json
import random
import sys

from scapy.all import Ether, IPv6, Padding, Raw, UDP, conf
from scapy.layers.dhcp6 import (DHCP6, DHCP6_RelayForward, DHCP6OptClientId,
                                DHCP6OptDNSDomains, DHCP6OptDNSServers,
                                DHCP6OptElapsedTime, DHCP6OptIA_NA,
                                DHCP6OptIAAddress, DHCP6OptOptReq,
                                DHCP6OptRapidCommit, DHCP6OptServerId,
                                DHCP6OptStatusCode, DHCP6OptUnknown, DUID_LL,
                                DUID_LLT)

import gen_extra
from gen_extra import ether, ip6, read_fields

conf.verb = 0
rng = random.Random(20261207)
gen_extra.rng.seed(20261207)

TYPES = ["solicit", "advertise", "request", "confirm", "renew", "rebind", "reply",
         "release", "decline", "reconfigure", "information-request"]

NAMED = {DHCP6OptClientId: "clientid", DHCP6OptServerId: "serverid", DHCP6OptIA_NA: "ia_na",
         DHCP6OptIAAddress: "ia_addr", DHCP6OptOptReq: "oro", DHCP6OptElapsedTime: "elapsed_time",
         DHCP6OptStatusCode: "status_code", DHCP6OptRapidCommit: "rapid_commit",
         DHCP6OptDNSServers: "dns_servers", DHCP6OptDNSDomains: "dns_domains"}
NAMED[DHCP6OptDNSDomains] = "domain_list"
FIELDS = {"clientid": ["duid"], "serverid": ["duid"], "ia_na": ["iaid", "T1", "T2", "ianaopts"],
          "ia_addr": ["addr", "preflft", "validlft", "iaaddropts"], "oro": ["reqopts"],
          "elapsed_time": ["elapsedtime"], "status_code": ["statuscode", "statusmsg"],
          "rapid_commit": [], "dns_servers": ["dnsservers"], "domain_list": ["dnsdomains"]}
CLASSES = {v: k for k, v in NAMED.items()}


def u(bits):
    return rng.randrange(1 << bits)


def hexb(b):
    return {"hex": bytes(b).hex()}


# From netlua items (JSON) to Scapy options.

def scapy_value(v):
    if isinstance(v, dict) and "hex" in v:
        return bytes.fromhex(v["hex"])
    if isinstance(v, list):
        return [scapy_value(x) for x in v]
    return v


def scapy_option(item):
    if isinstance(item, list):  # {code, bytes} or {"Raw", bytes}
        if item[0] == "Raw":
            return Raw(scapy_value(item[1]))
        return DHCP6OptUnknown(optcode=item[0], data=scapy_value(item[1]))
    name = item["1"]
    args = {}
    for k, v in item.items():
        if k == "1":
            continue
        if k in ("ianaopts", "iaaddropts"):
            args[k] = [scapy_option(x) for x in v]
        elif k == "duid":
            args[k] = Raw(scapy_value(v))
        else:
            args[k] = scapy_value(v)
    return CLASSES[name](**args)


def scapy_dhcp6(layer):
    t = layer.get("msgtype", 1)
    if isinstance(t, str):
        t = (TYPES + ["relay-forw", "relay-repl"]).index(t) + 1
    if t in (12, 13):
        pkt = DHCP6_RelayForward(msgtype=t, hopcount=layer.get("hopcount", 0),
                                 linkaddr=layer.get("linkaddr", "::"), peeraddr=layer.get("peeraddr", "::"))
    else:
        pkt = DHCP6(msgtype=t, trid=layer.get("trid", 0))
    for item in layer.get("options", []):
        pkt = pkt / scapy_option(item)
    return pkt


# From Scapy's reading to netlua items.

def json_value(v):
    if isinstance(v, (bytes, bytearray)):
        return {"hex": bytes(v).hex()}
    if isinstance(v, list):
        return [json_value(x) for x in v]
    return v


def option_bytes(o):
    """The bytes of one option of a chain, without the options after it."""
    return bytes(o)[:len(bytes(o)) - len(bytes(o.payload))]


def item_of(o):
    name = NAMED.get(type(o))
    if name is None:
        b = option_bytes(o)
        return {"1": o.optcode, "2": {"hex": b[4:].hex()}, "optlen": o.optlen}
    item = {"1": name, "optlen": o.optlen}
    for f in FIELDS[name]:
        v = getattr(o, f)
        if f == "duid":
            v = bytes(v) if v is not None else b""
        elif f in ("ianaopts", "iaaddropts"):
            v = chain_items(v)
        item[f] = json_value(v)
    return item


def chain_items(layers):
    """The items of a list of option layers, each a chain of payloads."""
    out = []
    for first in layers:
        o = first
        while o is not None and not isinstance(o, Padding):
            if isinstance(o, Raw):
                out.append(["Raw", {"hex": o.load.hex()}])
                break
            out.append(item_of(o))
            o = o.payload if o.payload else None
    return out


def dhcp6_fields(d):
    f = {"msgtype": d.msgtype}
    if d.msgtype in (12, 13):
        f.update(hopcount=d.hopcount, linkaddr=d.linkaddr, peeraddr=d.peeraddr)
    else:
        f["trid"] = d.trid
    f["options"] = chain_items([d.payload] if d.payload else [])
    return f


def vector(name, layers):
    pkt = None
    for layer in layers:
        s = scapy_dhcp6(layer) if layer["layer"] == "dhcp6" else gen_extra.scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
    data = bytes(pkt)
    back = Ether(data)
    fields = read_fields(back)
    d = back
    while d and not isinstance(d, (DHCP6, DHCP6_RelayForward)):
        d = d.payload
    if d:
        fields["dhcp6"] = dhcp6_fields(d)
        fields["payload_hex"] = ""
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": fields}


# Random options.

def duid():
    if rng.random() < 0.5:
        return hexb(bytes(DUID_LL(lladdr=gen_extra.mac())))
    return hexb(bytes(DUID_LLT(lladdr=gen_extra.mac(), timeval=u(32))))


def ia_addr():
    return {"1": "ia_addr", "addr": "2001:2::%x" % u(16), "preflft": u(32), "validlft": rng.choice([u(32), 0xffffffff])}


def option():
    return rng.choice([
        lambda: {"1": "clientid", "duid": duid()},
        lambda: {"1": "serverid", "duid": duid()},
        lambda: {"1": "ia_na", "iaid": u(32), "T1": u(16), "T2": u(16),
                 "ianaopts": [ia_addr() for _ in range(rng.randint(0, 2))]},
        lambda: {"1": "ia_na", "iaid": u(32), "ianaopts": [
            {"1": "status_code", "statuscode": 2, "statusmsg": hexb(b"no addrs")}]},
        lambda: {"1": "oro", "reqopts": rng.sample([23, 24, 31, 39, 82, 17], rng.randint(1, 4))},
        lambda: {"1": "oro"},
        lambda: {"1": "elapsed_time", "elapsedtime": u(16)},
        lambda: {"1": "status_code", "statuscode": rng.randrange(7), "statusmsg": hexb(b"status %d" % u(8))},
        lambda: {"1": "rapid_commit"},
        lambda: {"1": "dns_servers", "dnsservers": ["2001:2::%x" % u(16) for _ in range(rng.randint(0, 3))]},
        lambda: {"1": "domain_list", "dnsdomains": rng.sample(["lab.example.", "example.org.", "a.b.c."], rng.randint(1, 2))},
        lambda: [rng.choice([82, 120, 200, 1000]), hexb(rng.randbytes(rng.randrange(6)))],
    ])()


def dhcp6(mtype, n=None, **kw):
    layer = {"layer": "dhcp6", "msgtype": mtype, "trid": u(24),
             "options": [option() for _ in range(rng.randint(0, 5) if n is None else n)]}
    layer.update(kw)
    return layer


def client_udp(**kw):
    return dict({"layer": "udp"}, **kw)


def server_udp(**kw):
    return dict({"layer": "udp", "sport": 547, "dport": 546}, **kw)


def ipv6():
    return {"layer": "ipv6", "src": ip6(), "dst": "ff02::1:2"}


def messages():
    out = []
    for n, t in enumerate(TYPES * 3):
        mtype = t if n % 2 == 0 else TYPES.index(t) + 1
        udp = server_udp() if t in ("advertise", "reply", "reconfigure") else client_udp()
        out.append(("%s %d" % (t, n), [ether(), ipv6(), udp, dhcp6(mtype)]))
    return out


def relays():
    out = []
    for n in range(6):
        t = "relay-forw" if n % 2 == 0 else "relay-repl"
        inner = bytes(DHCP6(msgtype=1, trid=u(24)) / DHCP6OptElapsedTime())
        opts = [[9, hexb(inner)], [18, hexb(b"eth%d" % n)]] + [option() for _ in range(n % 3)]
        layer = {"layer": "dhcp6", "msgtype": t, "hopcount": u(5), "linkaddr": "2001:2::%x" % u(16),
                 "peeraddr": "fe80::%x" % u(16), "options": opts}
        out.append(("%s %d" % (t, n), [ether(), ipv6(), client_udp(sport=547), layer]))
    return out


def wrong():
    out = []
    for n in range(14):
        layers = [ether(), ipv6(), client_udp(), dhcp6(rng.choice(TYPES), 2)]
        opts = layers[3]["options"]
        k = n % 7
        if k == 0:
            layers[2]["chksum"] = u(16)
        elif k == 1:
            layers[2]["len"] = rng.randrange(12, 20)  # UDP length short: the rest is padding
            opts[:] = [{"1": "clientid", "duid": duid()}]  # cut in the DUID
        elif k == 2:  # an optlen past the end, on the last option
            opts.append({"1": "clientid", "duid": duid(), "optlen": rng.randrange(20, 40)})
        elif k == 3:  # an elapsed time with a wrong optlen: Scapy reads two bytes
            opts.insert(0, {"1": "elapsed_time", "elapsedtime": u(16), "optlen": rng.choice([0, 1, 4, 9])})
        elif k == 4:  # bytes too few for an option
            opts.append(["Raw", hexb(rng.randbytes(rng.randint(1, 3)))])
        elif k == 5:  # a status code whose optlen is short
            opts.append({"1": "status_code", "statuscode": 1, "statusmsg": hexb(b"fail"), "optlen": rng.choice([2, 4])})
            opts.append({"1": "rapid_commit"})
        else:
            layers[1]["plen"] = rng.randrange(8, 20)
            opts[:] = [{"1": "serverid", "duid": duid()}]
        out.append(("wrong on purpose %d" % n, layers))
    # cut short: fewer than 4 bytes of message
    out.append(("cut short", [ether(), ipv6(), client_udp(), {"layer": "payload", "hex": "0101"}]))
    for h in ("00000001", "0e112233", "01"):  # no type Scapy has a class for, or 1 byte: Raw
        out.append(("not a message " + h, [ether(), ipv6(), client_udp(), {"layer": "payload", "hex": h}]))
    out.append(("not dhcp6 ports", [ether(), ipv6(), client_udp(sport=1234, dport=5000), {"layer": "payload", "hex": "01000001"}]))
    return out


def main():
    cases = messages() + relays() + wrong()
    json.dump([vector(n, l) for n, l in cases], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
