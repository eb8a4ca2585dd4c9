#!/usr/bin/python3
"""Makes scapy_capfix.json: frames built by Scapy 2.5 for the bindings the
real-capture test found missing (capture_test.go's captureFixed): GRE
after an IPv6 extension header, ESP on UDP port 4500. Each vector is in
the format of gen_extra.py: netlua's layers, Scapy's bytes, and the fields
Scapy reads back from them.

    /usr/bin/python3 luabind/frame/testdata/gen_capfix.py > luabind/frame/testdata/scapy_capfix.json
"""

import json
import sys

from scapy.all import (ESP, GRE, IP, UDP, Ether, IPv6, IPv6ExtHdrDestOpt,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
                       Raw, conf)

conf.verb = 0

ETHER = {"dst": "ff:ff:ff:ff:ff:ff", "src": "00:00:00:00:00:00"}
V4 = {"src": "198.18.0.1", "dst": "198.18.0.2"}
V6 = {"src": "2001:2::1", "dst": "2001:2::2"}
EXTS = {"ipv6_hbh": IPv6ExtHdrHopByHop, "ipv6_dest": IPv6ExtHdrDestOpt,
        "ipv6_rh": IPv6ExtHdrRouting, "ipv6_frag": IPv6ExtHdrFragment}


def gre_vectors():
    out = []
    for name, cls in EXTS.items():
        for key in (0, 1):
            gre = {"key_present": 1, "key": 0x1234 + key} if key else {}
            pkt = Ether(**ETHER) / IPv6(**V6) / cls() / GRE(**gre) / IP(**V4)
            layers = [dict(layer="ether", **ETHER), dict(layer="ipv6", **V6), {"layer": name},
                      dict(layer="gre", **gre), dict(layer="ipv4", **V4)]
            back = Ether(bytes(pkt))
            fields = {name: {"nh": back[cls].nh}, "gre": {"proto": back[GRE].proto},
                      "ipv4": {"src": back[IP].src, "dst": back[IP].dst}}
            if key:
                fields["gre"]["key"] = back[GRE].key
            out.append(vector("gre after %s%s" % (name, " with a key" if key else ""), layers, pkt, fields))
    return out


def esp_vectors():
    out = []
    for n, (sport, dport) in enumerate([(4500, 4500), (40000, 4500), (4500, 40000), (None, 4500)]):
        udp = {k: v for k, v in (("sport", sport), ("dport", dport)) if v is not None}
        esp = {"spi": 0x1000 + n, "seq": n + 1}
        data = bytes(range(n * 4, n * 4 + 12))
        pkt = Ether(**ETHER) / IP(**V4) / UDP(**udp) / ESP(**esp, data=data)
        layers = [dict(layer="ether", **ETHER), dict(layer="ipv4", **V4), dict(layer="udp", **udp),
                  dict(layer="esp", data_hex=data.hex(), **esp)]
        back = Ether(bytes(pkt))
        fields = {"udp": {"sport": back[UDP].sport, "dport": back[UDP].dport, "chksum": back[UDP].chksum},
                  "esp": {"spi": back[ESP].spi, "seq": back[ESP].seq, "data_hex": back[ESP].data.hex()}}
        out.append(vector("esp on udp %s/%s" % (sport, dport), layers, pkt, fields))
    return out


def vector(name, layers, pkt, fields):
    return {"name": name, "layers": layers, "hex": bytes(pkt).hex(), "fields": fields}


def main():
    json.dump(gre_vectors() + esp_vectors(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
