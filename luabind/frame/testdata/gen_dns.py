#!/usr/bin/python3
"""Makes scapy_dns.json: DNS, mDNS, LLMNR and DNS-over-TCP frames built
by Scapy 2.5, and what Scapy reads back from their bytes, for
dns_test.go.

    /usr/bin/python3 luabind/frame/testdata/gen_dns.py > luabind/frame/testdata/scapy_dns.json

A dns (or llmnr) layer lists its header fields and its sections qd, an,
ns and ar as lists of records written in JSON as netlua writes them in
Lua: {"qname": ..., "qtype": "A", "qclass": "IN"} for a question,
{"rrname": ..., "type": ..., "rclass": ..., "ttl": ..., "rdata": ...}
for a record, rdata in its type's form ({"preference": ..., "exchange":
...} for MX, a list of strings for TXT, ...), {"hex": ...} a byte
string. Types and classes are Scapy's names where it has one. Scapy
reads the root name as b""; netlua gives ".", and so does this file.

Messages Scapy builds only by hand, compressed ones (dns_compress) and
malformed ones (cut short, wrong counts, pointer loops), are payload
bytes above UDP: they are built as bytes and parsed as DNS. In
"fields", "dns" (or "llmnr") is Scapy's reading, or absent where Scapy
could not dissect the message (then its bytes are the payload). Where
Scapy's reading of an arcount past the end repeats the whole message as
payload, "payload_hex" is left out; where a message is its header alone,
Scapy shows its default question, which is not on the wire, and the
sections here are empty. Scapy's EDNS0ClientSubnet takes the options
after it as its payload: the vectors put it last.

Frames are random but seeded: a run makes the same file every time.
"""

import json
import random
import sys

from scapy.all import IP, TCP, UDP, Ether, IPv6, Raw, conf, raw
from scapy.layers.dns import (DNS, DNSQR, DNSRR, DNSRRMX, DNSRROPT, DNSRRSOA, DNSRRSRV,
                              EDNS0TLV, EDNS0ClientSubnet, DNSRR_DISPATCHER, dns_compress,
                              dns_encode, dnsclasses, dnsqtypes, dnstypes)
from scapy.layers.llmnr import LLMNRQuery, LLMNRResponse

import gen_extra
from gen_extra import ip4, ip6, mac, read_fields

conf.verb = 0
rng = random.Random(20261207)
gen_extra.rng.seed(20261207)

DNS_HEADER = ["id", "qr", "opcode", "aa", "tc", "rd", "ra", "z", "ad", "cd", "rcode",
              "qdcount", "ancount", "nscount", "arcount"]
LLMNR_HEADER = ["id", "qr", "opcode", "c", "tc", "z", "rcode", "qdcount", "ancount", "nscount", "arcount"]
SECTIONS = ["qd", "an", "ns", "ar"]
RDATA_TABLES = {15: DNSRRMX, 6: DNSRRSOA, 33: DNSRRSRV}


# From JSON to Scapy.

def sbytes(v):
    if isinstance(v, dict):
        return bytes.fromhex(v["hex"])
    return v.encode("latin-1") if isinstance(v, str) else v


def type_number(v, table):
    if isinstance(v, str):
        return {name: n for n, name in table.items()}[v]
    return v


def scapy_question(q):
    args = {}
    if "qname" in q:
        args["qname"] = sbytes(q["qname"])
    if "qtype" in q:
        args["qtype"] = type_number(q["qtype"], dnsqtypes)
    if "qclass" in q:
        args["qclass"] = type_number(q["qclass"], dnsclasses)
    return DNSQR(**args)


def scapy_record(r):
    typ = type_number(r.get("type", 1), dnstypes)
    args = {"type": typ}
    for k in ("ttl", "rdlen", "extrcode", "version", "z"):
        if k in r:
            args[k] = r[k]
    if "rrname" in r:
        args["rrname"] = sbytes(r["rrname"])
    if "rclass" in r:
        args["rclass"] = type_number(r["rclass"], dnsclasses)
    rdata = r.get("rdata")
    if typ == 41:
        if isinstance(rdata, list):
            args["rdata"] = [EDNS0TLV(optcode=o["optcode"], optdata=sbytes(o.get("optdata", b"")),
                                      **({"optlen": o["optlen"]} if "optlen" in o else {}))
                             for o in rdata]
        elif rdata is not None:
            args["rdata"] = sbytes(rdata)
        return DNSRROPT(**args)
    if typ in RDATA_TABLES and isinstance(rdata, dict) and "hex" not in rdata:
        for k, v in rdata.items():
            args[k] = sbytes(v) if isinstance(v, (str, dict)) else v
        return RDATA_TABLES[typ](**args)
    if rdata is not None:
        if typ == 16:
            args["rdata"] = [sbytes(x) for x in rdata] if isinstance(rdata, list) else sbytes(rdata)
        elif typ in (1, 28):
            args["rdata"] = rdata
        else:
            args["rdata"] = sbytes(rdata)
    return DNSRR(**args)


