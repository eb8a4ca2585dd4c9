package filter

import "golang.org/x/net/bpf"

// Arithmetic and comparisons: "ip[9] = 6", "tcp[13] & 2 != 0",
// "len - 14 > ip[2:2]". Constants fold as libpcap's optimizer folds them
// (x * 0 and x & 0 are 0 without loading x), so that a short frame gives
// the answer tcpdump gives.

// aval is compiled arithmetic: code leaving the value in A, or a known
// constant, and the protocol checks its loads need (the frame must be
// IPv4 for ip[...], a first fragment for tcp[...]).
type aval struct {
	code   []bpf.RawInstruction
	konst  bool
	k      uint32
	pass   int // when libpcap knows k: 0 for a number as written (see fold.go)
	checks cond
	// errs are mistakes libpcap finds only when it folds constants,
	// after threading: one stands if the comparison is still reachable
	// then (see fold.go).
	errs errs
}

func konst(k uint32, checks cond) aval { return aval{konst: true, k: k, checks: checks} }

// networkProtos index from the network header; transportProtos from the
// IPv4 payload.
var (
	networkProtos = map[proto]bool{pIP: true, pARP: true, pRARP: true, pATalk: true,
		pDECnet: true, pSCA: true, pLAT: true, pMOPRC: true, pMOPDL: true, pIPv6: true}
	transportProtos = map[proto]bool{pSCTP: true, pTCP: true, pUDP: true, pICMP: true,
		pIGMP: true, pIGRP: true, pPIM: true, pVRRP: true, pCARP: true}
)

// arith compiles arithmetic.
func (g *gen) arith(a arith) aval {
	switch a := a.(type) {
	case *numArith:
		return konst(a.tok.num, constCond(true))
	case *lenArith:
		return aval{code: []bpf.RawInstruction{ldLen()}, checks: constCond(true)}
	case *negArith:
		x := g.arith(a.x)
		if x.konst {
			return foldNeg(x)
		}
		x.code = append(x.code, aluK(aluNEG, 0))
		return x
	case *loadArith:
		return g.load(a)
	}
	return g.binary(a.(*binArith))
}

// load compiles "proto[index:size]".
func (g *gen) load(a *loadArith) aval {
	idx := g.arith(a.index)
	idxErrs := idx.errs.deeper(2) // "tax; ld [x + k]"
	switch {
	case a.proto == pLink:
		return aval{code: g.indexed(idx, a.size, g.offLinkHdr, true), checks: idx.checks, errs: idxErrs}
	case networkProtos[a.proto]:
		checks := and(idx.checks, g.abbrev(a.proto, a.tok))
		return aval{code: g.indexed(idx, a.size, g.offLinkPL, false), checks: checks, errs: idxErrs}
	case transportProtos[a.proto]:
		checks := and(idx.checks, and(g.abbrev(a.proto, a.tok), g.ipFirstFragment()))
		checks = and(g.abbrev(pIP, a.tok), checks)
		return aval{code: g.transportIndexed(idx, a.size), checks: checks, errs: idxErrs}
	case a.proto == pICMPv6:
		checks := and(and(idx.checks, g.linkType(etherIPv6)), g.cmp(orLinkPL, 6, 1, ipICMPv6))
		return aval{code: g.indexed(idx, a.size, g.offLinkPL+40, false), checks: checks, errs: idxErrs}
	}
	fail(a.tok.pos, "'%s[...]' is not a byte access: index ether, ip, ip6, arp, rarp, tcp, udp, sctp, icmp, icmp6, igmp, igrp, pim or vrrp", a.tok.text)
	return aval{}
}

