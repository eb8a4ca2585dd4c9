#!/usr/bin/python3
"""Makes scapy_ntp.json: NTP frames built by Scapy 2.5, and what Scapy
reads back from their bytes, for ntp_test.go.

    /usr/bin/python3 luabind/frame/testdata/gen_ntp.py > luabind/frame/testdata/scapy_ntp.json

Timestamps, delay and dispersion are the fixed-point numbers on the wire
(Scapy's internal values: seconds * 2^32 or * 2^16), set straight into
Scapy's fields so that no float rounds them; the test reads the JSON's
numbers exactly. ref_id is hex, as ref_id_hex.

Frames are random but seeded: a run makes the same file every time.
"""

import json
import random
import sys

from scapy.all import UDP, Ether, Raw, conf
from scapy.layers.ntp import NTP, NTPControl, NTPHeader, NTPPrivate, NTPStatusPacket

import gen_extra
from gen_extra import ether, ipv4, ipv6, read_fields

conf.verb = 0
rng = random.Random(20261209)
gen_extra.rng.seed(20261209)

FIXED = ("delay", "dispersion", "ref", "orig", "recv", "sent")
FIELDS = ("leap", "version", "mode", "stratum", "poll", "precision") + FIXED


def u(bits):
    return rng.randrange(1 << bits)


def scapy_ntp(layer):
    args = {k: v for k, v in layer.items() if k not in ("layer", "ref_id_hex") + FIXED}
    if "ref_id_hex" in layer:
        args["ref_id"] = bytes.fromhex(layer["ref_id_hex"])
    pkt = NTPHeader(orig=0, sent=0, **args)  # Scapy's None is the time: netlua's 0
    for k in FIXED:
        if k in layer:
            pkt.fields[k] = layer[k]
    return pkt


CONTROL = ("zeros", "version", "mode", "response", "err", "more", "op_code", "sequence",
           "association_id", "offset", "count")
PRIVATE = ("response", "more", "version", "mode", "auth", "seq", "implementation", "request_code",
           "err", "nb_items", "mbz", "data_item_size")


def scapy_control(layer):
    """NTPControl from a netlua ntp_control layer. count is always given:
    Scapy's post_build writes a computed count one byte late (p[:11])."""
    args = {k: v for k, v in layer.items() if k not in ("layer", "data_hex", "status_word")}
    if "status_word" in layer:
        args["status_word"] = NTPStatusPacket(status=layer["status_word"])
    return NTPControl(data=Raw(bytes.fromhex(layer.get("data_hex", ""))), **args)


def scapy_private(layer):
    args = {k: v for k, v in layer.items() if k not in ("layer", "data_hex")}
    return NTPPrivate(**args) / Raw(bytes.fromhex(layer.get("data_hex", "")))


def control_fields(n):
    f = {k: n.getfieldval(k) for k in CONTROL}
    if n.response == 1:
        f["status_word"] = int.from_bytes(bytes(n.status_word), "big")
    else:
        f["status"] = n.status
    # The bytes on the wire: a data packet Scapy made of none (op_code 1,
    # count 0) would write its defaults.
    data = n.data if n.data is not None else b""
    f["data_hex"] = (data if isinstance(data, bytes) else data.original).hex()
    return f


def private_fields(n):
    f = {k: n.getfieldval(k) for k in PRIVATE}
    items = n.data if n.response == 1 else n.req_data
    f["data_hex"] = b"".join(i.original for i in items).hex()
    return f


def ntp_fields(n):
    f = {k: n.getfieldval(k) for k in FIELDS}
    if n.stratum > 1:
        f["id"] = n.id
    else:
        f["ref_id_hex"] = n.ref_id.hex()
    return f


