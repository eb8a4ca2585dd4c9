package filter

import "golang.org/x/net/bpf"

// Live programs: what libpcap compiles on Linux for a capture on an
// interface (BPF_SPECIAL_VLAN_HANDLING, gencode.c's
// gen_vlan_bpf_extensions). The kernel takes the outer VLAN tag out of a
// received frame into the packet's metadata before a packet socket's
// filter sees it, so the first "vlan" of the expression tests the
// metadata (SKF_AD_VLAN_TAG_PRESENT, SKF_AD_VLAN_TAG) or, failing that,
// a tag still in the frame. Which of the two held is known only when
// the program runs, so from there on the link-layer offsets have a
// variable part in a scratch word: 0 after a tag from the metadata
// (nothing moved), 4 after a tag in the frame. Every later load at a
// link-layer offset adds it through X, as libpcap's do.

// liveVLAN compiles a live program's first vlan.
func (g *gen) liveVLAN(n *vlanNode) cond {
	present := func() cond { return test(jJEQ, 1, ldAbs(1, skfADVLANPresent)) }
	tpid := g.tpidTest()
	var vid cond
	if n.hasID {
		meta := test(jJEQ, n.id, ldAbs(2, skfADVLANTag), aluK(aluAND, 0x0fff))
		vid = or(and(present(), meta), and(not(present()), g.mcmp(orLinkPL, 0, 2, n.id, 0x0fff)))
	}
	// The tag tests above read the frame where the tag is; only what
	// follows moves. The variable parts start at 0 (see prologue) and
	// grow by 4 on the way that looks for the tag in the frame.
	g.vary = true
	tpid = prepend(tpid, ldMem(g.plReg), aluK(aluADD, 4), st(g.plReg),
		ldMem(g.typeReg), aluK(aluADD, 4), st(g.typeReg))
	c := or(present(), tpid)
	if vid != nil {
		c = and(c, vid)
	}
	return c
}

// The scratch words of a live program's variable offsets: the last two,
// which arithmetic never takes in a live program, so that arithmetic
// before the vlan cannot overwrite the zeros of the prologue.
const (
	livePLReg   = 15
	liveTypeReg = 14
)

// scratchWords is the number of scratch words arithmetic may take.
func (g *gen) scratchWords() uint32 {
	if g.live {
		return liveTypeReg
	}
	return 16
}

// prologue is what a live program runs first when its offsets vary:
// their variable parts are 0 (libpcap's insert_compute_vloffsets).
func (g *gen) prologue(c cond) cond {
	if !g.vary || g.hdrVary {
		return c // no live vlan (geneve sets its own words)
	}
	return prepend(c, ldImm(0), st(g.plReg), st(g.typeReg))
}

// prepend puts stmts before those of c's first test. A c that is a
// known constant ("1 = 1 or vlan") has no test, and no load to need
// them.
func prepend(c cond, stmts ...bpf.RawInstruction) cond {
	switch c := c.(type) {
	case constCond:
		return c
	case *testCond:
		t := *c
		t.stmts = append(append([]bpf.RawInstruction(nil), stmts...), c.stmts...)
		t.offsets = true
		return &t
	case *stmtsCond:
		return &stmtsCond{stmts: append(append([]bpf.RawInstruction(nil), stmts...), c.stmts...)}
	case *andCond:
		return &andCond{prepend(c.a, stmts...), c.b}
	case *orCond:
		return &orCond{prepend(c.a, stmts...), c.b}
	case *notCond:
		return &notCond{prepend(c.a, stmts...)}
	}
	panic("filter: unknown cond")
}

// loadVarying loads size bytes at off from rel once the offsets vary.
func (g *gen) loadVarying(rel offRel, off, size uint32) []bpf.RawInstruction {
	switch rel {
	case orLinkType:
		return []bpf.RawInstruction{ldxMem(g.typeReg), ldInd(size, g.offLinkType+off)}
	case orLinkPL:
		return []bpf.RawInstruction{ldxMem(g.plReg), ldInd(size, g.offLinkPL+off)}
	case orLinkPLNoSnap:
		return []bpf.RawInstruction{ldxMem(g.plReg), ldInd(size, g.offLinkPL+g.offNoSnap+off)}
	case orTranIPv4:
		return append(g.ipv4PayloadX(), ldInd(size, g.offLinkPL+off))
	}
	return []bpf.RawInstruction{ldxMem(g.plReg), ldInd(size, g.offLinkPL+40+off)}
}

// ipv4PayloadX leaves in X the variable part of the link payload's
// offset plus the IPv4 header's length: what ldxMSH does at a known
// offset.
func (g *gen) ipv4PayloadX() []bpf.RawInstruction {
	return []bpf.RawInstruction{ldxMem(g.plReg), ldInd(1, g.offLinkPL), aluK(aluAND, 0xf), aluK(aluLSH, 2),
		aluX(aluADD), tax()}
}

// indexedVarying is indexed once the offsets vary: reg holds the
// variable part of base's.
func (g *gen) indexedVarying(idx aval, size, base, reg uint32) []bpf.RawInstruction {
	if idx.konst {
		return []bpf.RawInstruction{ldxMem(reg), ldInd(size, offset(base, idx.k))}
	}
	return append(idx.code, ldxMem(reg), aluX(aluADD), tax(), ldInd(size, base))
}

// transportVarying is transportIndexed once the offsets vary.
func (g *gen) transportVarying(idx aval, size uint32) []bpf.RawInstruction {
	pl := g.offLinkPL
	if idx.konst {
		return append(g.ipv4PayloadX(), ldInd(size, offset(pl, idx.k)))
	}
	m := g.allocReg(0)
	defer g.freeReg()
	code := append(append(idx.code, st(m)), g.ipv4PayloadX()...)
	return append(code, ldMem(m), aluX(aluADD), tax(), ldInd(size, pl))
}

func ldxMem(m uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: opLDX | mMEM, K: m} }