// indexed loads size bytes at base + idx, from the link header (link)
// or the link payload. A known index goes through X as in libpcap, whose
// optimizer tells "ip6[40]" from "icmp6[0]" while it threads jumps; the
// last passes turn it into an absolute load.
func (g *gen) indexed(idx aval, size, base uint32, link bool) []bpf.RawInstruction {
	switch {
	case link && g.hdrVary:
		return g.indexedVarying(idx, size, base, g.hdrReg)
	case !link && g.vary:
		return g.indexedVarying(idx, size, base, g.plReg)
	}
	if idx.konst {
		return []bpf.RawInstruction{ldxImm(idx.k), ldInd(size, base)}
	}
	return append(idx.code, tax(), ldInd(size, base))
}

// maxOffset is where loads at known offsets stop: past it no frame
// reaches, and the kernel would read offsets from 2 GiB on as negative,
// meaning its ancillary data (SKF_AD_OFF) instead of the frame.
const maxOffset = 0x7fff0000

// offset is base + k as libpcap's optimizer adds them, in 32 bits, so
// that "ip[-1]" reads the byte before the IP header, as in tcpdump. A
// sum past maxOffset is held there: it fails to load in the kernel as
// in libpcap's interpreter, where the kernel would take the word as a
// negative offset (ancillary data, or a load at X minus something).
func offset(base, k uint32) uint32 {
	if s := base + k; s < maxOffset {
		return s
	}
	return maxOffset
}

// transportIndexed loads size bytes at idx in the IPv4 payload, whose
// offset is 4 times the header's IHL.
func (g *gen) transportIndexed(idx aval, size uint32) []bpf.RawInstruction {
	if g.vary {
		return g.transportVarying(idx, size)
	}
	pl := g.offLinkPL
	if idx.konst {
		return []bpf.RawInstruction{ldxMSH(pl), ldInd(size, offset(pl, idx.k))}
	}
	m := g.allocReg(0)
	defer g.freeReg()
	return append(idx.code, st(m), ldxMSH(pl), ldMem(m), aluX(aluADD), tax(), ldInd(size, pl))
}

// allocReg takes a scratch memory word; pos is for the error.
func (g *gen) allocReg(pos int) uint32 {
	if g.regs == g.scratchWords() {
		fail(pos, "too many registers needed to evaluate expression")
	}
	g.regs++
	return g.regs - 1
}

func (g *gen) freeReg() { g.regs-- }

var aluOps = map[tokKind]uint16{
	tPlus: aluADD, tMinus: aluSUB, tStar: aluMUL, tSlash: aluDIV, tPercent: aluMOD,
	tAmp: aluAND, tPipe: aluOR, tCaret: aluXOR, tLsh: aluLSH, tRsh: aluRSH,
}

// binary compiles "l op r", folding as libpcap's optimizer does. Only
// l's protocol checks stay: libpcap's gen_arth keeps those of its left
// operand and drops the right one's, so "4 * ip[0] > 20" tests no
// EtherType at all in tcpdump, and in netlua.
func (g *gen) binary(b *binArith) aval {
	op := aluOps[b.op.kind]
	l := g.arith(b.l)
	m := g.allocReg(b.op.pos)
	defer g.freeReg()
	r := g.arith(b.r)
	checkLiteral(op, b)
	f := foldBinary(op, l, r, b.op.pos)
	var v aval
	if f.known {
		v = konst(f.k, l.checks)
		v.pass = f.pass
	} else {
		v = aval{code: g.combine(op, l, r, m), checks: l.checks}
	}
	v.errs = f.errs
	return v
}

// combine is the code of "l op r" when it is not a known constant, with
// the scratch word m free to hold l. Operations that leave l or r as it
// is (add #0, 0 | x) are left out, as libpcap's optimizer drops them.
func (g *gen) combine(op uint16, l, r aval, m uint32) []bpf.RawInstruction {
	switch {
	case r.konst && r.k == 0 && aluZeroK[op]:
		return l.code
	case r.konst:
		return append(l.code, aluK(op, r.k))
	case l.konst && l.k == 0 && (op == aluADD || op == aluOR || op == aluXOR):
		return r.code
	case l.konst:
		return append(r.code, tax(), ldImm(l.k), aluX(op))
	}
	code := append(append(l.code, st(m)), r.code...)
	return append(code, tax(), ldMem(m), aluX(op))
}

