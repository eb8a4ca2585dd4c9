#!/usr/bin/python3
"""Makes scapy_answers.json: (request, candidate reply) frame pairs, each
labelled with Scapy's own answer to reply.answers(request), and whether
the two have the same hashret(), for netlua's port of the matcher
(answers.go, hashret.go).

Run with the Scapy of Debian's python3-scapy (Scapy 2.5):

    /usr/bin/python3 luabind/frame/testdata/gen_answers.py > luabind/frame/testdata/scapy_answers.json

Both frames are built, then dissected again from their bytes, so that the
label comes from the classes Scapy dissects (IPerror, UDPerror, ...), as
sr() sees them. Scapy's conf defaults stay as they are: checkIPsrc,
checkIPaddr and checkIPinIP on, checkIPID off. The pairs are random but
seeded: right answers, near misses (a wrong id, seq, port, xid, address,
quote) and unrelated frames. Outside ICMP quotes, no frame has a header
cut short: Scapy decodes one that ends at a field boundary with the
rest at defaults (a 2-byte DNS id), and netlua's matcher does not yet.
"""

import json
import random
import sys

from scapy.all import (ARP, BOOTP, DHCP, DNS, DNSQR, ICMP, IP, TCP, UDP, Dot1Q, Ether,
                       ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest, ICMPv6MLQuery,
                       ICMPv6MLQuery2, ICMPv6MLReport, ICMPv6MLReport2, ICMPv6ND_NA, ICMPv6ND_NS,
                       ICMPv6ND_RA, ICMPv6ND_RS, ICMPv6PacketTooBig, ICMPv6ParamProblem,
                       ICMPv6TimeExceeded, ICMPv6Unknown, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw, conf)

conf.verb = 0
rng = random.Random(20261207)

MAC_A, MAC_B = "02:00:00:00:00:01", "02:00:00:00:00:02"


def v4():
    return "198.18.%d.%d" % (rng.randrange(0, 4), rng.randrange(1, 255))


def v6():
    return "2001:2::%x" % rng.randrange(1, 0xffff)


def eth(up, a=MAC_A, b=MAC_B):
    return Ether(src=a, dst=b) / up


def pick(*xs):
    return rng.choice(xs)


def maybe(right, *wrong):
    """right, mostly, else one of the near misses."""
    return right if rng.random() < 0.85 else rng.choice(wrong)


def near(v, bits=16):
    """v, mostly, else a value one off or random: a near miss."""
    return maybe(v, (v + 1) % (1 << bits), (v - 1) % (1 << bits), rng.randrange(1 << bits))


def arp_pair():
    a, b = v4(), v4()
    req = eth(ARP(op=1, hwsrc=MAC_A, psrc=a, pdst=b))
    rep = eth(ARP(op=maybe(2, 1, 3), hwsrc=MAC_B, psrc=maybe(b, a, v4()), hwdst=MAC_A, pdst=a), MAC_B, MAC_A)
    return "arp", req, rep


def ip_pair(upper_req, upper_rep, layer, proto=None):
    a, b = v4(), v4()
    req = eth(IP(src=a, dst=b, id=rng.randrange(65536)) / upper_req)
    kw = {}
    if proto is not None:
        kw["proto"] = proto
    rep = eth(IP(src=maybe(b, a, v4()), dst=maybe(a, b, v4()), **kw) / upper_rep, MAC_B, MAC_A)
    return layer, req, rep


def icmp(**kw):
    """An ICMP header whose timestamps, if its type has them, are seeded, not
    Scapy's default of the time of day."""
    return ICMP(ts_ori=rng.randrange(1 << 32), ts_rx=rng.randrange(1 << 32), ts_tx=rng.randrange(1 << 32), **kw)


def icmp_echo():
    i, s = rng.randrange(65536), rng.randrange(65536)
    t = pick(8, 13, 15, 17)
    body = Raw(b"x" * rng.randrange(0, 9))
    rt = maybe(t + 1, t, 0, 14)  # an error type would quote the body: see icmp_error
    return ip_pair(icmp(type=t, id=i, seq=s) / body, icmp(type=rt, id=near(i), seq=near(s)) / body, "icmp4")


