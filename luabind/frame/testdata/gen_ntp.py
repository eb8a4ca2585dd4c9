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
from scapy.layers.ntp import NTP, NTPHeader

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
        s = scapy_ntp(layer) if layer["layer"] == "ntp" else gen_extra.scapy_layer(layer)
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


def main():
    cases = messages() + wrong()
    json.dump([vector(n, l) for n, l in cases], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
