package filter

import (
	"encoding/binary"

	"golang.org/x/net/bpf"
)

// The code generator turns the syntax tree into conditions the way
// libpcap's gencode.c does for Ethernet (DLT_EN10MB): the same tests in
// the same order, so that a load past the end of a short frame rejects
// it exactly when tcpdump's program does. It walks the tree left to
// right, as libpcap's parser reduces, because "vlan" moves the offsets
// of everything written after it.

// gen is the compiler's state.
type gen struct {
	offLinkType uint32 // offset of the EtherType: 12, 4 more per vlan
	offLinkPL   uint32 // offset of the link payload: 14, 4 more per vlan
	regs        uint32 // scratch memory words in use
	live        bool   // for a Linux packet socket (see CompileLive)
	vlans       int    // the vlan keywords compiled so far
	mplsDepth   uint32 // the mpls keywords compiled so far (libpcap's label_stack_depth)
	mplsAt      int    // where the last of them is written, for errors
	offLinkHdr  uint32 // where ether[...] counts from: 0, or the PPP header after pppoes
	offNoSnap   uint32 // an OSI header's offset in the link payload: 3 (802.2), 0 after pppoes
	ppp         bool   // after pppoes: the link is PPP, its type PPP's protocol field
	noOptimize  bool   // as libpcap, whose optimizer cannot take protochain's loop
	resolve     Resolver
	names       *NameDB
	// vary is set once a live program's first vlan has made both
	// offsets above the constant parts of offsets whose variable part
	// (0, or 4 when the tag was in the frame) is in scratch words
	// plReg and typeReg, as libpcap's off_linkpl and off_linktype
	// (see codegen_live.go).
	vary           bool
	plReg, typeReg uint32
	// hdrVary is set after geneve, which makes the link header's
	// offset variable too, in scratch word hdrReg, and every offset's
	// constant part 0 (codegen_geneve.go).
	hdrVary bool
	hdrReg  uint32
}

func newGen(live bool) *gen {
	return &gen{offLinkType: 12, offLinkPL: 14, offNoSnap: 3, live: live, plReg: livePLReg, typeReg: liveTypeReg}
}

// offRel says what an offset counts from (libpcap's e_offrel).
type offRel uint8

const (
	orLinkHdr      offRel = iota // the frame: ether[...], MAC addresses
	orLinkType                   // the EtherType (or 802.3 length)
	orLinkPL                     // the link payload: the network header, or the 802.2 header
	orLinkPLNoSnap               // an OSI header after a 3-byte 802.2 header
	orTranIPv4                   // the IPv4 payload, past the header length in IHL
	orTranIPv6                   // the IPv6 payload, past the fixed 40-byte header
)

// fail stops the compile with an error at byte offset pos.
func fail(pos int, format string, args ...any) {
	panic(bailout{errAt(pos, format, args...)})
}

// unsupported stops the compile: netlua does not compile this.
func unsupported(pos int, format string, args ...any) {
	panic(bailout{unsupportedAt(pos, format, args...)})
}

// node compiles a syntax tree node.
func (g *gen) node(n node) cond {
	switch n := n.(type) {
	case *binaryNode:
		l := g.node(n.l)
		r := g.node(n.r)
		if n.op == tAnd {
			return and(l, r)
		}
		return or(l, r)
	case *notNode:
		return not(g.node(n.x))
	case *abbrevNode:
		return g.abbrev(n.proto, n.tok)
	case *primNode:
		return g.prim(n)
	case *relNode:
		return g.relation(n)
	case *lenNode:
		if n.greater {
			return test(jJGE, n.n, ldLen())
		}
		return not(test(jJGT, n.n, ldLen()))
	case *byteNode:
		return g.byteOp(n)
	case *castNode:
		return g.cast(n)
	case *vlanNode:
		return g.vlan(n)
	case *pppoedNode:
		return g.linkType(etherPPPoED)
	case *mplsNode:
		return g.mpls(n)
	case *llcNode:
		return g.llc(n)
	case *pppoesNode:
		return g.pppoes(n)
	case *geneveNode:
		return g.geneve(n)
	}
	panic("filter: unknown node")
}