def vector(name, layers):
    pkt = None
    for layer in layers:
        make = {"ntp": scapy_ntp, "ntp_control": scapy_control, "ntp_private": scapy_private}
        s = make.get(layer["layer"], gen_extra.scapy_layer)(layer)
        pkt = s if pkt is None else pkt / s
    data = bytes(pkt)
    back = Ether(data)
    fields = read_fields(back)
    if NTPHeader in back:
        n = back[NTPHeader]
        fields["ntp"] = ntp_fields(n)
        fields["payload_hex"] = bytes(n.payload).hex() if n.payload else ""
        if "padding_hex" in fields:
            fields["payload_hex"] = fields["payload_hex"][:len(fields["payload_hex"]) - len(fields["padding_hex"])]
    for cls, key, read in ((NTPControl, "ntp_control", control_fields), (NTPPrivate, "ntp_private", private_fields)):
        if cls in back:
            n = back[cls]
            fields[key] = read(n)
            fields["payload_hex"] = bytes(n.authenticator).hex() if n.getfieldval("authenticator") else ""
            fields["payload_hex"] += bytes(n.payload).hex() if n.payload else ""
            if "padding_hex" in fields:
                fields["payload_hex"] = fields["payload_hex"][:len(fields["payload_hex"]) - len(fields["padding_hex"])]
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": fields}


def timestamp():
    return rng.choice([0, u(64), (0xe9 << 56) | u(56), u(32) << 32])


def ntp(**kw):
    layer = {"layer": "ntp", "mode": rng.choice([1, 2, 3, 4, 5]), "stratum": rng.choice([0, 1, 2, 3, 15, 16, u(8)]),
             "poll": rng.choice([4, 6, 10, 17, u(8)]), "precision": rng.choice([0xe9, 0xec, 0xfa, u(8)]),
             "orig": timestamp(), "sent": timestamp()}
    if rng.random() < 0.7:
        layer.update(recv=timestamp(), ref=timestamp(), delay=u(32), dispersion=u(32))
    if rng.random() < 0.3:
        layer.update(leap=u(2), version=rng.choice([1, 2, 3, 4, u(3)]))
    if layer["stratum"] > 1:
        layer["id"] = gen_extra.ip4()
    else:
        layer["ref_id_hex"] = rng.choice([b"GPS", b"PPS\x00", b"LOCL", b"X", b""]).hex()
    layer.update(kw)
    return layer


def udp(**kw):
    return dict({"layer": "udp"}, **kw)


def messages():
    out = []
    for n in range(24):
        ip = ipv4() if n % 3 else ipv6()
        port = [udp(), udp(sport=123, dport=u(16) | 1024), udp(sport=u(16) | 1024, dport=123)][n % 3]
        layers = [ether(), ip, port, ntp()]
        if n % 5 == 0:  # extension fields or a MAC: payload
            layers.append({"layer": "payload", "hex": rng.randbytes(rng.choice([4, 20, 24, 40])).hex()})
        out.append(("ntp %d" % n, layers))
    return out


def wrong():
    out = []
    for n in range(8):
        layers = [ether(), ipv4(), udp(), ntp()]
        k = n % 4
        if k == 0:
            layers[2]["chksum"] = u(16)
        elif k == 1:
            layers[2]["len"] = rng.choice([8 + 48, 8 + 50, 8 + 60])  # the rest is padding, or short
            layers.append({"layer": "payload", "hex": rng.randbytes(8).hex()})
        elif k == 2:
            layers[1]["len"] = 20 + 8 + 48  # IPv4 length leaves a trailer
            layers.append({"layer": "payload", "hex": rng.randbytes(6).hex()})
        else:
            layers[3]["ref_id_hex"] = "4c4f434c5a5a"  # longer than 4 bytes: cut
            layers[3]["stratum"] = 1
            layers[3].pop("id", None)
        out.append(("wrong on purpose %d" % n, layers))
    # Not NTPHeader: modes 6 and 7, fewer than 48 bytes.
    for n, h in enumerate(["16020001000000000000000000", "17000304" + "00" * 44, "23" + "00" * 20, "e3" + "00" * 46]):
        out.append(("not a header %d" % n, [ether(), ipv4(), udp(sport=123, dport=123), {"layer": "payload", "hex": h}]))
    out.append(("not ntp ports", [ether(), ipv4(), udp(sport=1234, dport=5000), {"layer": "payload", "hex": "23" + "00" * 47}]))
    return out


