#!/usr/bin/python3
"""Makes the real-capture sample and Scapy's reading of it, for
capture_test.go.

The frames come from the test captures of tcpdump's repository
(https://github.com/the-tcpdump-group/tcpdump, tests/*.pcap and *.pcapng,
BSD licence: captures/LICENSE.tcpdump; the sample was taken at commit
39b50f76672bca4af7d7eb52604c5b692c6b6b2c of 2026-04-29). Two steps:

    # 1. pick the sample from a checkout's tests directory (done once;
    #    the sample is committed):
    /usr/bin/python3 luabind/frame/testdata/gen_captures.py sample TCPDUMP/tests \
        luabind/frame/testdata/captures
    # 2. read the committed sample with Scapy 2.5:
    /usr/bin/python3 luabind/frame/testdata/gen_captures.py \
        luabind/frame/testdata/captures > luabind/frame/testdata/scapy_captures.json

Scapy reads with its default layers plus the contrib modules of issue 18's
protocols that Scapy does not load by default (CONTRIB). A frame is in the
sample when Scapy finds one of those protocols in it (tags()); at most
PER_SIGNATURE frames of one file share the same list of Scapy layers, so
the sample stays small and varied. Each linktype<N>.pcap has a
linktype<N>.sources beside it: the file and record number in tcpdump's
tests of each of its frames.

Step 2 writes, for each frame in the order of the sample files: the sample
file and its record number, where the frame came from in tcpdump's tests,
its link type, its tags, and Scapy's layers in order, each with its class
name and the fields Scapy decoded (ConditionalFields whose condition does
not hold are left out). Values are Scapy's internal ones: numbers, flags as
numbers, addresses as text, byte strings as hex under "<name>_hex"
(a field that is no bytes on the wire is left out), STP's times as on the
wire (in 1/256 s, as netlua keeps them);
IPv4, TCP and DHCP options as items in the form of gen_opts.py and
gen_dhcp.py, ND options (Scapy's layers after an ICMPv6ND_* one) as the
"options" of that ND layer in the form of gen_ndopts.py; the options of GENEVE and IPv6 HBH and destination options,
which netlua keeps as bytes, as their bytes; routing header addresses as
netlua's items ([["2001:db8::1"], ...]). List entries, which Scapy has as
layers of their own or as packets in a field and netlua as the items of a
list field, are written as those items, in the form of the vector
generator of their slice and read by its own reader, on the layer that
owns the list (list_items): DNS's qd, an, ns, ar (gen_dns.py), DHCPv6's
options (gen_dhcp6.py), SCTP's chunks (gen_sctp.py), the TLVs of LLDP on
its first layer (gen_mcast.py), the records and sources of IGMPv3 and
MLDv2 and the addresses of segment routing (gen_mcast.py), VRRP's
addrlist; ND options netlua has no name for as {type, bytes, len = n};
a PIM message, payload to netlua, as its bytes in "message_hex". Fields
whose values this script does not render (lists of packets of other
protocols, ...) are named in "unrendered". The mapping from Scapy's classes
to netlua's layers is the test's (capture_test.go), not this script's.
"""

import json
import os
import resource
import signal
import sys

from scapy.all import (BOOTP, DHCP, IP, TCP, ConditionalField, NoPayload, Packet,
                       Padding, Raw, conf, load_contrib, raw)
from scapy.fields import BCDFloatField
from scapy.layers.inet6 import _PhantomAutoPadField
from scapy.utils import RawPcapNgReader, RawPcapReader, RawPcapWriter

import gen_dhcp
import gen_dhcp6
import gen_dns
import gen_mcast
import gen_ndopts
import gen_opts
import gen_sctp

CONTRIB = ["mpls", "geneve", "erspan", "lldp", "igmp", "igmpv3", "pim"]
for _name in CONTRIB:
    load_contrib(_name)
conf.verb = 0
# gen_mcast turns LLDP's strict mode off for its wrong TLVs on purpose;
# the captures are read with Scapy's default.
conf.contribs["LLDP"].strict_mode_enable()

# Link types whose frames netlua decodes (frame.ForLinkType) and Scapy too.
LINKTYPES = {0, 1, 101, 108, 113, 228, 229, 276}
PER_SIGNATURE = 8
MAX_FRAME = 1600