// loadAt loads size bytes at off from rel into A.
func (g *gen) loadAt(rel offRel, off, size uint32) []bpf.RawInstruction {
	if g.vary && rel != orLinkHdr {
		return g.loadVarying(rel, off, size)
	}
	switch rel {
	case orLinkHdr:
		if g.hdrVary {
			return []bpf.RawInstruction{ldxMem(g.hdrReg), ldInd(size, g.offLinkHdr+off)}
		}
		return []bpf.RawInstruction{ldAbs(size, g.offLinkHdr+off)}
	case orLinkType:
		return []bpf.RawInstruction{ldAbs(size, g.offLinkType+off)}
	case orLinkPL:
		return []bpf.RawInstruction{ldAbs(size, g.offLinkPL+off)}
	case orLinkPLNoSnap:
		return []bpf.RawInstruction{ldAbs(size, g.offLinkPL+g.offNoSnap+off)}
	case orTranIPv4:
		return []bpf.RawInstruction{ldxMSH(g.offLinkPL), ldInd(size, g.offLinkPL+off)}
	}
	return []bpf.RawInstruction{ldAbs(size, g.offLinkPL+40+off)}
}

// ncmp compares the field at off, masked, with v (libpcap's gen_ncmp).
func (g *gen) ncmp(rel offRel, off, size, mask uint32, jmp uint16, reverse bool, v uint32) cond {
	var c cond
	if mask == 0 {
		// libpcap's optimizer folds "and #0" and drops the load.
		c = constCond(compare(jmp, 0, v))
	} else {
		stmts := g.loadAt(rel, off, size)
		if mask != 0xffffffff {
			stmts = append(stmts, aluK(aluAND, mask))
		}
		c = test(jmp, v, stmts...)
	}
	if reverse {
		return not(c)
	}
	return c
}

func (g *gen) cmp(rel offRel, off, size, v uint32) cond {
	return g.ncmp(rel, off, size, 0xffffffff, jJEQ, false, v)
}
func (g *gen) cmpGT(rel offRel, off, size, v uint32) cond {
	return g.ncmp(rel, off, size, 0xffffffff, jJGT, false, v)
}
func (g *gen) cmpGE(rel offRel, off, size, v uint32) cond {
	return g.ncmp(rel, off, size, 0xffffffff, jJGE, false, v)
}
func (g *gen) cmpLT(rel offRel, off, size, v uint32) cond {
	return g.ncmp(rel, off, size, 0xffffffff, jJGE, true, v)
}
func (g *gen) cmpLE(rel offRel, off, size, v uint32) cond {
	return g.ncmp(rel, off, size, 0xffffffff, jJGT, true, v)
}
func (g *gen) mcmp(rel offRel, off, size, v, mask uint32) cond {
	return g.ncmp(rel, off, size, mask, jJEQ, false, v)
}

// bcmp compares the bytes at off with b, in words from the end as
// libpcap's gen_bcmp does.
func (g *gen) bcmp(rel offRel, off uint32, b []byte) cond {
	var c cond = constCond(true)
	n := uint32(len(b))
	for ; n >= 4; n -= 4 {
		c = and(c, g.cmp(rel, off+n-4, 4, binary.BigEndian.Uint32(b[n-4:])))
	}
	for ; n >= 2; n -= 2 {
		c = and(c, g.cmp(rel, off+n-2, 2, uint32(binary.BigEndian.Uint16(b[n-2:]))))
	}
	if n > 0 {
		c = and(c, g.cmp(rel, off, 1, uint32(b[0])))
	}
	return c
}

// compare evaluates a jump's comparison on known values.
func compare(jmp uint16, a, b uint32) bool {
	switch jmp &^ srcX {
	case jJEQ:
		return a == b
	case jJGT:
		return a > b
	case jJGE:
		return a >= b
	}
	return a&b != 0
}

// linkType matches frames of an EtherType, or with an 802.2 header of a
// SAP for values up to 1500 (libpcap's gen_ether_linktype).
func (g *gen) linkType(v uint32) cond {
	if g.mplsDepth > 0 {
		return g.mplsLinkType(v)
	}
	if g.ppp {
		return g.cmp(orLinkType, 0, 2, pppType(v))
	}
	llc := not(g.cmpGT(orLinkType, 0, 2, etherMTU))
	switch v {
	case sapISO, sapIP, sapNetBEUI:
		return and(llc, g.cmp(orLinkPL, 0, 2, v<<8|v))
	case sapIPX:
		c := or(g.cmp(orLinkPL, 0, 1, sapIPX), g.cmp(orLinkPL, 0, 2, 0xffff))
		c = or(g.snap(0x000000, etherIPX), c)
		return or(g.cmp(orLinkType, 0, 2, etherIPX), and(llc, c))
	case etherATalk, etherAARP:
		org := uint32(0x080007)
		if v == etherAARP {
			org = 0
		}
		return or(g.cmp(orLinkType, 0, 2, v), and(llc, g.snap(org, v)))
	}
	if v <= etherMTU {
		return and(llc, g.cmp(orLinkType, 2, 1, v))
	}
	return g.cmp(orLinkType, 0, 2, v)
}

