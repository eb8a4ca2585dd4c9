#!/usr/bin/python3
"""Makes scapy_pim.json: PIMv2 frames built by Scapy 2.5 (its contrib
PIMv2Hdr, Hello and Join/Prune), and what Scapy reads back from their
bytes, for pim_test.go. netlua's pim layer is the 4-byte header; the
message after it is the payload, as its bytes on the wire.

    /usr/bin/python3 luabind/frame/testdata/gen_pim.py > luabind/frame/testdata/scapy_pim.json

Frames are random but seeded: a run makes the same file every time.
"""

import json
import random
import sys

from scapy.all import Ether, Raw, conf
from scapy.contrib.pim import (PIMv2GroupAddrs, PIMv2Hdr, PIMv2Hello,
                               PIMv2HelloDRPriority, PIMv2HelloGenerationID,
                               PIMv2HelloHoldtime, PIMv2JoinAddrs, PIMv2JoinPrune,
                               PIMv2PruneAddrs)

import gen_extra
from gen_extra import ether, ip4, ipv4, read_fields

conf.verb = 0
rng = random.Random(20261212)
gen_extra.rng.seed(20261212)


def u(bits):
    return rng.randrange(1 << bits)


def message(typ):
    """A PIM message of the type, as Scapy builds it: its bytes."""
    if typ == 0:
        opts = [PIMv2HelloHoldtime(holdtime=u(16)), PIMv2HelloDRPriority(dr_priority=u(32)),
                PIMv2HelloGenerationID(generation_id=u(32))]
        return bytes(PIMv2Hello(option=rng.sample(opts, rng.randint(1, 3))))
    if typ == 3:
        g = PIMv2GroupAddrs(gaddr="239.%d.%d.%d" % (u(8), u(8), u(8)),
                            join_ips=[PIMv2JoinAddrs(src_ip=ip4())], prune_ips=[PIMv2PruneAddrs(src_ip=ip4())])
        return bytes(PIMv2JoinPrune(up_neighbor_ip=ip4(), jp_ips=[g]))
    return rng.randbytes(rng.choice([0, 4, 8, 12]))


def vector(name, layers):
    pkt = None
    for layer in layers:
        if layer["layer"] == "pim":
            s = PIMv2Hdr(**{k: v for k, v in layer.items() if k != "layer"})
        else:
            s = gen_extra.scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
    data = bytes(pkt)
    back = Ether(data)
    fields = read_fields(back)
    if PIMv2Hdr in back:
        h = back[PIMv2Hdr]
        fields["pim"] = {k: h.getfieldval(k) for k in ("version", "type", "reserved", "chksum")}
        rest = bytes(h.payload) if h.payload else b""
        pad = fields.get("padding_hex", "")
        fields["payload_hex"] = rest.hex()[:len(rest.hex()) - len(pad)]
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": fields}


def ip():
    return ipv4(proto=103, dst="224.0.0.13", ttl=1)


def pim(typ, **kw):
    layer = {"layer": "pim", "type": typ}
    if rng.random() < 0.2:
        layer["reserved"] = u(8)
    layer.update(kw)
    return layer


def cases():
    out = []
    for n in range(27):
        typ = [0, 3, 0, 3, 1, 2, 4, 5, 8, 9][n % 10]
        out.append(("pim type %d %d" % (typ, n), [ether(), ip(), pim(typ), {"layer": "payload", "hex": message(typ).hex()}]))
    for n in range(6):
        layers = [ether(), ip(), pim(rng.choice([0, 3, 4])), {"layer": "payload", "hex": message(0).hex()}]
        k = n % 3
        if k == 0:
            layers[2]["chksum"] = u(16)
        elif k == 1:  # an IPv4 length that leaves a trailer
            layers[1]["len"] = 20 + 4 + len(bytes.fromhex(layers[3]["hex"])) - 2
        else:
            layers[2]["version"] = rng.choice([1, 3, 15])
        out.append(("wrong on purpose %d" % n, layers))
    out.append(("header only", [ether(), ip(), pim(4)]))
    return out


def main():
    json.dump([vector(n, l) for n, l in cases()], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
