package filter

import (
	"net/netip"
	"strings"
)

// Values with qualifiers: hosts, networks, MAC addresses, ports, port
// ranges and protocol numbers (libpcap's gen_ncode, gen_scode, gen_mcode,
// gen_mcode6 and gen_ecode).

// prim compiles a value with its qualifiers.
func (g *gen) prim(n *primNode) cond {
	v, q := n.val, n.q
	switch v.tok.kind {
	case tNum:
		return g.number(v.tok.num, q, v.tok.pos)
	case tHID:
		if v.hasLen || v.mask != nil {
			return g.network(v, q)
		}
		if q.addr == aPort || q.addr == aPortrange || q.addr == aProto || q.addr == aProtochain {
			fail(v.tok.pos, "'%s' modifier applied to ip host", map[addr]string{aPort: "port", aPortrange: "portrange",
				aProto: "proto", aProtochain: "protochain"}[q.addr])
		}
		return g.ipv4(v.tok, q)
	case tHID6:
		return g.ipv6(v, q)
	case tEID:
		return g.etherHost(v.tok, q)
	}
	return g.name(v.tok, q)
}

// number compiles a value written as a number: a host, net, port,
// port range or protocol.
func (g *gen) number(v uint32, q qual, pos int) cond {
	switch q.addr {
	case aDefault, aHost, aNet:
		if q.proto == pLink {
			fail(pos, "illegal link layer address")
		}
		mask := uint32(0xffffffff)
		if q.addr == aNet {
			v, mask = leftJustify(v)
		}
		return g.host(v, mask, q, pos)
	case aPort, aPortrange:
		ip := portProto(q, pos)
		checkPort(int(v), pos)
		return g.ports(int(v), int(v), ip, q)
	case aProtochain:
		return g.protochain(v, q.proto, pos)
	}
	return g.proto(v, q.proto, pos)
}

// leftJustify makes a network number a network and its mask: "net 10"
// is 10.0.0.0/8.
func leftJustify(v uint32) (n, mask uint32) {
	mask = 0xffffffff
	for v != 0 && v&0xff000000 == 0 {
		v <<= 8
		mask <<= 8
	}
	return v, mask
}

// ipv4 compiles a dotted address; a short one ("host 10.1") is a network.
func (g *gen) ipv4(t token, q qual) cond {
	if q.proto == pDECnet {
		unsupported(t.pos, "DECnet addresses are not supported")
	}
	v, bits := atoin(t)
	if q.proto == pLink {
		fail(t.pos, "illegal link layer address")
	}
	return g.host(v<<(32-bits), 0xffffffff<<(32-bits), q, t.pos)
}

// network compiles "a.b.c.d/len" and "a.b.c.d mask m.m.m.m".
func (g *gen) network(v value, q qual) cond {
	n, bits := atoin(v.tok)
	n <<= 32 - bits
	var m uint32
	if v.mask != nil {
		mv, mbits := atoin(*v.mask)
		m = mv << (32 - mbits)
		if n&^m != 0 {
			fail(v.tok.pos, "non-network bits set in \"%s mask %s\"", v.tok.text, v.mask.text)
		}
	} else {
		if v.masklen > 32 {
			fail(v.tok.pos, "mask length must be <= 32")
		}
		if v.masklen > 0 {
			m = 0xffffffff << (32 - v.masklen)
		}
		if n&^m != 0 {
			fail(v.tok.pos, "non-network bits set in \"%s/%d\"", v.tok.text, v.masklen)
		}
	}
	if q.addr != aNet {
		fail(v.tok.pos, "Mask syntax for networks only")
	}
	return g.host(n, m, q, v.tok.pos)
}

// atoin reads a dotted IPv4 address or prefix as libpcap's __pcap_atoin:
// the value and how many bits were written.
func atoin(t token) (v uint32, bits uint32) {
	for _, part := range strings.Split(t.text, ".") {
		var n uint32
		for _, c := range []byte(part) {
			if n > 25 {
				fail(t.pos, "invalid IPv4 address '%s'", t.text)
			}
			n = n*10 + uint32(c) - '0'
		}
		if n > 255 {
			fail(t.pos, "invalid IPv4 address '%s'", t.text)
		}
		v = v<<8 | n
		bits += 8
	}
	return v, bits
}

