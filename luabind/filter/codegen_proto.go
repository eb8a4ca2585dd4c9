package filter

// Protocols: "tcp" alone, "ip proto 6", "ether proto \arp" (libpcap's
// gen_proto_abbrev and gen_proto).

// abbrevEtherTypes are the protocols that are an EtherType or SAP alone.
var abbrevEtherTypes = map[proto]uint32{
	pIP: etherIP, pARP: etherARP, pRARP: etherRARP, pIPv6: etherIPv6,
	pATalk: etherATalk, pAARP: etherAARP, pDECnet: etherDECnet, pSCA: etherSCA,
	pLAT: etherLAT, pMOPDL: etherMOPDL, pMOPRC: etherMOPRC,
	pISO: sapISO, pSTP: sapSTP, pIPX: sapIPX, pNetBEUI: sapNetBEUI,
}

// abbrevIPProtos are the protocols above IP: those of IPv4 and IPv6 (the
// protocol qualifier pDefault) and those of one only.
var abbrevIPProtos = map[proto]struct {
	num uint32
	on  proto
}{
	pSCTP: {ipSCTP, pDefault}, pTCP: {ipTCP, pDefault}, pUDP: {ipUDP, pDefault},
	pPIM: {ipPIM, pDefault}, pAH: {ipAH, pDefault}, pESP: {ipESP, pDefault},
	pICMP: {ipICMP, pIP}, pIGMP: {ipIGMP, pIP}, pIGRP: {ipIGRP, pIP},
	pVRRP: {ipVRRP, pIP}, pCARP: {ipVRRP, pIP}, pICMPv6: {ipICMPv6, pIPv6},
	pESIS: {isoESIS, pISO}, pISIS: {isoISIS, pISO}, pCLNP: {isoCLNP, pISO},
}

// isisLevels are the IS-IS PDU types of l1, l2, iih, lsp, snp, csnp and
// psnp, in the order libpcap tests them.
var isisLevels = map[proto][]uint32{
	pISISL1:   {isisL1PSNP, isisL1CSNP, isisL1LSP, isisL1LANIIH, isisPTPIIH},
	pISISL2:   {isisL2PSNP, isisL2CSNP, isisL2LSP, isisL2LANIIH, isisPTPIIH},
	pISISIIH:  {isisPTPIIH, isisL1LANIIH, isisL2LANIIH},
	pISISLSP:  {isisL1LSP, isisL2LSP},
	pISISSNP:  {isisL2PSNP, isisL1PSNP, isisL1CSNP, isisL2CSNP},
	pISISCSNP: {isisL1CSNP, isisL2CSNP},
	pISISPSNP: {isisL1PSNP, isisL2PSNP},
}

// abbrev compiles a protocol alone: "tcp", "ip6", "arp".
func (g *gen) abbrev(p proto, tok token) cond {
	if t, ok := abbrevEtherTypes[p]; ok {
		return g.linkType(t)
	}
	if ip, ok := abbrevIPProtos[p]; ok {
		return g.proto(ip.num, ip.on, tok.pos)
	}
	if types, ok := isisLevels[p]; ok {
		var c cond = constCond(false)
		for _, t := range types {
			c = or(c, g.proto(t, pISIS, tok.pos))
		}
		return c
	}
	fail(tok.pos, "'%s' alone is not a filter: write %s host, %s proto, %s[...] or %s broadcast",
		tok.text, tok.text, tok.text, tok.text, tok.text)
	return nil
}

// proto matches protocol v inside protocol p: "ip proto 6" is proto(6, pIP).
// An IPv6 protocol may follow a fragment header.
func (g *gen) proto(v uint32, p proto, pos int) cond {
	switch p {
	case pDefault:
		return or(g.proto(v, pIP, pos), g.proto(v, pIPv6, pos))
	case pLink:
		return g.linkType(v)
	case pIP:
		return and(g.linkType(etherIP), g.cmp(orLinkPL, 9, 1, v))
	case pIPv6:
		afterFrag := and(g.cmp(orLinkPL, 6, 1, ipFragment), g.cmp(orLinkPL, 40, 1, v))
		return and(g.linkType(etherIPv6), or(g.cmp(orLinkPL, 6, 1, v), afterFrag))
	case pISO:
		return and(g.linkType(sapISO), g.cmp(orLinkPLNoSnap, 0, 1, v))
	case pISIS:
		return and(g.proto(isoISIS, pISO, pos), g.cmp(orLinkPLNoSnap, 4, 1, v))
	case pARP, pRARP, pLAT, pSCA, pMOPRC, pMOPDL:
		fail(pos, "%s does not encapsulate another protocol", p)
	case pCLNP:
		unsupported(pos, "'clnp proto' is not supported")
	}
	fail(pos, "'%s proto' is bogus", p)
	return nil
}

// protoNumber looks up a protocol name as libpcap's lookup_proto does:
// IP protocols in /etc/protocols, link protocols in libpcap's own table.
func (g *gen) protoNumber(name string, p proto, pos int) uint32 {
	switch p {
	case pDefault, pIP, pIPv6:
		if v, ok := g.names.protocol(name); ok {
			return v
		}
		fail(pos, "unknown ip proto '%s'", name)
	case pLink:
		if v, ok := etherProtoNames[name]; ok {
			return v
		}
		fail(pos, "unknown ether proto '%s'", name)
	case pISO:
		if v, ok := map[string]uint32{"esis": isoESIS, "isis": isoISIS, "clnp": isoCLNP}[name]; ok {
			return v
		}
		fail(pos, "unknown osi proto '%s'", name)
	}
	fail(pos, "unknown protocol: %s", name)
	return 0
}