def chain(items, make):
    pkt = None
    for it in items:
        p = make(it)
        pkt = p if pkt is None else pkt / p
    return pkt


def scapy_dns(layer):
    cls = DNS if layer["layer"] == "dns" else (LLMNRResponse if layer.get("qr") else LLMNRQuery)
    args = {k: v for k, v in layer.items() if k not in ["layer"] + SECTIONS and not k.endswith("_hex")}
    for s in SECTIONS:
        if s + "_hex" in layer:  # a section given as bytes, which Scapy counts as no record
            args[s] = bytes.fromhex(layer[s + "_hex"])
        if s in layer:
            args[s] = chain(layer[s], scapy_question if s == "qd" else scapy_record)
    return cls(**args)


def scapy_layer(layer):
    if layer["layer"] in ("dns", "llmnr"):
        return scapy_dns(layer)
    if layer["layer"] == "tcp":
        return TCP(**{k: v for k, v in layer.items() if k != "layer"})
    return gen_extra.scapy_layer(layer)


# From Scapy to JSON.

def jname(b):
    if b in (b"", None):
        return "."
    return jstr(b)


def jstr(b):
    if isinstance(b, str):
        b = b.encode("latin-1")
    if all(0x20 <= c < 0x7f for c in b):
        return b.decode()
    return {"hex": b.hex()}


def jcode(n, table):
    return table.get(n, n)


def read_question(q):
    return {"qname": jname(q.qname), "qtype": jcode(q.qtype, dnsqtypes), "qclass": jcode(q.qclass, dnsclasses)}


def read_opt_option(o):
    if isinstance(o, EDNS0ClientSubnet):
        return {"optcode": 8, "optdata": {"hex": raw(o)[4:].hex()}}
    if isinstance(o, EDNS0TLV):
        return {"optcode": o.optcode, "optdata": {"hex": (o.optdata or b"").hex()}}
    return {"hex": raw(o).hex()}


def read_record(r):
    if isinstance(r, DNSRROPT):
        return {"rrname": jname(r.rrname), "type": "OPT", "rclass": r.rclass, "extrcode": r.extrcode,
                "version": r.version, "z": r.z, "rdata": [read_opt_option(o) for o in r.rdata]}
    out = {"rrname": jname(r.rrname), "type": jcode(r.type, dnstypes),
           "rclass": jcode(r.rclass, dnsclasses), "ttl": r.ttl}
    if isinstance(r, DNSRRMX):
        out["rdata"] = {"preference": r.preference, "exchange": jname(r.exchange)}
    elif isinstance(r, DNSRRSOA):
        out["rdata"] = {"mname": jname(r.mname), "rname": jname(r.rname), "serial": r.serial,
                        "refresh": r.refresh, "retry": r.retry, "expire": r.expire, "minimum": r.minimum}
    elif isinstance(r, DNSRRSRV):
        out["rdata"] = {"priority": r.priority, "weight": r.weight, "port": r.port, "target": jname(r.target)}
    elif type(r) in DNSRR_DISPATCHER.values():
        # DNSSEC records, bytes in netlua: their rdata as Scapy writes it.
        out["rdata"] = {"hex": raw(r)[len(dns_encode(r.rrname)) + 10:].hex()}
    elif r.type in (1, 28):
        out["rdata"] = r.rdata
    elif r.type in (2, 3, 4, 5, 12):
        out["rdata"] = jname(r.rdata)
    elif r.type == 16:
        out["rdata"] = [jstr(x) for x in r.rdata]
    else:
        out["rdata"] = {"hex": sbytes(r.rdata).hex()}
    return out


def read_section(sec, question):
    out = []
    while sec is not None and not isinstance(sec, (Raw, type(None))) and sec.__class__.__name__ != "NoPayload":
        if not isinstance(sec, (DNSQR, DNSRR)) and type(sec) not in DNSRR_DISPATCHER.values():
            break
        out.append(read_question(sec) if question else read_record(sec))
        sec = sec.payload
    return out


