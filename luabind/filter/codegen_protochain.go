package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// "ip protochain P", "ip6 protochain P" and "protochain P" (libpcap's
// gen_protochain): the packet's chain of headers reaches protocol P.
// libpcap walks the chain with a loop: A holds the next-header value,
// X the offset from the network header. In IPv6 an extension header
// (hop-by-hop, destination options, routing, fragment) moves X past
// itself by its length field, (len+1)*8; AH, in IPv4 and IPv6, sets X
// to (len+2)*4, not X plus that: a slip of libpcap's that netlua keeps,
// as it keeps every verdict of tcpdump's. "No next header" (59) or any
// other value ends the walk, which matches when the value is P. The
// loop needs a backward jump, which the kernel's classic BPF refuses
// (and libpcap's optimizer cannot take: it compiles the whole
// expression unoptimized), and, through the slip, never ends on an AH
// header whose length leads back to itself (tcpdump -r hangs on it).
// netlua unrolls the loop instead, protochainDepth times, with the same
// loads in the same order and the same scratch word, so that a frame
// gets the verdict tcpdump gives whenever its walk ends within that
// many headers; and, as libpcap, it leaves the whole program
// unoptimized.

// protochainDepth is how many headers netlua follows before it stops
// looking: legitimate IPv6 packets carry a handful of extension headers.
const protochainDepth = 16

// The next-header values the walk knows.
const (
	ipHopOpts  = 0
	ipRouting  = 43
	ipNoNext   = 59
	ipDestOpts = 60
)

// protochain compiles "[ip|ip6] protochain v".
func (g *gen) protochain(v uint32, p proto, pos int) cond {
	switch p {
	case pDefault:
		return or(g.protochain(v, pIP, pos), g.protochain(v, pIPv6, pos))
	case pIP, pIPv6:
	default:
		fail(pos, "bad protocol applied for 'protochain'")
	}
	if g.vary {
		fail(pos, "'protochain' not supported with variable length headers")
	}
	g.noOptimize = true
	w := g.allocReg(pos)
	defer g.freeReg()
	nh := g.offLinkPL
	if p == pIP {
		// A = the protocol field, X = the header's length.
		return and(g.linkType(etherIP), g.chainStep(v, false, nh, w, []bpf.RawInstruction{ldAbs(1, nh+9), ldxMSH(nh)}, 0))
	}
	// A = the next-header field, X = 40.
	return and(g.linkType(etherIPv6), g.chainStep(v, true, nh, w, []bpf.RawInstruction{ldAbs(1, nh+6), ldxImm(40)}, 0))
}

// chainStep is one round of the walk, after pre has set A and X: true
// if A is v; false at "no next header"; else past an extension header
// (IPv6) or AH, the next round, where both ways meet.
func (g *gen) chainStep(v uint32, six bool, nh, w uint32, pre []bpf.RawInstruction, depth int) cond {
	found := test(jJEQ, v, pre...)
	if depth == protochainDepth {
		return found
	}
	// AH: A = P[X], X = (P[X+1] + 2) * 4, through scratch word w.
	ah := &stmtsCond{stmts: []bpf.RawInstruction{txa(), ldInd(1, nh), st(w), txa(), aluK(aluADD, 1), tax(),
		ldInd(1, nh), aluK(aluADD, 2), aluK(aluMUL, 4), tax(), ldMem(w)}}
	step := and(test(jJEQ, ipAH), ah)
	if six {
		// An extension header: A = P[X], X += (P[X+1] + 1) * 8.
		ext := or(or(or(test(jJEQ, ipHopOpts), test(jJEQ, ipDestOpts)), test(jJEQ, ipRouting)), test(jJEQ, ipFragment))
		past := &stmtsCond{stmts: []bpf.RawInstruction{ldInd(1, nh), st(w), ldInd(1, nh+1), aluK(aluADD, 1),
			aluK(aluMUL, 8), aluX(aluADD), tax(), ldMem(w)}}
		step = or(and(ext, past), step)
	}
	next := g.chainStep(v, six, nh, w, nil, depth+1)
	return or(found, and(not(test(jJEQ, ipNoNext)), and(step, next)))
}

func txa() bpf.RawInstruction { return bpf.RawInstruction{Op: opMISC | miscTXA} }

// protochainPhrase explains "[ip|ip6] protochain v".
func protochainPhrase(q qual, text string) string {
	over := map[proto]string{pDefault: "IPv4 or IPv6", pIP: "IPv4", pIPv6: "IPv6"}[q.proto]
	return fmt.Sprintf("%s whose chain of headers (IPv6 extension headers and AH, as libpcap follows them, up to %d) reaches protocol %s",
		over, protochainDepth, text)
}
