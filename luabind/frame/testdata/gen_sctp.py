#!/usr/bin/python3
"""Makes scapy_sctp.json: SCTP frames built by Scapy 2.5, and what Scapy
reads back from their bytes, for sctp_test.go.

    /usr/bin/python3 luabind/frame/testdata/gen_sctp.py > luabind/frame/testdata/scapy_sctp.json

An sctp layer's "chunks" is a list of items written in JSON as netlua
writes them in Lua (see gen_opts.py): {"1": "data", "tsn": 1, "data":
{"hex": ...}}, ["Raw", {"hex": ...}]. In "fields", "sctp" holds Scapy's
reading: the common header, and its chain of SCTPChunk layers as items
with every field Scapy read (params as the bytes Scapy's length gives).

Frames are random but seeded: a run makes the same file every time.
"""

import json
import random
import sys

from scapy.all import Ether, Padding, Raw, conf
from scapy.layers import sctp as S

import gen_extra
from gen_extra import ether, ipv4, ipv6, read_fields

conf.verb = 0
rng = random.Random(20261210)
gen_extra.rng.seed(20261210)

CLASSES = {"data": S.SCTPChunkData, "init": S.SCTPChunkInit, "init-ack": S.SCTPChunkInitAck,
           "sack": S.SCTPChunkSACK, "heartbeat-req": S.SCTPChunkHeartbeatReq,
           "heartbeat-ack": S.SCTPChunkHeartbeatAck, "abort": S.SCTPChunkAbort,
           "shutdown": S.SCTPChunkShutdown, "shutdown-ack": S.SCTPChunkShutdownAck,
           "error": S.SCTPChunkError, "cookie-echo": S.SCTPChunkCookieEcho,
           "cookie-ack": S.SCTPChunkCookieAck, "shutdown-complete": S.SCTPChunkShutdownComplete,
           "authentication": S.SCTPChunkAuthentication,
           "address-configuration": S.SCTPChunkAddressConf,
           "address-configuration-ack": S.SCTPChunkAddressConfAck}
NAMES = {v: k for k, v in CLASSES.items()}


def u(bits):
    return rng.randrange(1 << bits)


def hexb(b):
    return {"hex": bytes(b).hex()}


def scapy_chunk(item):
    if isinstance(item, list):
        return Raw(bytes.fromhex(item[1]["hex"]))
    args = {}
    for k, v in item.items():
        if k == "1":
            continue
        args[k] = bytes.fromhex(v["hex"]) if isinstance(v, dict) else v
    return CLASSES[item["1"]](**args)


def scapy_sctp(layer):
    pkt = S.SCTP(**{k: v for k, v in layer.items() if k not in ("layer", "chunks")})
    for item in layer.get("chunks", []):
        pkt = pkt / scapy_chunk(item)
    return pkt


def chunk_bytes(c):
    return bytes(c)[:len(bytes(c)) - len(bytes(c.payload))]


def item_of(c):
    """Every field Scapy read; params as the bytes its length gives."""
    item = {"1": NAMES[type(c)]}
    for f in c.fields_desc[1:]:
        v = c.getfieldval(f.name)
        if isinstance(v, bytes):
            v = hexb(v)
        elif isinstance(v, list):
            v = list(v)
        item[f.name] = v
    start = {S.SCTPChunkInit: 20, S.SCTPChunkInitAck: 20, S.SCTPChunkHeartbeatReq: 4, S.SCTPChunkHeartbeatAck: 4,
             S.SCTPChunkAddressConf: 8, S.SCTPChunkAddressConfAck: 8}.get(type(c))
    if start is not None:
        item["params"] = hexb(chunk_bytes(c)[start:])
    return item


REST = ("data", "params", "error_causes", "cookie", "HMAC")


def chunk_items(c):
    """The chunks' items. A chunk Scapy reads cut short, some of its
    fields None, is Raw to the end in netlua: it cannot be written back.
    Its bytes field alone None is empty: Scapy reads no field where no
    byte is left."""
    out = []
    while c and not isinstance(c, Padding):
        if isinstance(c, Raw):
            out.append(["Raw", hexb(c.load)])
            break
        item = item_of(c)
        if any(v is None for k, v in item.items() if k not in REST):
            rest = bytes(c)
            pad = c.getlayer(Padding)
            if pad:
                rest = rest[:len(rest) - len(pad.load)]
            out.append(["Raw", hexb(rest)])
            break
        for k in REST:
            if k in item and item[k] is None:
                item[k] = hexb(b"")
        out.append(item)
        c = c.payload
    return out


def vector(name, layers):
    pkt = None
    for layer in layers:
        s = scapy_sctp(layer) if layer["layer"] == "sctp" else gen_extra.scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
    data = bytes(pkt)
    back = Ether(data)
    fields = read_fields(back)
    if S.SCTP in back:
        s = back[S.SCTP]
        fields["sctp"] = {"sport": s.sport, "dport": s.dport, "tag": s.tag, "chksum": s.chksum,
                          "chunks": chunk_items(s.payload)}
        fields["payload_hex"] = ""
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": fields}


# Random chunks.

