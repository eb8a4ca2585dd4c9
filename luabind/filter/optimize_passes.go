package filter

import (
	"encoding/binary"

	"golang.org/x/net/bpf"
)

// The optimizer's passes on statements, libpcap's second phase and its
// end: peepholes, outcomes of constants, absolute loads, redundant and
// dead statements, duplicate blocks and the first block.

// regSet is a set of registers: A, X and the 16 scratch words.
type regSet uint32

const (
	regA   = 0
	regX   = 1
	regMem = 2 // scratch word i is regMem+i
)

func (s regSet) has(r int) bool { return s&(1<<r) != 0 }

// stmtRegs is what a statement reads and the register it writes (-1:
// none).
func stmtRegs(stmt bpf.RawInstruction) (uses regSet, def int) {
	op, mem := stmt.Op, regSet(1)<<(regMem+stmt.K&15)
	switch op & 0x07 {
	case opLD:
		switch op & 0xe0 {
		case mIND:
			return 1 << regX, regA
		case mMEM:
			return mem, regA
		}
		return 0, regA
	case opLDX:
		if op&0xe0 == mMEM {
			return mem, regX
		}
		return 0, regX
	case opST:
		return 1 << regA, regMem + int(stmt.K&15)
	case 0x03: // stx
		return 1 << regX, regMem + int(stmt.K&15)
	case opALU:
		if op&srcX != 0 {
			return 1<<regA | 1<<regX, regA
		}
		return 1 << regA, regA
	case opMISC:
		if op&0xf8 == miscTXA {
			return 1 << regX, regA
		}
		return 1 << regA, regX
	}
	return 0, -1
}

// termUses is what a block's ending reads.
func termUses(b *block) regSet {
	switch {
	case b.term == termCond && b.jmp&srcX != 0:
		return 1<<regA | 1<<regX
	case b.term == termCond:
		return 1 << regA
	}
	return 0
}

// liveness computes, for each block, the registers read from it on
// before being written (libpcap's in_use).
func (o *optimizer) liveness() []regSet {
	live := make([]regSet, len(o.blocks))
	for i := len(o.blocks) - 1; i >= 0; i-- {
		b := o.blocks[i]
		l := liveOut(b, live) | termUses(b)
		for j := len(b.stmts) - 1; j >= 0; j-- {
			uses, def := stmtRegs(b.stmts[j])
			if def >= 0 {
				l &^= 1 << def
			}
			l |= uses
		}
		live[i] = l
	}
	return live
}

// liveOut is what the successors of b read (libpcap's out_use).
func liveOut(b *block, live []regSet) regSet {
	var out regSet
	for br := range b.edges() {
		out |= live[b.succ[br]]
	}
	return out
}

// dropDead removes statements whose result nothing reads, loads included
// (libpcap's opt_deadstores).
func (o *optimizer) dropDead() {
	live := o.liveness()
	for _, b := range o.blocks {
		l := liveOut(b, live) | termUses(b)
		kept := make([]bpf.RawInstruction, 0, len(b.stmts))
		for j := len(b.stmts) - 1; j >= 0; j-- {
			uses, def := stmtRegs(b.stmts[j])
			if def >= 0 && !l.has(def) {
				continue
			}
			if def >= 0 {
				l &^= 1 << def
			}
			l |= uses
			kept = append(kept, b.stmts[j])
		}
		for x, y := 0, len(kept)-1; x < y; x, y = x+1, y-1 {
			kept[x], kept[y] = kept[y], kept[x]
		}
		b.stmts = kept
	}
}

// dropRedundant removes the statements whose register already holds
// their value on every path.
func (o *optimizer) dropRedundant() {
	in, reached := o.entries()
	for i, b := range o.blocks {
		if !reached[i] {
			continue
		}
		r := in[i]
		kept := b.stmts[:0]
		for _, stmt := range b.stmts {
			dst, v := o.effect(&r, stmt, false, false)
			if *dst != v {
				*dst = v
				kept = append(kept, stmt)
			}
		}
		b.stmts = kept
	}
}