# Scapy class name prefixes (and, ending in "$", whole names) that say a
# frame carries one of issue 18's protocols, by tag.
TAG_CLASSES = [
    ("sll", ["CookedLinux"]), ("sll2", ["CookedLinuxV2"]), ("loopback", ["Loopback"]),
    ("llc", ["LLC", "Dot3"]), ("snap", ["SNAP"]), ("stp", ["STP"]),
    ("lldp", ["LLDPDU"]), ("gre", ["GRE"]), ("vxlan", ["VXLAN"]), ("geneve", ["GENEVE"]),
    ("mpls", ["MPLS"]), ("dot1ad", ["Dot1AD"]), ("erspan", ["ERSPAN"]),
    ("ipv6ext", ["IPv6ExtHdr"]), ("ah", ["AH"]), ("esp", ["ESP"]),
    ("icmperror", ["IPerror", "IPerror6"]),
    ("nd", ["ICMPv6ND_", "ICMPv6NDOpt"]), ("mld", ["ICMPv6ML"]), ("igmp", ["IGMP"]),
    ("dns", ["DNS"]), ("dhcp", ["BOOTP$", "DHCP$"]), ("dhcp6", ["DHCP6"]),
    ("ntp", ["NTP"]), ("sctp", ["SCTP"]), ("vrrp", ["VRRP"]), ("pim", ["PIM"]),
]


def tags(pkt):
    """The issue's protocols Scapy found in pkt."""
    found = []
    names = [type(l).__name__ for l in layers(pkt)]
    for tag, prefixes in TAG_CLASSES:
        if any(n == p[:-1] if p.endswith("$") else n.startswith(p) for n in names for p in prefixes):
            found.append(tag)
    if IP in pkt and pkt[IP].options:
        found.append("ipopts")
    if TCP in pkt and pkt[TCP].options:
        found.append("tcpopts")
    if "icmperror" not in found and any(n.startswith("ICMPv6") and "Unreach" in n or n in (
            "ICMPv6PacketTooBig", "ICMPv6TimeExceeded", "ICMPv6ParamProblem") for n in names):
        found.append("icmperror")
    return found


def layers(pkt):
    out = []
    while isinstance(pkt, Packet) and not isinstance(pkt, (NoPayload, conf.raw_layer)) and \
            not isinstance(pkt, conf.padding_layer):
        out.append(pkt)
        pkt = pkt.payload
    return out


def records(path):
    """(data, linktype) of each record of the capture file at path."""
    try:
        reader = RawPcapReader(path)
    except Exception:
        return
    ng = isinstance(reader, RawPcapNgReader)
    try:
        while True:
            try:
                data, meta = reader._read_packet()
            except (Timeout, MemoryError):
                raise
            except Exception:  # EOFError at the end; a damaged record ends the file too
                return
            yield data, (meta.linktype if ng else reader.linktype)
    finally:
        reader.close()


def decode(data, linktype):
    cls = conf.l2types.num2layer.get(linktype)
    return cls(data) if cls else None


class Timeout(Exception):
    pass


def alarm(signum, frame):
    raise Timeout()


def sample(tests, out):
    # Some of tcpdump's captures are damaged on purpose: a record's length
    # may ask Scapy for gigabytes, or its dissectors may loop. Such files
    # fail (memory) or are cut (time) rather than hang the run.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    signal.signal(signal.SIGALRM, alarm)
    chosen = {}  # linktype -> [(data, source)]
    for name in sorted(os.listdir(tests)):
        if not name.endswith((".pcap", ".pcapng")):
            continue
        signal.alarm(20)
        try:
            sample_file(tests, name, chosen)
        except (Timeout, MemoryError) as e:
            print("%s: %s" % (name, type(e).__name__), file=sys.stderr)
        signal.alarm(0)
    write_sample(out, chosen)


def sample_file(tests, name, chosen):
    seen = {}
    for n, (data, lt) in enumerate(records(os.path.join(tests, name)), 1):
        if lt not in LINKTYPES or len(data) > MAX_FRAME:
            continue
        try:
            pkt = decode(data, lt)
        except (Timeout, MemoryError):
            raise
        except Exception:
            continue
        if pkt is None or not tags(pkt):
            continue
        sig = tuple(type(l).__name__ for l in layers(pkt))
        if seen.get(sig, 0) >= PER_SIGNATURE:
            continue
        seen[sig] = seen.get(sig, 0) + 1
        chosen.setdefault(lt, []).append((data, "tests/%s#%d" % (name, n)))