def param_bytes():
    ps = rng.choice([[], [S.SCTPChunkParamIPv4Addr(addr=gen_extra.ip4())],
                     [S.SCTPChunkParamSupportedAddrTypes(addr_type_list=["IPv4", "IPv6"])],
                     [S.SCTPChunkParamCookiePreservative(sug_cookie_inc=u(32)), S.SCTPChunkParamECNCapable()],
                     [S.SCTPChunkParamStateCookie(cookie=rng.randbytes(rng.randrange(1, 12)))]])
    return b"".join(bytes(p) for p in ps)


def chunk():
    return rng.choice([
        lambda: {"1": "data", "tsn": u(32), "stream_id": u(4), "stream_seq": u(16), "proto_id": rng.choice([0, 46, 51]),
                 "data": hexb(rng.randbytes(rng.randrange(0, 13))), "beginning": u(1), "ending": u(1),
                 "unordered": u(1), "delay_sack": u(1)},
        lambda: {"1": rng.choice(["init", "init-ack"]), "init_tag": u(32), "a_rwnd": u(32), "n_out_streams": u(16),
                 "n_in_streams": u(16), "init_tsn": u(32), "params": hexb(param_bytes())},
        lambda: {"1": "sack", "cumul_tsn_ack": u(32), "a_rwnd": u(32),
                 "gap_ack_list": ["%d:%d" % (u(8), u(8)) for _ in range(rng.randrange(3))],
                 "dup_tsn_list": [u(32) for _ in range(rng.randrange(3))]},
        lambda: {"1": rng.choice(["heartbeat-req", "heartbeat-ack"]),
                 "params": hexb(bytes(S.SCTPChunkParamHeartbeatInfo(data=rng.randbytes(rng.randrange(1, 9)))))},
        lambda: {"1": "abort", "TCB": u(1), "error_causes": hexb(rng.randbytes(rng.choice([0, 4, 6])))},
        lambda: {"1": "shutdown", "cumul_tsn_ack": u(32)},
        lambda: {"1": rng.choice(["shutdown-ack", "cookie-ack"])},
        lambda: {"1": "shutdown-complete", "TCB": u(1)},
        lambda: {"1": "error", "error_causes": hexb(rng.randbytes(rng.choice([4, 8, 5])))},
        lambda: {"1": "cookie-echo", "cookie": hexb(rng.randbytes(rng.randrange(1, 20)))},
        lambda: {"1": "authentication", "shared_key_id": u(16), "HMAC_function": rng.choice([1, 3]),
                 "HMAC": hexb(rng.randbytes(rng.choice([20, 32, 3])))},
        lambda: {"1": rng.choice(["address-configuration", "address-configuration-ack"]), "seq": u(32),
                 "params": hexb(param_bytes())},
    ])()


def sctp(n=None, **kw):
    layer = {"layer": "sctp", "sport": rng.choice([2905, 36412, 38412, u(16)]), "dport": rng.choice([2905, 3868, u(16)]),
             "tag": u(32), "chunks": [chunk() for _ in range(rng.randint(1, 3) if n is None else n)]}
    layer.update(kw)
    return layer


def normal():
    out = []
    for n in range(30):
        ip = ipv4() if n % 2 else ipv6()
        out.append(("sctp %d" % n, [ether(), ip, sctp()]))
    return out


def wrong():
    out = []
    for n in range(14):
        layers = [ether(), ipv4() if n % 2 else ipv6(), sctp(2)]
        chunks = layers[2]["chunks"]
        k = n % 7
        if k == 0:
            layers[2]["chksum"] = u(32)
        elif k == 1:  # a data len too short or too long: Scapy reads by it
            chunks.insert(0, {"1": "data", "tsn": u(32), "data": hexb(rng.randbytes(8)), "len": rng.choice([16, 20, 28])})
        elif k == 2:  # fewer than 4 bytes after the chunks: padding
            layers.append({"layer": "payload", "hex": rng.randbytes(rng.randint(1, 3)).hex()})
        elif k == 3:  # a type Scapy has no class for: Raw
            chunks.append(["Raw", hexb(bytes([0x40, 0, 0, 8]) + rng.randbytes(4))])
        elif k == 4:  # a shutdown whose len says more than its fixed 8 bytes
            chunks.insert(0, {"1": "shutdown", "cumul_tsn_ack": u(32), "len": rng.choice([4, 12])})
        elif k == 5:  # sack counts that do not match the lists
            chunks[:] = [{"1": "sack", "cumul_tsn_ack": u(32), "gap_ack_list": ["1:2"], "n_gap_ack": 0},
                         {"1": "cookie-ack"}]
        else:  # a chunk cut short
            chunks.append(["Raw", hexb(bytes([0, 3, 0, 20]) + rng.randbytes(6))])
        out.append(("wrong on purpose %d" % n, layers))
    out.append(("no chunks", [ether(), ipv4(), sctp(0)]))
    out.append(("cut header", [ether(), ipv4(proto=132), {"layer": "payload", "hex": "0b590b59000000"}]))
    return out


def main():
    cases = normal() + wrong()
    json.dump([vector(n, l) for n, l in cases], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