def read_dns(d, header):
    f = {k: int(getattr(d, k)) for k in header}
    if d.fields.get("length") is not None and "length" in [x.name for x in d.fields_desc]:
        f["length"] = d.length
    for s in SECTIONS:
        v = getattr(d, s)
        f[s] = [] if not v or len(raw(d)) <= 12 else read_section(v, s == "qd")
    return f


def vector(name, layers):
    pkt = None
    for layer in layers:
        s = scapy_layer(layer)
        pkt = s if pkt is None else pkt / s
    data = raw(pkt)
    back = Ether(data)
    fields = read_fields(back)
    for cls, lname, header in ((DNS, "dns", DNS_HEADER), (LLMNRQuery, "llmnr", LLMNR_HEADER),
                               (LLMNRResponse, "llmnr", LLMNR_HEADER)):
        if cls in back:
            d = back[cls]
            fields[lname] = read_dns(d, header)
            pay = raw(d.payload) if d.payload else b""
            fields["payload_hex"] = pay.hex()
            if d.arcount > len(raw(d)) - 12:
                del fields["payload_hex"]
    return {"name": name, "layers": layers, "hex": data.hex(), "fields": fields}


# Random frames.

def u(bits):
    return rng.randrange(1 << bits)


def ether():
    return {"layer": "ether", "src": mac(), "dst": mac()}


def ipv4(**kw):
    return dict({"layer": "ipv4", "src": ip4(), "dst": ip4(), "id": u(16)}, **kw)


def udp_query(port=53):
    return {"layer": "udp", "sport": rng.randrange(1024, 65536), "dport": port}


def udp_answer(port=53):
    return {"layer": "udp", "sport": port, "dport": rng.randrange(1024, 65536)}


def name():
    labels = rng.sample(["www", "mail", "lab", "ns1", "a", "b-c", "svc", "_sip", "_udp", "host7"], rng.randint(1, 3))
    return ".".join(labels + [rng.choice(["example", "example.org", "test", "invalid"])]) + rng.choice(["", "."])


def fqdn(n):
    return n if n.endswith(".") else n + "."


def rdata_for(typ):
    return {
        "A": lambda: ip4(), "AAAA": lambda: ip6(),
        "CNAME": lambda: fqdn(name()), "NS": lambda: fqdn(name()), "PTR": lambda: fqdn(name()),
        "MX": lambda: {"preference": u(16), "exchange": fqdn(name())},
        "TXT": lambda: rng.choice([["v=spf1 -all"], ["a", "bc", "def"], ["x" * 300], ["k=" + "y" * 40, "z"]]),
        "SOA": lambda: {"mname": fqdn(name()), "rname": fqdn(name()), "serial": u(32), "refresh": u(32),
                        "retry": u(16), "expire": u(32), "minimum": u(16)},
        "SRV": lambda: {"priority": u(16), "weight": u(16), "port": u(16), "target": fqdn(name())},
        "HINFO": lambda: {"hex": "0378383603437075"}, "CAA": lambda: {"hex": "0005697373756563612e6f7267"},
    }[typ]()


def record(typ=None, rrname=None):
    typ = typ or rng.choice(["A", "AAAA", "CNAME", "NS", "PTR", "MX", "TXT", "SOA", "SRV"])
    r = {"rrname": fqdn(rrname or name()), "type": typ, "ttl": u(20), "rdata": rdata_for(typ)}
    if rng.random() < 0.2:
        r["rclass"] = rng.choice(["CH", "HS", 254])
    return r


def opt(**kw):
    r = {"rrname": ".", "type": "OPT", "rclass": rng.choice([512, 1232, 4096]), "extrcode": 0, "version": 0,
         "z": rng.choice([0, 32768])}
    r["rdata"] = rng.choice([[], [{"optcode": 10, "optdata": {"hex": "0102030405060708"}}],
                             [{"optcode": 3, "optdata": ""}, {"optcode": 12, "optdata": {"hex": "0000"}}]])
    r.update(kw)
    return r


def query(**kw):
    d = {"layer": "dns", "id": u(16), "qd": [{"qname": name(), "qtype": rng.choice(["A", "AAAA", "MX", "TXT", "SRV", "ALL", 65])}]}
    d.update(kw)
    return d