// peepholes rewrites the ends of blocks as libpcap's opt_peep does, when
// nothing after a block reads A: "and #k; jeq #0" is "jset #k" with the
// branches swapped, "sub #k; jeq #v" is "jeq #(k+v)" and "sub x; jeq #0"
// is "jeq x". Before threading only primitives' blocks change: libpcap
// still computes relations through X then.
func (o *optimizer) peepholes() {
	live := o.liveness()
	for _, b := range o.blocks {
		if (b.arith && !o.final) || liveOut(b, live).has(regA) {
			continue
		}
		peephole(b)
	}
}

// peephole rewrites the end of one block.
func peephole(b *block) {
	if b.term != termCond || b.jmp != jJEQ || len(b.stmts) == 0 {
		return
	}
	last := b.stmts[len(b.stmts)-1]
	switch {
	case last.Op == opALU|aluSUB|srcX && b.k == 0:
		b.jmp = jJEQ | srcX
	case last.Op == opALU|aluSUB:
		b.k += last.K
	case last.Op == opALU|aluAND && b.k == 0:
		b.jmp, b.k = jJSET, last.K
		b.succ[0], b.succ[1] = b.succ[1], b.succ[0]
	default:
		return
	}
	b.stmts = b.stmts[:len(b.stmts)-1]
}

// absoluteLoads turns a load at X plus k, where the block set X to a
// constant, into a load at a known offset (libpcap's opt_stmt).
func (o *optimizer) absoluteLoads() {
	for _, b := range o.blocks {
		x, known := uint32(0), false
		for i, stmt := range b.stmts {
			switch {
			case stmt.Op == opLDX|mIMM:
				x, known = stmt.K, true
			case stmt.Op&0x07 == opLD && stmt.Op&0xe0 == mIND && known:
				b.stmts[i] = ldAbs(sizeBytes(stmt.Op), offset(stmt.K, x))
			case stmt.Op&0x07 == opLDX || stmt.Op == opMISC|miscTAX:
				known = false
			}
		}
	}
}

// sizeBytes is the number of bytes a load's opcode reads.
func sizeBytes(op uint16) uint32 {
	switch op & 0x18 {
	case szB:
		return 1
	case szH:
		return 2
	}
	return 4
}

// settleKnown sends both branches of a comparison of constants the way
// it goes, for the comparisons that libpcap has decided by pass upTo of
// its second loop (0: its first loop, which threads jumps; see fold.go).
func (o *optimizer) settleKnown(upTo int) {
	for _, b := range o.blocks {
		if b.term != termCond || b.known == nil || b.decided > upTo {
			continue
		}
		if *b.known {
			b.succ[1] = b.succ[0]
		} else {
			b.succ[0] = b.succ[1]
		}
	}
}

// settleRoot starts the program past first blocks whose branches meet,
// keeping the first block's statements, unless the program then just
// returns: libpcap's opt_root, which counts a BPF program free of side
// effects, loads included.
func (o *optimizer) settleRoot() {
	root := o.blocks[0]
	next := 0
	for b := root; b.term != termRet && b.meets(); b = o.blocks[next] {
		next = b.succ[0]
	}
	switch {
	case next == 0:
	case o.blocks[next].term == termRet:
		*root = block{term: termRet, k: o.blocks[next].k}
	default:
		*root = block{stmts: root.stmts, term: termJump, succ: [2]int{next, next}}
	}
}

// intern merges identical blocks (same statements, ending and
// successors), as libpcap's intern_blocks does.
func intern(blocks []*block) {
	canon := make([]int, len(blocks))
	seen := map[string]int{}
	for i := len(blocks) - 1; i >= 0; i-- {
		b := blocks[i]
		for br := range b.edges() {
			b.succ[br] = canon[b.succ[br]]
		}
		key := blockKey(b)
		if j, ok := seen[key]; ok {
			canon[i] = j
			continue
		}
		seen[key], canon[i] = i, i
	}
}

// blockKey is a block's content as a map key.
func blockKey(b *block) string {
	key := make([]byte, 0, 8*len(b.stmts)+16)
	for _, s := range b.stmts {
		key = binary.BigEndian.AppendUint16(key, s.Op)
		key = binary.BigEndian.AppendUint32(key, s.K)
	}
	key = append(key, byte(b.term))
	key = binary.BigEndian.AppendUint16(key, b.jmp)
	key = binary.BigEndian.AppendUint32(key, b.k)
	for br := range b.edges() {
		key = binary.BigEndian.AppendUint32(key, uint32(b.succ[br]))
	}
	return string(key)
}
