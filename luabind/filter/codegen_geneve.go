package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// "geneve [vni]" (libpcap's gen_geneve): UDP to port 6081 over IPv4 (a
// first fragment) or IPv6 (the UDP header right after the fixed one),
// Geneve version 0, and the VNI if given. Then every later test looks
// inside: the Geneve header's length (its option length) says where the
// inner frame starts, and its protocol field where the inner EtherType
// is: 0x6558 (Ethernet) puts an Ethernet header there, anything else
// (IPv4, IPv6) a bare network header, whose type is the Geneve field
// itself. None of this is known before the program runs, so, as
// libpcap, the offsets of the link header, the EtherType and the link
// payload are then in scratch words (constant parts 0, which vlan and
// mpls after it grow), the tests of MAC addresses first check that an
// Ethernet header is there, and the program is not optimized (libpcap's
// code has a jump inside a block, which its optimizer cannot take).

const (
	genevePort = 6081
	etherTEB   = 0x6558 // Transparent Ethernet Bridging: an Ethernet frame
)

// geneve compiles "geneve [vni]" and moves the offsets inside.
func (g *gen) geneve(n *geneveNode) cond {
	if n.hasVNI && n.vni > 0xffffff {
		fail(n.at, "Geneve VNI %d greater than maximum %d", n.vni, 0xffffff)
	}
	switch {
	case g.ppp:
		unsupported(n.at, "'geneve' after 'pppoes' is not supported")
	case g.vary && !g.hdrVary:
		unsupported(n.at, "'geneve' after a live 'vlan' is not supported")
	}
	g.noOptimize = true
	// Each way leaves the IP header's offset and length in A.
	v4 := and(g.geneveCheck(orTranIPv4, g.udpDst4(genevePort), n), &stmtsCond{stmts: append(g.ipv4HeaderEndX(), txa())})
	v6 := and(g.geneveCheck(orTranIPv6, g.udpDst6(genevePort), n), &stmtsCond{stmts: g.ipv6HeaderEnd()})
	return and(or(v4, v6), g.geneveOffsets())
}

// geneveCheck is c (UDP to the port) and a Geneve header of version 0,
// of the VNI if given, at the transport offset rel.
func (g *gen) geneveCheck(rel offRel, c cond, n *geneveNode) cond {
	c = and(c, g.mcmp(rel, 8, 1, 0, 0xc0))
	if n.hasVNI {
		c = and(c, g.mcmp(rel, 12, 4, n.vni<<8, 0xffffff00))
	}
	return c
}

// udpDst4 is libpcap's gen_port for UDP destination port p, IPv4 only.
func (g *gen) udpDst4(p uint32) cond {
	first := and(g.cmp(orLinkPL, 9, 1, ipUDP), g.ipFirstFragment())
	return and(g.linkType(etherIP), and(first, g.cmp(orTranIPv4, 2, 2, p)))
}

// udpDst6 is libpcap's gen_port6 for UDP destination port p.
func (g *gen) udpDst6(p uint32) cond {
	return and(g.linkType(etherIPv6), and(g.cmp(orLinkPL, 6, 1, ipUDP), g.cmp(orTranIPv6, 2, 2, p)))
}

// ipv4HeaderEndX leaves in X the offset of the IPv4 payload, less the
// link payload's constant part (libpcap's gen_loadx_iphdrlen).
func (g *gen) ipv4HeaderEndX() []bpf.RawInstruction {
	if g.vary {
		return g.ipv4PayloadX()
	}
	return []bpf.RawInstruction{ldxMSH(g.offLinkPL)}
}

// ipv6HeaderEnd leaves the same in A and X for IPv6: 40, plus the
// variable part of the link payload's offset.
func (g *gen) ipv6HeaderEnd() []bpf.RawInstruction {
	if g.vary {
		return []bpf.RawInstruction{ldxMem(g.plReg), ldImm(40), aluX(aluADD), tax()}
	}
	return []bpf.RawInstruction{ldImm(40), tax()}
}

// geneveOffsets computes, from the IP header's end in A, where the
// inner EtherType, link header and link payload are, into three new
// scratch words, which every later test reads (libpcap's
// gen_geneve_offsets).
func (g *gen) geneveOffsets() cond {
	typeReg, hdrReg, plReg := g.allocReg(0), g.allocReg(0), g.allocReg(0) // held to the end, as libpcap holds them
	// X = the Geneve header; its protocol field is the EtherType for
	// now, and the inner frame starts past its options.
	head := &stmtsCond{stmts: []bpf.RawInstruction{aluK(aluADD, g.offLinkPL+8), tax(), aluK(aluADD, 2), st(typeReg),
		ldInd(1, 0), aluK(aluAND, 0x3f), aluK(aluMUL, 4), aluK(aluADD, 8), aluX(aluADD), st(hdrReg)}}
	// An inner Ethernet header moves the EtherType and the payload on.
	teb := test(jJEQ, etherTEB, ldInd(2, 2), ldxMem(hdrReg))
	ether := &stmtsCond{stmts: []bpf.RawInstruction{txa(), aluK(aluADD, 12), st(typeReg), aluK(aluADD, 2), tax()}}
	payload := &stmtsCond{stmts: []bpf.RawInstruction{stx(plReg)}}
	g.offLinkHdr, g.offLinkType, g.offLinkPL = 0, 0, 0
	g.offNoSnap += 4 * g.mplsDepth // libpcap keeps its off_nl_nosnap, which counted the labels
	g.vary, g.hdrVary = true, true
	g.typeReg, g.hdrReg, g.plReg = typeReg, hdrReg, plReg
	// or(not(teb), ether) is true both ways, ether's statements run when
	// teb is, and the layout needs no jump.
	return and(head, and(or(not(teb), ether), payload))
}

// innerLink is c, a test of the link header, after a check that there
// is one: behind geneve, an Ethernet header (libpcap's
// gen_prevlinkhdr_check).
func (g *gen) innerLink(c cond) cond {
	if !g.hdrVary {
		return c
	}
	same := test(jJEQ|srcX, 0, ldMem(g.hdrReg), ldxMem(g.plReg))
	return and(not(same), c)
}

func stx(m uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: opST | 1, K: m} }

// genevePhrase explains "geneve [vni]".
func genevePhrase(n *geneveNode) string {
	s := "Geneve (UDP to port 6081, version 0)"
	if n.hasVNI {
		s = fmt.Sprintf("Geneve VNI %d (UDP to port 6081, version 0)", n.vni)
	}
	return s + "; every test written after this looks inside it"
}