def tcp_pair():
    sp, dp, seq = rng.randrange(1024, 65536), pick(22, 80, 443), rng.randrange(1 << 32)
    rflags = pick("SA", "SA", "R", "RA", "S", "A", "PA", "F")
    qflags = pick("S", "S", "S", "A", "PA", "R")
    load = b"y" * pick(0, 0, 3)
    req = TCP(sport=sp, dport=dp, seq=seq, flags=qflags) / Raw(load)
    rep = TCP(sport=near(dp), dport=near(sp), seq=rng.randrange(1 << 32), ack=(near(seq, 32) + pick(0, 1, 2, 3, len(load))) % (1 << 32),
              flags=rflags)
    if "A" in qflags and rng.random() < 0.5:
        req.ack = rng.randrange(1 << 32)
        rep.seq = (req.ack + pick(0, 1, 2, 3, 9)) % (1 << 32)
    return ip_pair(req, rep, "tcp")


def udp_pair():
    sp, dp = rng.randrange(1024, 65536), pick(7, 9, 5000, 33434)  # no protocol's ports
    load = pick(b"", b"q", b"qq")
    return ip_pair(UDP(sport=sp, dport=dp) / Raw(load),
                   UDP(sport=near(dp), dport=near(sp)) / Raw(pick(b"", b"r", b"rr")), "udp")


def quoted(req):
    """The request's IP packet as an ICMP error quotes it, or a near miss."""
    q = IP(bytes(req[IP]))
    r = rng.random()
    if r < 0.1:
        q.id = near(q.id)
    elif r < 0.2:
        q.src = v4()
    elif r < 0.25:
        q.dst = v4()
    elif r < 0.3 and UDP in q:
        q[UDP].sport = near(q[UDP].sport)
    elif r < 0.3 and TCP in q:
        q[TCP].seq = near(q[TCP].seq, 32)
    elif r < 0.3 and ICMP in q:
        q[ICMP].seq = near(q[ICMP].seq)
    q.chksum = None
    return bytes(q)[:pick(28, 28, 40, 48, len(bytes(q)))]


def icmp_error():
    a, b = v4(), v4()
    up = pick(UDP(sport=rng.randrange(1024, 65536), dport=33434 + rng.randrange(30)) / Raw(b"z" * 12),
              TCP(sport=rng.randrange(1024, 65536), dport=80, seq=rng.randrange(1 << 32)),
              ICMP(type=8, id=rng.randrange(65536), seq=rng.randrange(65536)) / Raw(b"p" * 8))
    req = eth(IP(src=a, dst=b, id=rng.randrange(65536), ttl=pick(1, 2)) / up)
    err = ICMP(type=pick(3, 11, 11, 4, 12, 5, 0), code=pick(0, 3, 1))
    rep = eth(IP(src=v4(), dst=maybe(a, b)) / err / Raw(quoted(req)), MAC_B, MAC_A)
    return "icmp4-error", req, rep


def dns_pair():
    i = rng.randrange(65536)
    name = pick("a.example.", "b.example.")
    req = DNS(id=i, qr=0, qd=DNSQR(qname=name))
    rep = DNS(id=near(i), qr=maybe(1, 0), qd=DNSQR(qname=name))
    return ip_pair(UDP(sport=rng.randrange(1024, 65536), dport=53) / req,
                   UDP(sport=53, dport=0) / rep, "dns")


def fix_dns(layer, req, rep):
    rep[UDP].dport = maybe(req[UDP].sport, 53)
    return layer, req, rep


def bootp_pair():
    x = rng.randrange(1 << 32)
    req = eth(IP(src="0.0.0.0", dst=pick("255.255.255.255", "198.18.0.1")) / UDP(sport=68, dport=67) /
              BOOTP(op=1, xid=x, chaddr=b"\x02\x00\x00\x00\x00\x01") / DHCP(options=[("message-type", "discover"), "end"]),
              MAC_A, "ff:ff:ff:ff:ff:ff")
    rep = eth(IP(src="198.18.0.1", dst=maybe("0.0.0.0", "255.255.255.255", "198.18.0.9")) / UDP(sport=67, dport=maybe(68, 67)) /
              BOOTP(op=2, xid=near(x, 32), yiaddr=v4()) / DHCP(options=[("message-type", "offer"), "end"]), MAC_B, MAC_A)
    return "bootp", req, rep