// checkLiteral rejects a zero divisor or a shift past 31 bits as libpcap
// does before any folding: by the first instruction of the right
// operand's code, when it loads a constant. That instruction is also the
// index of a byte access, so tcpdump refuses "14 / ip[0]" and
// "1 << ether[40]", and netlua with it.
func checkLiteral(op uint16, b *binArith) {
	k, ok := firstConstant(b.r)
	switch {
	case !ok:
	case op == aluDIV && k == 0:
		fail(b.op.pos, "division by zero")
	case op == aluMOD && k == 0:
		fail(b.op.pos, "modulus by zero")
	case (op == aluLSH || op == aluRSH) && k > 31:
		fail(b.op.pos, "shift by more than 31 bits")
	}
}

// firstConstant is the constant the first instruction of libpcap's code
// for a loads, if it loads one.
func firstConstant(a arith) (uint32, bool) {
	switch a := a.(type) {
	case *numArith:
		return a.tok.num, true
	case *loadArith:
		return firstConstant(a.index)
	case *binArith:
		return firstConstant(a.l)
	case *negArith:
		return firstConstant(a.x)
	}
	return 0, false
}

// fold computes a op b as libpcap's optimizer folds constants; dividing
// by zero is an error at pos.
func fold(op uint16, a, b uint32, pos int) (uint32, *Error) {
	switch op {
	case aluDIV, aluMOD:
		if b == 0 {
			return 0, errAt(pos, "%s", map[uint16]string{aluDIV: "division by zero", aluMOD: "modulus by zero"}[op])
		}
	case aluLSH, aluRSH:
		if b > 31 {
			return 0, nil
		}
	}
	return alu(op, a, b), nil
}

// relJumps maps a comparison to the jump that tests it and whether the
// outcome is reversed (a <= b is not a > b).
var relJumps = map[tokKind]struct {
	jmp     uint16
	reverse bool
}{
	tGt: {jJGT, false}, tGeq: {jJGE, false}, tEq: {jJEQ, false},
	tLeq: {jJGT, true}, tLt: {jJGE, true}, tNeq: {jJEQ, true},
}

// relation compiles a comparison: the protocol checks of its loads first,
// then the arithmetic and the jump. A comparison of numbers as written
// ("1 = 1") is decided before the optimizer threads jumps; one of numbers
// folded from arithmetic ("2 * 4 > 7") only at its end, as libpcap folds
// arithmetic only after threading. Either stays a block that loads its
// left number, as in libpcap, where a first such block leaves that load.
func (g *gen) relation(n *relNode) cond {
	rj := relJumps[n.op]
	l := g.arith(n.l)
	m := g.allocReg(n.at)
	defer g.freeReg()
	r := g.arith(n.r)
	var t *testCond
	switch {
	case l.konst && r.konst:
		outcome := compare(rj.jmp, l.k, r.k)
		t = &testCond{stmts: []bpf.RawInstruction{ldImm(l.k)}, jmp: rj.jmp, k: r.k, known: &outcome, decided: decidedIn(l, r)}
	case r.konst:
		t = &testCond{stmts: l.code, jmp: rj.jmp, k: r.k}
	case l.konst:
		t = &testCond{stmts: append(r.code, tax(), ldImm(l.k)), jmp: rj.jmp | srcX}
	default:
		code := append(append(l.code, st(m)), r.code...)
		t = &testCond{stmts: append(code, tax(), ldMem(m)), jmp: rj.jmp | srcX}
	}
	t.arith = true
	t.opaqueA = l.konst && l.pass > 0
	t.opaqueK = r.konst && r.pass > 0
	t.err.err, t.err.pass = append(append(errs(nil), l.errs...), r.errs...).first()
	var c cond = t
	if rj.reverse {
		c = not(c)
	}
	return and(and(l.checks, r.checks), c)
}