def answer(n_an, **kw):
    q = name()
    qtype = rng.choice(["A", "AAAA", "CNAME", "MX", "TXT", "SOA", "SRV", "PTR", "NS"])
    d = {"layer": "dns", "id": u(16), "qr": 1, "aa": rng.choice([0, 1]), "ra": 1, "rd": 1,
         "qd": [{"qname": q, "qtype": qtype}], "an": [record(qtype, q) for _ in range(n_an)]}
    d.update(kw)
    return d


def queries():
    out = []
    for n in range(6):
        out.append(("query %d" % n, [ether(), ipv4(), udp_query(), query()]))
    out.append(("query default", [ether(), ipv4(), udp_query(), {"layer": "dns"}]))
    out.append(("query two questions, flags", [ether(), ipv4(), udp_query(), query(
        rd=0, cd=1, ad=1, z=1, opcode=2, qd=[{"qname": "a.example", "qtype": "NS", "qclass": "CH"},
                                             {"qname": ".", "qtype": 252}])]))
    out.append(("query ipv6", [ether(), {"layer": "ipv6", "src": ip6(), "dst": ip6()}, udp_query(), query()]))
    out.append(("query with OPT", [ether(), ipv4(), udp_query(), query(ar=[opt()])]))
    return out


def answers():
    out = []
    for typ in ["A", "AAAA", "CNAME", "NS", "PTR", "MX", "TXT", "SOA", "SRV", "HINFO", "CAA"]:
        d = answer(0)
        d["an"] = [record(typ, d["qd"][0]["qname"]) for _ in range(rng.randint(1, 3))]
        out.append(("answer %s" % typ, [ether(), ipv4(), udp_answer(), d]))
    for n in range(4):
        d = answer(rng.randint(1, 3), ns=[record("NS") for _ in range(rng.randint(0, 2))],
                   ar=[record(rng.choice(["A", "AAAA"])) for _ in range(rng.randint(0, 2))] + [opt()])
        out.append(("answer sections %d" % n, [ether(), ipv4(), udp_answer(), d]))
    out.append(("nxdomain with SOA", [ether(), ipv4(), udp_answer(), answer(
        0, rcode=3, ns=[record("SOA")])]))
    out.append(("answer OPT options", [ether(), ipv4(), udp_answer(), answer(1, ar=[opt(
        rdata=[{"optcode": 65001, "optdata": {"hex": "ff" * 20}}, {"optcode": 8, "optdata": {"hex": "00011800c61200"}}])])]))
    out.append(("record defaults", [ether(), ipv4(), udp_answer(), {"layer": "dns", "qr": 1, "an": [
        {}, {"type": "AAAA"}, {"type": "MX"}, {"type": "SOA"}, {"type": "SRV"}, {"type": "TXT"}, {"type": "CNAME"}, {"type": "OPT"}]}]))
    out.append(("DS as bytes", [ether(), ipv4(), udp_answer(), answer(0, an=[
        {"rrname": "example.", "type": "DS", "ttl": 3600, "rdata": {"hex": "3039080233" + "ab" * 32}}])]))
    rr = raw(scapy_record({"rrname": "r.example.", "type": "A", "rdata": "198.18.0.3"}))
    out.append(("sections as bytes", [ether(), ipv4(), udp_answer(), answer(1, ns_hex=rr.hex())]))
    out.append(("sections as bytes, counts given", [ether(), ipv4(), udp_answer(), answer(1, ar_hex=rr.hex(), arcount=1)]))
    out.append(("rdata as bytes for MX and SRV", [ether(), ipv4(), udp_answer(), answer(0, an=[
        {"rrname": "m.example.", "type": "MX", "rdata": {"hex": "000a016d076578616d706c6500"}},
        {"rrname": "s.example.", "type": 33, "rdata": {"hex": "000100020003"}}])]))
    return out