def v6_pair(upper_req, upper_rep, layer, mcast=False):
    a, b = v6(), v6()
    dst = pick("ff02::1", "ff02::2", b) if mcast else b
    req = eth(IPv6(src=a, dst=dst) / upper_req)
    rep = eth(IPv6(src=maybe(b, a, v6()), dst=maybe(a, b, "ff02::1")) / upper_rep, MAC_B, MAC_A)
    return layer, req, rep


def icmp6_echo():
    i, s = rng.randrange(65536), rng.randrange(65536)
    d = b"d" * rng.randrange(0, 4)
    Rep = maybe(ICMPv6EchoReply, ICMPv6EchoRequest)
    return v6_pair(ICMPv6EchoRequest(id=i, seq=s, data=d),
                   Rep(id=near(i), seq=near(s), data=maybe(d, b"e")), "icmp6", mcast=rng.random() < 0.3)


def nd_pair():
    t = v6()
    Rep = maybe(ICMPv6ND_NA, ICMPv6ND_NS)
    return v6_pair(ICMPv6ND_NS(tgt=t), Rep(tgt=maybe(t, v6())), "nd", mcast=True)


def udp6_pair():
    sp, dp = rng.randrange(1024, 65536), 53
    return v6_pair(UDP(sport=sp, dport=dp) / Raw(b"q"), UDP(sport=dp, dport=near(sp)) / Raw(b"r"), "udp6")


def tcp6_pair():
    sp, seq = rng.randrange(1024, 65536), rng.randrange(1 << 32)
    return v6_pair(TCP(sport=sp, dport=80, seq=seq, flags="S"),
                   TCP(sport=80, dport=near(sp), ack=near(seq + 1, 32), flags=pick("SA", "R", "RA", "A")), "tcp6")


def unrelated():
    """A request and a frame of another kind."""
    reqs = [arp_pair, icmp_echo, tcp_pair, udp_pair, icmp6_echo, nd_pair, bootp_pair]
    _, req, _ = rng.choice(reqs)()
    _, _, rep = rng.choice(reqs)()
    return "unrelated", req, rep


def ipinip_pair():
    """IP in IP and IPv6 in IP: checkIPinIP is on, so the outer header counts."""
    i, s = rng.randrange(65536), rng.randrange(65536)
    a, b = v4(), v4()
    req = eth(IP(src=a, dst=b) / ICMP(id=i, seq=s))
    rep = eth(IP(src=maybe(b, v4()), dst=a) / IP(src=b, dst=a) / ICMP(type=0, id=i, seq=s), MAC_B, MAC_A)
    return "ipinip", req, rep


def icmp6_error():
    """An ICMPv6 error quoting the request, cut or changed on the way."""
    a, b = v6(), v6()
    up = pick(UDP(sport=rng.randrange(1024, 65536), dport=33434) / Raw(b"z" * 12),
              TCP(sport=rng.randrange(1024, 65536), dport=80, seq=rng.randrange(1 << 32),
                  options=pick([], [("MSS", 1460)])),
              ICMPv6EchoRequest(id=rng.randrange(65536), seq=rng.randrange(65536), data=b"p" * 8))
    ext = pick(None, None, None, "hbh", "rh", "dest")
    ip = IPv6(src=a, dst=b, hlim=pick(1, 2))
    if ext == "hbh":
        ip = ip / IPv6ExtHdrHopByHop()
    elif ext == "rh":
        ip = ip / IPv6ExtHdrRouting(addresses=[v6()])
    elif ext == "dest":
        ip = ip / IPv6ExtHdrDestOpt()
    req = eth(ip / up)
    q = IPv6(bytes(req[IPv6]))
    r = rng.random()
    if r < 0.1:
        q.src = v6()
    elif r < 0.2:
        q.dst = v6()
    elif r < 0.3 and UDP in q:
        q[UDP].sport = near(q[UDP].sport)
    elif r < 0.3 and TCP in q:
        q[TCP].seq = (q[TCP].seq + 1) % (1 << 32)
    elif r < 0.6 and TCP in q:
        q[TCP].options = pick([], [("MSS", 1400)])
        q[TCP].dataofs = None
        q[TCP].chksum = None
    elif r < 0.3 and ICMPv6EchoRequest in q:
        q[ICMPv6EchoRequest].seq = near(q[ICMPv6EchoRequest].seq)
    quote = bytes(q)[:pick(40, 48, 60, 200)]
    err = pick(ICMPv6DestUnreach(), ICMPv6TimeExceeded(), ICMPv6PacketTooBig(), ICMPv6ParamProblem(),
               ICMPv6Unknown(type=pick(5, 100, 127)))
    rep = eth(IPv6(src=v6(), dst=maybe(a, b)) / err / Raw(quote), MAC_B, MAC_A)
    return "icmp6-error", req, rep