def control(**kw):
    data = rng.choice([b"", rng.randbytes(rng.choice([3, 12, 20, 40, 100]))])
    layer = {"layer": "ntp_control", "response": u(1), "err": rng.choice([0, 0, 1]), "more": u(1),
             "op_code": rng.choice([1, 2, 3, 4, 5, u(5)]), "sequence": u(16), "association_id": rng.choice([0, u(16)]),
             "offset": rng.choice([0, u(16)]), "count": len(data), "data_hex": data.hex()}
    if rng.random() < 0.2:
        layer.update(zeros=u(2), version=u(3))
    if layer["response"]:
        layer["status_word"] = u(16)
    else:
        layer["status"] = u(16)
    layer.update(kw)
    return layer


def private(**kw):
    size, count = rng.choice([(0, 0), (4, 1), (12, 3), (36, 1), (8, 5)])
    layer = {"layer": "ntp_private", "response": u(1), "more": u(1), "mode": 7, "auth": rng.choice([0, 0, 1]),
             "seq": u(7), "implementation": rng.choice([0, 2, 3, u(8)]), "request_code": u(8), "err": u(4),
             "nb_items": count, "mbz": rng.choice([0, 0, u(4)]), "data_item_size": size,
             "data_hex": rng.randbytes(size * count).hex()}
    if layer["response"] == 0 and layer["auth"] == 1:
        layer["data_hex"] += rng.randbytes(rng.choice([0, 4, 12])).hex()
    layer.update(kw)
    return layer


def modes():
    """Modes 6 and 7, Scapy's NTPControl and NTPPrivate, and lengths wrong
    on purpose: a count or nb_items past the data, a tail cut short."""
    out = []
    for n in range(26):
        ip = ipv4() if n % 3 else ipv6()
        layers = [ether(), ip, udp(sport=123, dport=123), control()]
        if n % 6 == 0:  # Scapy's authenticator: payload to netlua
            layers.append({"layer": "payload", "hex": rng.randbytes(rng.choice([4, 20, 24])).hex()})
        out.append(("ntp control %d" % n, layers))
    for n in range(26):
        ip = ipv4() if n % 3 else ipv6()
        layers = [ether(), ip, udp(sport=123, dport=123), private()]
        if layers[3]["response"] == 0 and layers[3]["auth"] == 1:
            layers.append({"layer": "payload", "hex": rng.randbytes(28).hex()})  # req_pkt_tail
        out.append(("ntp private %d" % n, layers))
    wrong_cases = [
        ("control count past the data", control(count=200, data_hex="00" * 16)),
        ("control count short", control(count=2, data_hex="ab" * 12)),
        ("control count under 12", control(count=5, data_hex="cd" * 20)),
        ("private nb_items past the data", private(response=1, nb_items=4, data_item_size=8, data_hex="11" * 20)),
        ("private request nb_items past the data", private(response=0, auth=0, nb_items=3, data_item_size=8, data_hex="22" * 20)),
        ("private request auth tail", private(response=0, auth=1, nb_items=1, data_item_size=4, data_hex="33" * 44)),
    ]
    for name, layer in wrong_cases:
        out.append((name, [ether(), ipv4(), udp(sport=123, dport=123), layer]))
    # Scapy fails on its authenticator or tail, the whole message is Raw.
    for n, h in enumerate(["16020001000000000000000000", "1602000100000000000000000000", "168200010000000000000000aabbcc",
                           "1700030400000000", "0780030400000000" + "00" * 10, "0780030400000000" + "00" * 8]):
        out.append(("short tail %d" % n, [ether(), ipv4(), udp(sport=123, dport=123), {"layer": "payload", "hex": h}]))
    return out


def main():
    cases = messages() + wrong() + modes()
    json.dump([vector(n, l) for n, l in cases], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