def compressed():
    out = []
    for n in range(5):
        d = answer(rng.randint(1, 3), ns=[record("NS") for _ in range(rng.randint(0, 2))],
                   ar=[record("A") for _ in range(rng.randint(0, 2))])
        msg = raw(dns_compress(scapy_dns(d)))
        out.append(("compressed %d" % n, [ether(), ipv4(), udp_answer(), {"layer": "payload", "hex": msg.hex()}]))
    d = answer(0, an=[record("MX", "example."), record("SOA", "example."), record("SRV", "_sip._udp.example."),
                      record("CNAME", "example.")])
    out.append(("compressed MX SOA SRV", [ether(), ipv4(), udp_answer(),
                                          {"layer": "payload", "hex": raw(dns_compress(scapy_dns(d))).hex()}]))
    # Names given in their wire form, pointers in them, built as they are.
    out.append(("hand compressed", [ether(), ipv4(), udp_answer(), answer(0, qd=[{"qname": "a.example."}], an=[
        {"rrname": {"hex": "c00c"}, "type": "A", "rdata": "198.18.0.7"},
        {"rrname": {"hex": "0162c00e"}, "type": "CNAME", "rdata": {"hex": "c00c"}},
        {"rrname": {"hex": "c00c"}, "type": "MX", "rdata": {"preference": 5, "exchange": {"hex": "036d7478c00c"}}}])]))
    return out


def mdns():
    out = []
    q = {"layer": "dns", "qd": [{"qname": "_http._tcp.local.", "qtype": "PTR", "qclass": 0x8001}], "rd": 0}
    out.append(("mdns query", [ether(), ipv4(dst="224.0.0.251"), {"layer": "udp", "sport": 5353, "dport": 5353}, q]))
    an = [{"rrname": "_http._tcp.local.", "type": "PTR", "rclass": 0x8001, "ttl": 4500, "rdata": "web._http._tcp.local."},
          {"rrname": "web._http._tcp.local.", "type": "SRV", "rclass": 0x8001, "ttl": 120,
           "rdata": {"priority": 0, "weight": 0, "port": 8080, "target": "web.local."}},
          {"rrname": "web._http._tcp.local.", "type": "TXT", "rclass": 0x8001, "ttl": 4500, "rdata": ["path=/"]},
          {"rrname": "web.local.", "type": "A", "rclass": 0x8001, "ttl": 120, "rdata": ip4()}]
    out.append(("mdns answer", [ether(), ipv4(dst="224.0.0.251"), {"layer": "udp", "sport": 5353, "dport": 5353},
                                {"layer": "dns", "qr": 1, "aa": 1, "rd": 0, "qd": [], "an": an}]))
    out.append(("mdns ipv6 query", [ether(), {"layer": "ipv6", "src": ip6(), "dst": "ff02::fb"},
                                    {"layer": "udp", "sport": 5353, "dport": 5353}, q]))
    out.append(("mdns legacy unicast", [ether(), ipv4(), {"layer": "udp", "sport": 40000, "dport": 5353}, query()]))
    return out


def llmnr():
    out = []
    out.append(("llmnr query", [ether(), ipv4(dst="224.0.0.252"), {"layer": "udp", "sport": 5355, "dport": 5355},
                                {"layer": "llmnr", "id": u(16), "qd": [{"qname": "host7."}]}]))
    out.append(("llmnr response", [ether(), ipv4(), {"layer": "udp", "sport": 5355, "dport": 5355},
                                   {"layer": "llmnr", "id": u(16), "qr": 1, "c": 1, "tc": 2, "z": 5,
                                    "qd": [{"qname": "host7.", "qtype": "AAAA"}],
                                    "an": [{"rrname": "host7.", "type": "AAAA", "ttl": 30, "rdata": ip6()}]}]))
    out.append(("llmnr to 5355 only", [ether(), ipv4(), {"layer": "udp", "sport": 50000, "dport": 5355},
                                       {"layer": "llmnr", "id": u(16), "qd": [{"qname": "h.", "qtype": "A"}]}]))
    return out


def tcp(**kw):
    return dict({"layer": "tcp", "sport": rng.randrange(1024, 65536), "dport": 53, "seq": u(32), "ack": u(32),
                 "flags": "PA", "window": 65535}, **kw)


def over_tcp():
    out = []
    out.append(("tcp query", [ether(), ipv4(), tcp(), query()]))
    t = tcp(dport=rng.randrange(1024, 65536), sport=53)
    out.append(("tcp answer", [ether(), ipv4(), t, answer(2, ar=[opt()])]))
    out.append(("tcp length short on purpose", [ether(), ipv4(), tcp(), query(length=20)]))
    out.append(("tcp length long on purpose", [ether(), ipv4(), tcp(), query(length=500)]))
    out.append(("tcp length under 14", [ether(), ipv4(), tcp(), query(length=13)]))
    out.append(("tcp segment, no DNS", [ether(), ipv4(), tcp(), {"layer": "payload", "hex": "00"}]))
    return out