// snap matches an 802.2 SNAP header with an organization code and type.
func (g *gen) snap(org, ptype uint32) cond {
	b := []byte{sapSNAP, sapSNAP, 0x03, byte(org >> 16), byte(org >> 8), byte(org), byte(ptype >> 8), byte(ptype)}
	return g.bcmp(orLinkPL, 0, b)
}

// ipFirstFragment is true unless the frame is an IPv4 fragment other than
// the first: ports and transport headers are only there.
func (g *gen) ipFirstFragment() cond {
	return not(test(jJSET, 0x1fff, g.loadAt(orLinkPL, 6, 2)...))
}

// vlan matches an 802.1Q, 802.1ad or QinQ tag, and its VLAN ID if given;
// then it moves every later offset past the tag, as libpcap does when it
// reads a capture file (no tag in the kernel's metadata). The first vlan
// of a live program also looks in the kernel's metadata (see liveVLAN).
func (g *gen) vlan(n *vlanNode) cond {
	if n.hasID && n.id > 0x0fff {
		fail(n.at, "VLAN tag %d greater than maximum 4095", n.id)
	}
	if g.mplsDepth > 0 {
		fail(n.at, "no VLAN match after MPLS")
	}
	if g.ppp {
		fail(n.at, "no VLAN support for PPP")
	}
	g.vlans++
	if g.live && g.vlans == 1 && !g.hdrVary {
		return g.liveVLAN(n)
	}
	c := g.tpidTest()
	if n.hasID {
		c = and(c, g.mcmp(orLinkPL, 0, 2, n.id, 0x0fff))
	}
	g.offLinkPL += 4
	g.offLinkType += 4
	return c
}

// tpidTest is true for a frame whose EtherType is a VLAN tag's.
func (g *gen) tpidTest() cond {
	return or(or(g.linkType(ether8021Q), g.linkType(ether8021AD)), g.linkType(ether8021QinQ))
}

// byteOp compiles "byte idx op val". libpcap compiles & and | without
// loading the byte (they test whatever A holds), so netlua refuses them.
func (g *gen) byteOp(n *byteNode) cond {
	switch n.op.kind {
	case tEq:
		return g.cmp(orLinkHdr, n.idx, 1, n.val)
	case tLt:
		return g.cmpLT(orLinkHdr, n.idx, 1, n.val)
	case tGt:
		return g.cmpGT(orLinkHdr, n.idx, 1, n.val)
	}
	unsupported(n.op.pos, "'byte %d %s %d' is not supported (tcpdump compiles it wrongly); write ether[%d] %s %d != 0",
		n.idx, n.op.text, n.val, n.idx, n.op.text, n.val)
	return nil
}

// cast compiles broadcast and multicast.
func (g *gen) cast(n *castNode) cond {
	switch {
	case n.proto == pIP && n.multicast:
		return and(g.linkType(etherIP), g.cmpGE(orLinkPL, 16, 1, 224))
	case n.proto == pIPv6 && n.multicast:
		return and(g.linkType(etherIPv6), g.cmp(orLinkPL, 24, 1, 255))
	case (n.proto == pDefault || n.proto == pLink) && g.ppp && n.multicast:
		fail(n.tok.pos, "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
	case (n.proto == pDefault || n.proto == pLink) && g.ppp:
		fail(n.tok.pos, "not a broadcast link")
	case (n.proto == pDefault || n.proto == pLink) && n.multicast:
		return g.innerLink(test(jJSET, 1, g.loadAt(orLinkHdr, 0, 1)...))
	case n.proto == pDefault || n.proto == pLink:
		return g.innerLink(g.bcmp(orLinkHdr, 0, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}))
	case n.proto == pIP:
		// libpcap tests the host part under the netmask it is given;
		// netlua compiles as tcpdump -r does, with netmask 0: the
		// whole address is the host part, all zeros or all ones.
		return and(g.linkType(etherIP), or(g.cmp(orLinkPL, 16, 4, 0), g.cmp(orLinkPL, 16, 4, 0xffffffff)))
	}
	kind := "broadcast"
	if n.multicast {
		kind = "multicast"
	}
	fail(n.tok.pos, "'%s %s' is not a filter: %s applies to ether, ip and ip6", n.tok.text, kind, kind)
	return nil
}
