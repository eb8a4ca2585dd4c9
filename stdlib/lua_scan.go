package stdlib

import "github.com/netlua/netlua/luabind"

// scanModule returns the module "scan" (scan.lua), a fresh value: Scapy's
// arping, traceroute, a SYN scan and a ping sweep, each one sr call. It
// needs frame, packet, rawip and netlink.
func scanModule() *luabind.Module {
	common := luabind.Types{"netns": luabind.NetNSType, "timeout": "number"}
	with := func(more luabind.Types) luabind.Types { return merged(common, more) }
	return &luabind.Module{
		Name: "scan",
		Doc: "Scapy's helpers on sr: arping, traceroute, a SYN scan, a ping sweep; each sends all its probes in one packet.srp or rawip.sr call " +
			"(timeout: seconds to wait after the last send, default 1; netns: where to run). " +
			`Example: for _, h in ipairs(scan.arping("198.18.0.0/24", { netns = a })) do print(h.ip, h.mac) end`,
		Lua: source("scan"),
		Funcs: []luabind.Func{
			{Name: "arping", Sig: "arping(target [, { iface, netns, timeout }]) -> hosts",
				Types: with(luabind.Types{"target": "string", "iface": "string", "hosts": "{ ip: string, mac: string, rtt: number }[]"}),
				Doc:   "ARP who-has, broadcast, to every address of target (an IPv4 address or prefix, as Scapy's arping), out of iface (default: the interface of the route to target); the hosts that answered, sorted by address"},
			{Name: "traceroute", Sig: "traceroute(dst [, { proto, maxttl, dport, timeout, netns }]) -> hops",
				Types: with(luabind.Types{"dst": "string", "proto": `"icmp"|"udp"|"tcp"`, "maxttl": "integer", "dport": "integer",
					"hops": "{ ttl: integer, ip: string?, rtt: number?, reached: boolean }[]"}),
				Doc: "sends IPv4 probes to dst with TTL 1..maxttl (default 30) at once, as Scapy's traceroute: ICMP echo, UDP to dport (default 33434) + ttl - 1 (the default proto, as traceroute), or TCP SYN to dport (default 80); " +
					"returns the hops up to the first that reached dst, ip nil where none answered; timeout default 2"},
			{Name: "synscan", Sig: "synscan(dst, ports [, { netns, timeout, sport }]) -> results",
				Types: with(luabind.Types{"dst": "string", "ports": `integer|integer[]|string`, "sport": "integer",
					"results": `{ port: integer, state: "open"|"closed"|"filtered" }[]`}),
				Doc: "a TCP SYN over IPv4 to each port (a number, a list, or \"22,80,8000-8010\"), from sport (default random); sorted by port: open (SYN/ACK), closed (RST), filtered (no answer or an ICMP error). The scanner's kernel resets the connections the SYN/ACKs offer"},
			{Name: "pingsweep", Sig: "pingsweep(cidr [, { netns, timeout }]) -> addresses, hosts",
				Types: with(luabind.Types{"cidr": "string", "addresses": "string[]", "hosts": "{ ip: string, rtt: number }[]"}),
				Doc:   "an ICMP echo request to each host address of cidr (an IPv4 address or prefix, network and broadcast addresses left out below /31); the addresses that answered, sorted, and their rtts"},
		},
	}
}
