package stdlib

import "github.com/netlua/netlua/luabind"

// respondModule returns the module "respond" (respond.lua), a fresh
// value: Scapy's answering machines on a packet socket's on(). It needs
// frame, and sockets from packet.
func respondModule() *luabind.Module {
	handle := luabind.Types{"s": "packet.socket", "h": "respond.handle"}
	with := func(more luabind.Types) luabind.Types { return merged(handle, more) }
	return &luabind.Module{
		Name: "respond",
		Doc: "answering machines as Scapy's: ARP/ND, ICMP echo and DNS responders on a packet socket's on(), run by the event loop; " +
			"several on one socket answer together. Example: local s = packet.open(e.ifname, { netns = e, promisc = true }); " +
			`respond.arp(s, { ["198.18.0.99"] = "02:00:00:00:00:99" }); respond.icmp_echo(s, { "198.18.0.99" }); ` +
			`respond.dns(s, { ["lab.example"] = "198.18.0.80" }); loop.run()`,
		Lua: source("respond"),
		Funcs: []luabind.Func{
			{Name: "arp", Sig: "arp(s, macs) -> h", Types: with(luabind.Types{"macs": "table<string, string|true>"}),
				Doc: "answers ARP who-has for the IPv4 addresses of macs ({ [address] = mac }, true: the socket's MAC) with is-at, and IPv6 neighbour solicitations for its IPv6 ones with advertisements (frames to a MAC not the interface's need promisc = true)"},
			{Name: "icmp_echo", Sig: "icmp_echo(s, addresses) -> h", Types: with(luabind.Types{"addresses": "string[]"}),
				Doc: "answers ICMP and ICMPv6 echo requests to the addresses (IPv4 and IPv6) with their reply, from that address, payload echoed"},
			{Name: "dns", Sig: "dns(s, names [, { ttl }]) -> h", Types: with(luabind.Types{"names": "table<string, string|string[]>", "ttl": "integer"}),
				Doc: "answers DNS queries to UDP port 53 over IPv4 or IPv6 from names ({ [name] = address or a list }, A for IPv4 addresses, AAAA for IPv6): the name's records of the type asked (none: an empty answer), NXDOMAIN for a name not there; ttl 60 by default"},
		},
		Types: []*luabind.Type{respondHandleType},
	}
}

// respondHandleType documents what the responders return.
var respondHandleType = &luabind.Type{
	Name: "respond.handle",
	Doc:  "a responder at work on its socket",
	Methods: []luabind.Func{
		{Name: "stop", Sig: "h:stop()", Doc: "stops this responder's answers; the socket keeps reading until its close(), which ends every responder on it"},
	},
	Fields: []luabind.Field{{Name: "socket", Type: "packet.socket", Doc: "the socket it answers on"}},
}
