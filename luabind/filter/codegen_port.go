package filter

// Names and ports: "port http", "tcp portrange 1000-2000", "proto \udp",
// "net loopback", "ether host alpha", each looked up in the compile's
// NameDB (host names go to its Resolver, hostnames.go).

// name compiles a value written as a name (libpcap's gen_scode).
func (g *gen) name(t token, q qual) cond {
	switch q.addr {
	case aNet:
		return g.networkName(t, q)
	case aPort:
		return g.namedPort(t, q)
	case aPortrange:
		return g.namedPortRange(t, q)
	case aProto:
		return g.proto(g.protoNumber(t.text, q.proto, t.pos), q.proto, t.pos)
	case aProtochain:
		return g.protochain(g.protoNumber(t.text, q.proto, t.pos), q.proto, t.pos)
	}
	switch q.proto {
	case pLink:
		return g.etherName(t, q)
	case pDECnet:
		unsupported(t.pos, "DECnet addresses are not supported")
	}
	return g.hostName(t, q)
}

// networkName compiles "net NAME" with the network from /etc/networks,
// left-justified as a number is ("net 10" is 10.0.0.0/8), as libpcap's
// gen_scode does.
func (g *gen) networkName(t token, q qual) cond {
	n, ok := g.names.network(t.text)
	if !ok {
		fail(t.pos, "unknown network '%s'", t.text)
	}
	n, mask := leftJustify(n)
	return g.host(n, mask, q, t.pos)
}

// etherName compiles "ether host NAME" with the MAC address from
// /etc/ethers.
func (g *gen) etherName(t token, q qual) cond {
	if g.ppp {
		fail(t.pos, "only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name")
	}
	mac, ok := g.names.ether(t.text)
	if !ok {
		fail(t.pos, "unknown ether host '%s'", t.text)
	}
	return g.innerLink(g.macDir(q.dir, mac))
}

// namedPort compiles "port NAME" with the port from /etc/services.
func (g *gen) namedPort(t token, q qual) cond {
	want := portProto(q, t.pos)
	port, real, ok := g.names.port(t.text)
	if !ok {
		fail(t.pos, "unknown port '%s'", t.text)
	}
	ip := portProtoCheck(want, real, "port '"+t.text+"'", t.pos)
	checkPort(port, t.pos)
	return g.ports(port, port, ip, q)
}

// namedPortRange compiles "portrange LO-HI" written as one name.
func (g *gen) namedPortRange(t token, q qual) cond {
	want := portProto(q, t.pos)
	lo, hi, real, ok := g.names.portRange(t.text)
	if !ok {
		fail(t.pos, "unknown port in range '%s'", t.text)
	}
	ip := portProtoCheck(want, real, "port in range '"+t.text+"'", t.pos)
	checkPort(lo, t.pos)
	checkPort(hi, t.pos)
	return g.ports(lo, hi, ip, q)
}

// portProto is the IP protocol the qualifiers ask ports of.
func portProto(q qual, pos int) int {
	switch q.proto {
	case pTCP:
		return ipTCP
	case pUDP:
		return ipUDP
	case pSCTP:
		return ipSCTP
	case pDefault:
		return ipAnyPort
	}
	word := "port"
	if q.addr == aPortrange {
		word = "portrange"
	}
	fail(pos, "illegal qualifier of '%s'", word)
	return 0
}

// portProtoCheck reconciles the protocol asked with the one the name is
// listed for: "udp port http" is an error where http is TCP only.
func portProtoCheck(want, real int, what string, pos int) int {
	if want == ipAnyPort {
		return real
	}
	if real != ipAnyPort && real != want {
		fail(pos, "%s is %s", what, map[int]string{ipTCP: "tcp", ipUDP: "udp", ipSCTP: "sctp"}[real])
	}
	return want
}

func checkPort(port, pos int) {
	if port < 0 {
		fail(pos, "illegal port number %d < 0", port)
	}
	if port > 65535 {
		fail(pos, "illegal port number %d > 65535", port)
	}
}

// ports matches a port (lo == hi for "port") or a range in TCP, UDP or
// SCTP, over IPv6 then IPv4, as libpcap orders them. A range is written
// either way round.
func (g *gen) ports(lo, hi, ip int, q qual) cond {
	if lo > hi {
		lo, hi = hi, lo
	}
	atom := func(rel offRel) func(off uint32) cond {
		return func(off uint32) cond {
			if q.addr == aPort {
				return g.cmp(rel, off, 2, uint32(lo))
			}
			return and(g.cmpGE(rel, off, 2, uint32(lo)), g.cmpLE(rel, off, 2, uint32(hi)))
		}
	}
	v6 := func(p uint32) cond {
		return and(g.cmp(orLinkPL, 6, 1, p), g.hostDir(q.dir, atom(orTranIPv6), 0, 2))
	}
	v4 := func(p uint32) cond {
		first := and(g.cmp(orLinkPL, 9, 1, p), g.ipFirstFragment())
		return and(first, g.hostDir(q.dir, atom(orTranIPv4), 0, 2))
	}
	c6 := and(g.linkType(etherIPv6), eachPortProto(ip, v6))
	return or(c6, and(g.linkType(etherIP), eachPortProto(ip, v4)))
}

// eachPortProto is of(ip), or of SCTP, TCP and UDP for ipAnyPort, in
// libpcap's order (its gen_port ors SCTP before the other two).
func eachPortProto(ip int, of func(uint32) cond) cond {
	if ip != ipAnyPort {
		return of(uint32(ip))
	}
	tcp, udp := of(ipTCP), of(ipUDP)
	return or(of(ipSCTP), or(tcp, udp))
}