def wrong_counts():
    out = []
    out.append(("qdcount 0, one question", [ether(), ipv4(), udp_query(), query(qdcount=0)]))
    out.append(("qdcount 3, one question", [ether(), ipv4(), udp_query(), query(qdcount=3)]))
    out.append(("qdcount past the end", [ether(), ipv4(), udp_query(), query(qdcount=4000)]))
    out.append(("ancount 5, one answer", [ether(), ipv4(), udp_answer(), answer(1, ancount=5)]))
    out.append(("ancount 1, three answers", [ether(), ipv4(), udp_answer(), answer(3, ancount=1)]))
    out.append(("ancount past the end, ns read", [ether(), ipv4(), udp_answer(), answer(1, ancount=900, nscount=1)]))
    out.append(("arcount past the end", [ether(), ipv4(), udp_answer(), answer(1, arcount=3000)]))
    out.append(("rdlen wrong on purpose", [ether(), ipv4(), udp_answer(), answer(0, an=[
        {"rrname": "a.", "type": "TXT", "rdlen": 3, "rdata": ["abcdef"]}, {"rrname": "b.", "type": "A", "rdata": "198.18.0.1"}])]))
    out.append(("optlen wrong on purpose", [ether(), ipv4(), udp_query(), query(ar=[opt(
        rdata=[{"optcode": 10, "optlen": 2, "optdata": {"hex": "0102030405060708"}}])])]))
    return out


def malformed():
    base = raw(scapy_dns(answer(0, an=[record("A", "a.example."), record("MX", "a.example.")])))
    q = raw(scapy_dns(query(qd=[{"qname": "www.example."}])))
    cases = {
        "header cut": q[:7],
        "header only": q[:12],
        "question name cut": q[:17],
        "question type cut": q[:len(q) - 3],
        "question class cut": q[:len(q) - 1],
        "question type only": q[:len(q) - 2],
        "record fixed part cut": base[:len(q) + 8],
        "mx cut in preference": base[:len(base) - len(dns_encode(b"x")) - 30],
        "A rdlen 2": bytes.fromhex("000081800001000100000000") + b"\x01a\x00\x00\x01\x00\x01" +
        b"\x01a\x00\x00\x01\x00\x01\x00\x00\x00\x10\x00\x02\xc6\x12",
        "A rdlen 6": bytes.fromhex("000081800000000100000000") + b"\x01a\x00\x00\x01\x00\x01\x00\x00\x00\x10\x00\x06\xc6\x12\x00\x01\xff\xff",
        "A rdata cut by the end": bytes.fromhex("000081800000000100000000") + b"\x01a\x00\x00\x01\x00\x01\x00\x00\x00\x10\x00\x04\xc6\x12",
        "pointer loop": bytes.fromhex("000001000001000000000000c00c00010001"),
        "pointer pair loop": bytes.fromhex("000081800001000100000000") + b"\xc0\x1e\x00\x01\x00\x01" + b"\x01a\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x01\x00\x00",
        "pointer past the end": bytes.fromhex("000001000001000000000000c0ff00010001"),
        "pointer into the header": bytes.fromhex("000081800001000100000000") + b"\x01a\x00\x00\x01\x00\x01" + b"\xc0\x06\x00\x05\x00\x01\x00\x00\x00\x01\x00\x02\xc0\x01",
        "label past the end": bytes.fromhex("000001000001000000000000") + b"\x3fabc",
        "TXT length past the end": bytes.fromhex("000081800000000100000000") + b"\x00\x00\x10\x00\x01\x00\x00\x00\x01\x00\x04\x09abc",
        "OPT junk after options": bytes.fromhex("000001000000000000000001") + b"\x00\x00\x29\x10\x00\x00\x00\x80\x00\x00\x07\x00\x0a\x00\x01\xaa\x00\x03",
        "OPT option code only": bytes.fromhex("000001000000000000000001") + b"\x00\x00\x29\x10\x00\x00\x00\x80\x00\x00\x02\x00\x0a",
        "bit 0x40 label as pointer": bytes.fromhex("000001000001000000000000") + b"\x41\x0c\x00\x01\x00\x01",
        "trailing bytes": q + b"\xde\xad\xbe\xef",
    }
    return [("malformed: " + k, [ether(), ipv4(), udp_answer(), {"layer": "payload", "hex": v.hex()}])
            for k, v in cases.items()]


def main():
    cases = queries() + answers() + compressed() + mdns() + llmnr() + over_tcp() + wrong_counts() + malformed()
    json.dump([vector(n, l) for n, l in cases], sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