// host matches an IPv4 address under mask in the protocols q allows:
// IPv4, ARP and RARP when it names none.
func (g *gen) host(a, mask uint32, q qual, pos int) cond {
	switch q.proto {
	case pDefault:
		ip := g.host(a, mask, qual{proto: pIP, dir: q.dir}, pos)
		if g.mplsDepth > 0 {
			// Behind MPLS labels only IP can follow (libpcap's gen_host).
			return ip
		}
		arp := g.host(a, mask, qual{proto: pARP, dir: q.dir}, pos)
		return or(or(ip, arp), g.host(a, mask, qual{proto: pRARP, dir: q.dir}, pos))
	case pIP:
		return g.hostDir(q.dir, func(off uint32) cond {
			return and(g.linkType(etherIP), g.mcmp(orLinkPL, off, 4, a, mask))
		}, 12, 16)
	case pARP, pRARP:
		t := map[proto]uint32{pARP: etherARP, pRARP: etherRARP}[q.proto]
		return g.hostDir(q.dir, func(off uint32) cond {
			return and(g.linkType(t), g.mcmp(orLinkPL, off, 4, a, mask))
		}, 14, 24)
	case pLink:
		fail(pos, "link-layer modifier applied to %s", typeWord(q))
	case pDECnet:
		unsupported(pos, "DECnet addresses are not supported")
	case pIPv6:
		fail(pos, "'ip6' modifier applied to ip host")
	}
	fail(pos, "'%s' modifier applied to %s", q.proto, typeWord(q))
	return nil
}

func typeWord(q qual) string {
	if q.addr == aNet {
		return "net"
	}
	return "host"
}

// hostDir combines the tests of the source and destination fields as the
// direction asks; field(off) tests the field at off.
func (g *gen) hostDir(d dir, field func(off uint32) cond, src, dst uint32) cond {
	switch d {
	case dSrc:
		return field(src)
	case dDst:
		return field(dst)
	case dSrcAndDst:
		return and(field(src), field(dst))
	}
	return or(field(src), field(dst))
}

// ipv6 compiles an IPv6 address, with a prefix length for networks.
func (g *gen) ipv6(v value, q qual) cond {
	a := netip.MustParseAddr(v.tok.text)
	bits := uint32(128)
	if v.hasLen {
		bits = v.masklen
	}
	if bits > 128 {
		fail(v.tok.pos, "mask length must be <= 128")
	}
	pfx := netip.PrefixFrom(a, int(bits))
	if pfx.Masked().Addr() != a {
		fail(v.tok.pos, "non-network bits set in \"%s/%d\"", v.tok.text, bits)
	}
	switch {
	case (q.addr == aDefault || q.addr == aHost) && bits != 128:
		fail(v.tok.pos, "Mask syntax for networks only")
	case q.addr != aDefault && q.addr != aHost && q.addr != aNet:
		fail(v.tok.pos, "invalid qualifier against IPv6 address")
	case q.proto != pDefault && q.proto != pIPv6:
		fail(v.tok.pos, "'%s' modifier applied to ip6 %s", q.proto, typeWord(q))
	}
	return g.hostDir(q.dir, func(off uint32) cond { return g.ipv6Field(off, a, bits) }, 8, 24)
}

// ipv6Field tests the 16-byte address at off under a prefix of bits:
// the EtherType, then the words in order (words the prefix does not
// cover are not loaded, as after libpcap's optimizer).
func (g *gen) ipv6Field(off uint32, a netip.Addr, bits uint32) cond {
	b := a.As16()
	var c cond = constCond(true)
	for i := uint32(0); i < 4; i++ {
		word := uint32(b[4*i])<<24 | uint32(b[4*i+1])<<16 | uint32(b[4*i+2])<<8 | uint32(b[4*i+3])
		c = and(c, g.mcmp(orLinkPL, off+4*i, 4, word, prefixMask(bits, i)))
	}
	return and(g.linkType(etherIPv6), c)
}

// prefixMask is the mask of 32-bit word i of a prefix of bits.
func prefixMask(bits, i uint32) uint32 {
	switch {
	case bits >= 32*(i+1):
		return 0xffffffff
	case bits <= 32*i:
		return 0
	}
	return 0xffffffff << (32*(i+1) - bits)
}

// etherHost compiles a MAC address: "ether host 0:1:2:3:4:5".
func (g *gen) etherHost(t token, q qual) cond {
	if q.proto != pLink || (q.addr != aHost && q.addr != aDefault) {
		fail(t.pos, "ethernet address used in non-ether expression")
	}
	if g.ppp {
		fail(t.pos, "ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel")
	}
	return g.innerLink(g.macDir(q.dir, etherAton(t.text)))
}

// macDir tests the destination (offset 0) and source (6) MAC addresses.
func (g *gen) macDir(d dir, mac []byte) cond {
	return g.hostDir(d, func(off uint32) cond { return g.bcmp(orLinkHdr, off, mac) }, 6, 0)
}

// etherAton reads a MAC address in any of the scanner's forms: pairs of
// hex digits, separated or not (libpcap's pcap_ether_aton).
func etherAton(s string) []byte {
	mac := make([]byte, 0, 6)
	for i := 0; i < len(s); {
		if s[i] == ':' || s[i] == '.' || s[i] == '-' {
			i++
		}
		d := byte(hexValue(s[i]))
		i++
		if i < len(s) && isHex(s[i]) {
			d = d<<4 | byte(hexValue(s[i]))
			i++
		}
		mac = append(mac, d)
	}
	return mac
}