def mss_clamp():
    """An ICMPv6 error quoting a SYN whose MSS option a router changed:
    Scapy compares the TCP headers without options, checksum and offset."""
    a, b = v6(), v6()
    req = eth(IPv6(src=a, dst=b, hlim=1) / TCP(sport=rng.randrange(1024, 65536), dport=80, seq=rng.randrange(1 << 32),
                                             options=[("MSS", 1460)]))
    q = IPv6(bytes(req[IPv6]))
    q[TCP].options = pick([("MSS", 1400)], [("MSS", 1400), ("NOP", None), ("NOP", None), ("SAckOK", b"")], [])
    q[TCP].dataofs, q[TCP].chksum = None, None
    if rng.random() < 0.3:
        q[TCP].seq = (q[TCP].seq + 1) % (1 << 32)
    rep = eth(IPv6(src=v6(), dst=a) / ICMPv6TimeExceeded() / Raw(bytes(q)), MAC_B, MAC_A)
    return "icmp6-mss", req, rep


def vlan_pair():
    """A right or near pair in 802.1Q tags, on one side or both."""
    layer, req, rep = pick(icmp_echo, udp_pair, arp_pair)()
    v = rng.randrange(1, 4095)
    side = pick("both", "both", "reply", "request")
    if side in ("both", "request"):
        req = Ether(src=req.src, dst=req.dst) / Dot1Q(vlan=v) / req.payload
    if side in ("both", "reply"):
        rep = Ether(src=rep.src, dst=rep.dst) / Dot1Q(vlan=maybe(v, v + 1)) / rep.payload
    return "vlan", req, rep


def v6ext_pair():
    """An echo or UDP request behind an extension header, or a reply behind one."""
    layer, req, rep = pick(icmp6_echo, udp6_pair)()
    ext = pick(IPv6ExtHdrHopByHop, IPv6ExtHdrFragment, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting)
    if rng.random() < 0.7:
        req = with_ext(req, ext)
    else:
        rep = with_ext(rep, IPv6ExtHdrDestOpt)
    return "ipv6-ext", req, rep


def with_ext(frame, ext):
    """frame with an extension header ext right after its IPv6 header."""
    ip = frame[IPv6]
    up = ip.payload.copy()
    head = IPv6(src=ip.src, dst=ip.dst)
    if ext is IPv6ExtHdrRouting:
        return Ether(src=frame.src, dst=frame.dst) / head / ext(addresses=[v6()]) / up
    return Ether(src=frame.src, dst=frame.dst) / head / ext() / up


def nd_more():
    """Router solicitation and advertisement, MLD query and reports."""
    a = v6()
    kind = pick("rs", "mld", "mld2")
    if kind == "rs":
        req = eth(IPv6(src=a, dst="ff02::2") / ICMPv6ND_RS())
        rep = eth(IPv6(src=v6(), dst=maybe("ff02::1", a, v6())) / maybe(ICMPv6ND_RA(), ICMPv6ND_RS()), MAC_B, MAC_A)
    elif kind == "mld":
        req = eth(IPv6(src=a, dst="ff02::1") / ICMPv6MLQuery())
        rep = eth(IPv6(src=v6(), dst=maybe("ff02::1", "ff02::2", a)) / maybe(ICMPv6MLReport(), ICMPv6MLQuery()), MAC_B, MAC_A)
    else:
        req = eth(IPv6(src=a, dst="ff02::1") / maybe(ICMPv6MLQuery2(), ICMPv6MLQuery()))
        rep = eth(IPv6(src=v6(), dst=maybe("ff02::1", a)) / ICMPv6MLReport2(), MAC_B, MAC_A)
    return "nd-mld", req, rep