def write_sample(out, chosen):
    os.makedirs(out, exist_ok=True)
    for lt, frames in sorted(chosen.items()):
        w = RawPcapWriter(os.path.join(out, "linktype%d.pcap" % lt), linktype=lt, sync=True)
        w.write_header(None)
        for i, (data, _) in enumerate(frames):
            w.write_packet(data, sec=i, usec=0)
        w.close()
        with open(os.path.join(out, "linktype%d.sources" % lt), "w") as f:
            f.write("".join(src + "\n" for _, src in frames))


def value(v):
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, (int, str, float)) or v is None:
        return v
    if hasattr(v, "value") and isinstance(getattr(v, "value"), int):  # FlagValue
        return int(v)
    raise TypeError(type(v).__name__)


# Lists of options that netlua keeps as bytes: Scapy's list as its bytes.
RAW_LISTS = {"GENEVE", "IPv6ExtHdrHopByHop", "IPv6ExtHdrDestOpt"}


def layer_json(l):
    fields, unrendered = {}, []
    for fd in l.fields_desc:
        if isinstance(fd, ConditionalField) and not fd._evalcond(l):
            continue
        if isinstance(fd, _PhantomAutoPadField):
            continue  # Scapy's padding switch for building, not on the wire
        v = l.getfieldval(fd.name)
        key = fd.name
        if isinstance(v, bytes) and not v and not fd.addfield(l, b"", v):
            continue  # not on the wire: ICMP's unused of 0 bytes for echo
        if isinstance(fd, BCDFloatField):
            v = fd.i2m(l, v)  # STP times in 1/256 s, as netlua keeps them
        try:
            if isinstance(l, IP) and fd.name == "options":
                v = gen_opts.json_ip_options(v)
            elif isinstance(l, TCP) and fd.name == "options":
                v = gen_opts.json_tcp_options(v)
            elif isinstance(l, DHCP) and fd.name == "options":
                v = gen_dhcp.json_options(v)
            elif type(l).__name__ in RAW_LISTS and fd.name == "options":
                key, v = "options_hex", b"".join(raw(o) for o in v).hex()
            elif type(l).__name__ == "IPv6ExtHdrRouting" and fd.name == "addresses":
                v = [[a] for a in v]
            else:
                if isinstance(v, bytes):
                    key += "_hex"
                v = value(v)
        except (TypeError, ValueError, KeyError):
            unrendered.append(fd.name)
            continue
        fields[key] = v
    if type(l).__name__.startswith("ICMPv6ND_"):
        # Scapy's ND options are layers of their own; netlua's nd_* layer
        # has them as a list: Scapy's chain as netlua's items (gen_ndopts.py).
        try:
            opts = nd_options(l)
            if gen_ndopts.text_names(opts):
                raise ValueError("names that are not ASCII")
            fields["options"] = opts
        except (AssertionError, ValueError, TypeError):
            unrendered.append("options")
    try:
        lists = list_items(l)
    except Exception:  # a reader of gen_*.py that cannot render this reading
        lists = {}
        unrendered.append("<list items>")
    for key, items in lists.items():
        if items is not None:
            fields[key] = items
        if key in unrendered:
            unrendered.remove(key)
    out = {"class": type(l).__name__, "fields": fields}
    if unrendered:
        out["unrendered"] = unrendered
    return out


def nd_options(nd):
    """The ND options after nd as gen_ndopts.py reads them, but those of
    a class netlua has no name for (RouteInfo, AdvInterval, HAInfo...),
    which netlua keeps as {type, bytes, len = n}: their bytes as Scapy's
    class framed them."""
    names, o = [], nd.payload
    while o and not isinstance(o, (Padding, Raw)):
        names.append(type(o).__name__[len("ICMPv6NDOpt"):])
        o = o.payload
    if all(n in gen_ndopts.CLASSES for n in names):
        return gen_ndopts.json_options(nd)
    out, o = [], nd.payload
    while o and not isinstance(o, Padding):
        name = type(o).__name__[len("ICMPv6NDOpt"):]
        if isinstance(o, Raw) or name in gen_ndopts.CLASSES:
            one = o.copy()
            one.remove_payload()
            out += gen_ndopts.json_options(_Before(one))
        else:
            b = bytes(o)[:len(bytes(o)) - len(bytes(o.payload))]
            out.append({"1": o.type, "2": {"hex": b[2:].hex()}, "len": o.len})
        if isinstance(o, Raw):
            break
        o = o.payload
    return out


