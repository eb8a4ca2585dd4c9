package filter

// Expressions of the primitives issue 18 added, judged against tcpdump
// like those of exprs_test.go: mpls, llc, pppoes, ip broadcast and
// protocol names from /etc/protocols.
var labelExprs = []string{
	"mpls", "mpls 100", "mpls 1", "mpls 16", "mpls 1048575", "mpls 0", "mpls (100)", "mpls 0x64",
	"mpls and ip", "mpls and ip6", "mpls and tcp", "mpls and udp port 53", "mpls and tcp port 80",
	"mpls 1 and mpls 2", "mpls 1 and mpls 2 and udp", "mpls 100 and mpls", "mpls and mpls and mpls",
	"mpls 16 and mpls 17 and mpls 18 and ip6", "mpls and mpls and mpls and tcp port 443",
	"mpls and host 10.0.0.1", "mpls and net 10.0.0.0/8", "mpls and dst host 255.255.255.255",
	"mpls and ip6 host 2001:db8::2", "mpls and icmp", "mpls and ip broadcast", "mpls and broadcast",
	"mpls and ip multicast", "mpls and ip[9] = 17", "mpls and tcp[13] & 2 != 0", "mpls and ether proto 0x800",
	"mpls and not ip", "not mpls", "mpls or ip", "ip or mpls 100", "mpls 100 or mpls 200",
	"mpls and (mpls 2 or ip)", "vlan and mpls", "vlan 10 and mpls 200 and tcp port 80", "vlan and mpls and ip",
	"mpls 100 and len > 60", "ether proto 0x8848", "mpls and ether host 66:77:88:99:aa:bb", "mpls and llc",
	"llc", "llc i", "llc s", "llc u", "llc rr", "llc rnr", "llc rej", "llc ui", "llc ua", "llc disc",
	"llc dm", "llc sabme", "llc test", "llc xid", "llc frmr", "not llc", "llc and stp", "llc u and netbeui",
	"llc or ip", "llc i or llc s", "vlan and llc", "vlan and llc u", "llc and ether broadcast", "tcp and llc",
	"ip broadcast", "not ip broadcast", "ip broadcast and udp", "vlan and ip broadcast", "ip broadcast or ip multicast",
	"ip proto mptcp", "proto mptcp", "ip6 proto mptcp", "ip proto gre", "ip proto ipv6-icmp", "ip6 proto ipv6-icmp",
	"pppoes", "pppoes 1", "pppoes 7", "pppoes 0x1234", "pppoes 5", "pppoes and ip", "pppoes and ip6", "pppoes and tcp port 80",
	"pppoes and udp port 53", "pppoes 0x1234 and udp", "pppoes and host 10.0.0.2", "pppoes and net 2001:db8::/32",
	"pppoes and mpls", "pppoes and mpls 100 and tcp", "pppoes and ether proto 0xc021", "pppoes and ether[20:2] = 0x21",
	"pppoes and ip[9] = 6", "pppoes and tcp[13] & 2 != 0", "pppoes and icmp", "pppoes and not ip", "not pppoes", "pppoes or ip",
	"vlan and pppoes", "vlan 10 and pppoes 5 and udp port 53", "pppoes and ip multicast", "pppoes and ip broadcast",
	"pppoes and ether[0] = 0x45", "pppoes and byte 1 = 0x21", "pppoes and iso", "pppoes and ipx", "pppoes and len > 60",
	`proto \esp`, `ip proto \tcp`, "ip proto ospf", "ip proto ipencap", `proto \icmp or proto \udp`,
}

// labelDumpsDiffer are the expressions of labelExprs whose programs
// differ from tcpdump -d's only in where the two return blocks lie (the
// layout of "not" that netlua's optimizer chooses for older primitives
// too); every other program must be tcpdump's, instruction for
// instruction.
var labelDumpsDiffer = map[string]bool{
	"not mpls": true, "llc": true, "llc i": true, "llc or ip": true, "llc i or llc s": true,
	"not ip broadcast": true, "not pppoes": true,
}