def mdns_pair():
    """mDNS over IPv4: the group on both sides skips the address checks."""
    i = rng.randrange(65536)
    req = eth(IP(src=v4(), dst="224.0.0.251") / UDP(sport=5353, dport=5353) / DNS(id=i, qd=DNSQR(qname="h.local.")))
    rep = eth(IP(src=v4(), dst=maybe("224.0.0.251", v4())) / UDP(sport=5353, dport=5353) /
              DNS(id=maybe(i, i + 1), qr=maybe(1, 0)), MAC_B, MAC_A)
    return "mdns", req, rep


def tcp_data_pair():
    """An ACK for data: the ack may run ahead by the request's payload."""
    sp, seq, ack = rng.randrange(1024, 65536), rng.randrange(1 << 31), rng.randrange(1 << 31)
    load = b"w" * rng.randrange(0, 20)
    req = TCP(sport=sp, dport=80, seq=seq, ack=ack, flags="PA") / Raw(load)
    rep = TCP(sport=80, dport=sp, seq=ack + pick(0, 1, 2, 3, -3), ack=seq + pick(0, len(load), len(load) + 2, len(load) + 3, -3),
              flags=pick("A", "PA", "R", "RA", "FA"))
    return ip_pair(req, rep, "tcp-data")


def rst_pair():
    """A RST for a segment: without ACK its ack is not checked."""
    sp, seq, ack = rng.randrange(1024, 65536), rng.randrange(1 << 31), rng.randrange(1 << 31)
    req = TCP(sport=sp, dport=80, seq=seq, ack=ack, flags=pick("PA", "A", "S"))
    rep = TCP(sport=80, dport=sp, seq=maybe(ack, ack + 7), ack=rng.randrange(1 << 31), flags=pick("R", "R", "RA"))
    return ip_pair(req, rep, "tcp-rst")


def icmp_quote_icmp():
    """An ICMP error quoting an ICMP message: type, code, and for some codes id and seq."""
    a, b = v4(), v4()
    t = pick(8, 8, 13, 0)
    req = eth(IP(src=a, dst=b, ttl=1) / icmp(type=t, code=pick(0, 0, 8, 1), id=rng.randrange(65536), seq=rng.randrange(65536)))
    q = IP(bytes(req[IP]))
    r = rng.random()
    if r < 0.3:
        q[ICMP].seq = near(q[ICMP].seq)
    elif r < 0.4:
        q[ICMP].code = (q[ICMP].code + 1) % 256
    elif r < 0.5:
        q[ICMP].type = pick(0, 8, 13)
        q[ICMP].ts_ori, q[ICMP].ts_rx, q[ICMP].ts_tx = 1, 2, 3  # not the time of day
    q[ICMP].chksum = None
    rep = eth(IP(src=v4(), dst=a) / ICMP(type=11) / Raw(bytes(q)), MAC_B, MAC_A)
    return "icmp4-quote-icmp", req, rep


def reverse(f):
    """A right pair turned round: the request as the candidate reply."""
    layer, req, rep = f()
    return layer, rep, req


MAKERS = [(arp_pair, 30), (icmp_echo, 40), (tcp_pair, 60), (udp_pair, 30), (icmp_error, 60),
          (lambda: fix_dns(*dns_pair()), 25), (bootp_pair, 20), (icmp6_echo, 30), (nd_pair, 25),
          (udp6_pair, 15), (tcp6_pair, 25), (unrelated, 30), (ipinip_pair, 6),
          (lambda: reverse(icmp_echo), 8), (lambda: reverse(tcp_pair), 8),
          (icmp6_error, 50), (vlan_pair, 20), (v6ext_pair, 30), (nd_more, 25), (mdns_pair, 15),
          (tcp_data_pair, 40), (rst_pair, 20), (icmp_quote_icmp, 30), (mss_clamp, 15)]


def main():
    pairs = []
    for make, n in MAKERS:
        for _ in range(n):
            layer, req, rep = make()
            rb, pb = bytes(req), bytes(rep)
            req, rep = Ether(rb), Ether(pb)
            pairs.append({"layer": layer, "request": rb.hex(), "reply": pb.hex(),
                          "answers": bool(rep.answers(req)), "same_hash": rep.hashret() == req.hashret()})
    json.dump(pairs, sys.stdout, indent=0)
    sys.stdout.write("\n")


main()