# netlua's list field of the MLD/IGMPv3/SRH classes, read by gen_mcast.py.
MCAST_LISTS = {"IGMPv3mq": ("igmpv3mq", "srcaddrs"), "IGMPv3mr": ("igmpv3mr", "records"),
               "ICMPv6MLQuery2": ("mldv2_query", "sources"), "ICMPv6MLReport2": ("mldv2_report", "records"),
               "IPv6ExtHdrSegmentRouting": ("ipv6_rh", "addresses")}


class _Before:
    """A stand-in for the layer before a chain of Scapy layers, for the
    readers of gen_*.py that start at a layer's payload."""

    def __init__(self, first):
        self.payload = first


def list_items(l):
    """The list entries of Scapy's layer l, as items of netlua's list
    field, by that field's name, read by the vector generator of the
    layer's slice: DNS's sections, DHCPv6's options, SCTP's chunks, the
    TLVs of an LLDPDU (on its first TLV, which starts netlua's lldp
    layer), the records and addresses of IGMPv3, MLDv2 and segment
    routing, VRRP's addresses."""
    name = type(l).__name__
    if name in ("DNS", "LLMNRQuery", "LLMNRResponse"):
        d = gen_dns.read_dns(l, [])
        return {s: d[s] for s in gen_dns.SECTIONS}
    if name.startswith("DHCP6_") or name == "DHCP6":
        return {"options": gen_dhcp6.chain_items([l.payload] if l.payload else [])}
    if name == "SCTP":
        return {"chunks": gen_sctp.chunk_items(l.payload)}
    if name == "LLDPDU":  # Scapy's dispatcher gave no TLV class: the TLVs follow
        return {"tlvs": gen_mcast.json_tlvs(l)}
    if name.startswith("LLDPDU"):
        if not isinstance(l.underlayer, gen_mcast.lldp.LLDPDU):
            return {"tlvs": gen_mcast.json_tlvs(_Before(l))}
        return {}
    if name in MCAST_LISTS:
        # Segment routing's TLVs are a last {"Raw", bytes} item of its
        # addresses, as netlua has them: tlv_objects is in that item.
        lname, field = MCAST_LISTS[name]
        out = {field: gen_mcast.layer_fields(lname, l)[field]}
        if name == "IPv6ExtHdrSegmentRouting":
            out["tlv_objects"] = None
        return out
    if name in ("VRRP", "VRRPv3"):
        return {"addrlist": [[a] for a in l.addrlist]}
    if name.startswith("PIMv2") and name != "PIMv2Hdr":
        # netlua's pim layer has the header; the message is its payload.
        b = raw(l)
        pad = l.getlayer(Padding)
        return {"message_hex": (b[:len(b) - len(pad.load)] if pad else b).hex()}
    return {}


def read(captures):
    frames = []
    for name in sorted(os.listdir(captures)):
        if not name.endswith(".pcap"):
            continue
        with open(os.path.join(captures, name[:-len(".pcap")] + ".sources")) as f:
            sources = f.read().split()
        for n, (data, lt) in enumerate(records(os.path.join(captures, name))):
            pkt = decode(data, lt)
            frames.append({"file": name, "record": n, "source": sources[n], "linktype": lt,
                           "tags": tags(pkt), "layers": [layer_json(l) for l in layers(pkt)]})
    return frames


def main():
    if sys.argv[1] == "sample":
        sample(sys.argv[2], sys.argv[3])
        return
    # One frame a line: a diff of the file shows the frames that changed.
    frames = [json.dumps(f, sort_keys=True, separators=(",", ":")) for f in read(sys.argv[1])]
    sys.stdout.write("[\n" + ",\n".join(frames) + "\n]\n")


if __name__ == "__main__":
    main()
