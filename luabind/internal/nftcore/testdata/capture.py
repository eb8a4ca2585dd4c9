#!/usr/bin/env python3
"""Writes messages.txt: the nf_tables messages that nft (and iptables-nft)
send for commands equivalent to what netlua builds, as the byte-level tests'
reference. Each line is COMMAND|TYPE|FLAGS|DATA, DATA being the message
after its 16-byte netlink header (nfgenmsg first), in hex.

Run as root, with nftables, iptables and strace installed; it works in a
network namespace of its own:  unshare -n python3 capture.py > messages.txt"""
import re, subprocess, sys, tempfile

SETUP = """ip link add veth0 type veth peer name veth1
nft add table inet t
nft add chain inet t input { type filter hook input priority 0; policy accept; }
nft add chain inet t output { type filter hook output priority 0; policy accept; }
nft add rule inet t input counter"""

COMMANDS = """nft add table inet t2 { flags owner; }
nft add chain inet t c2 { type filter hook input priority 0; policy accept; }
nft add chain inet t ingress_veth0 { type filter hook ingress device veth0 priority 0; policy accept; }
nft add rule inet t input meta l4proto tcp tcp dport 80 counter drop
nft add rule inet t input meta nfproto ipv4 counter accept
nft add rule inet t input meta nfproto ipv4 ip saddr 198.18.0.0/15 meta l4proto udp udp sport 1000-2000 counter
nft add rule inet t input meta nfproto ipv4 iifname "veth0" ip daddr 198.18.0.2 counter reject
nft add rule inet t output meta nfproto ipv6 oifname "lo" ip6 daddr 2001:db8::/32 meta l4proto tcp counter reject with tcp reset
nft add rule inet t input meta l4proto tcp tcp sport 1234 tcp dport 8000-8080 counter drop
nft add rule inet t input meta l4proto udp counter queue num 7 bypass
nft add rule inet t input meta nfproto ipv6 ip6 saddr 2001:db8::/33 counter
nft add rule inet t input meta nfproto ipv4 ip saddr 10.0.0.0/16 counter drop
nft delete rule inet t input handle 3
iptables-nft -A INPUT -m string --string HTTP --algo bm -j NFQUEUE --queue-num 7 --queue-bypass"""


def sent(argv):
    """The datagrams argv sends on its netlink socket (fd 3)."""
    with tempfile.NamedTemporaryFile(suffix=".strace") as f:
        subprocess.run(["strace", "-f", "-e", "trace=sendmsg", "-e", "write=3", "-o", f.name] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        buf = b""
        for line in open(f.name):
            if "bytes in buffer" in line and buf:
                yield buf
                buf = b""
            m = re.match(r"\s*\| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2})+)", line)
            if m:
                buf += bytes.fromhex(m.group(1).replace(" ", ""))
        if buf:
            yield buf


def messages(buf):
    while len(buf) >= 16:
        n = int.from_bytes(buf[0:4], "little")
        yield int.from_bytes(buf[4:6], "little"), int.from_bytes(buf[6:8], "little"), buf[16:n]
        buf = buf[(n + 3) & ~3:]


def shell(cmd):
    """cmd as sh -c runs it, with nft's braces quoted."""
    return ["sh", "-c", cmd.replace("{", "'{").replace("}", "}'")]


for cmd in SETUP.splitlines():
    subprocess.run(shell(cmd), check=True)
for cmd in COMMANDS.splitlines():
    for b in sent(shell(cmd)):
        for typ, flags, data in messages(b):
            # new table (0), new chain (3), new rule (6), delete rule (8) of nf_tables (subsystem 10)
            if typ >> 8 == 10 and typ & 0xff in (0, 3, 6, 8):
                print("%s|%#06x|%#06x|%s" % (cmd, typ, flags, data.hex()))
