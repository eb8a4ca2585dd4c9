package filter

import "golang.org/x/net/bpf"

// The optimizer does what libpcap's optimizer (optimize.c) does, in the
// ways that decide which loads run and so what a short frame meets:
// first, passes of jump threading and pull-ups over value-numbered
// blocks (thread.go, pullup.go) until nothing moves; then the removal
// of loads a register already holds and of statements whose result
// nothing reads, the merging of duplicate blocks, and the settling of
// the first block (optimize_passes.go). It follows libpcap's order and
// its limits, down to what it does not know, because a program that
// knew more would take frames tcpdump drops.

// vnKey identifies a computed value: the operation and its operands'
// value numbers.
type vnKey struct {
	op   uint16
	k    uint32
	a, x uint32
	tag  bool // a frame load of a relation, while threading
}

// regs holds the value numbers of the registers.
type regs struct {
	a, x uint32
	mem  [16]uint32
}

// unknown is the value number of a register whose value is not known,
// as libpcap's VAL_UNKNOWN: while threading, two unknowns count as equal.
const unknown = 0

// maxPasses bounds the passes of threading and pull-ups.
const maxPasses = 100

// optimizer numbers values over the blocks.
type optimizer struct {
	blocks []*block
	ids    map[vnKey]uint32
	next   uint32
	// final is set for the last passes. Before, a frame load in a
	// relation ("ip[9] = 6") has a value number of its own, distinct
	// from the same load in a primitive ("ip proto 6"): libpcap threads
	// jumps while relations still load through scratch memory and X,
	// so it never decides one by the other, and netlua must not either.
	final bool
}

// optimize returns the blocks rewritten, in an order where every edge
// goes forward, or the folding error of a comparison that remains.
func optimize(blocks []*block) ([]*block, error) {
	o := &optimizer{blocks: blocks, ids: map[vnKey]uint32{}}
	o.peepholes()
	o.settleKnown(0)
	for pass := 0; pass < maxPasses; pass++ {
		ps := o.analyze()
		threaded := o.threadAll(ps)
		pulled := o.pullUps(ps)
		o.reorder()
		if !threaded && !pulled {
			break
		}
	}
	if err := o.foldErrors(); err != nil {
		return nil, err
	}
	o.final = true
	o.settleKnown(never)
	o.absoluteLoads()
	o.dropRedundant()
	o.peepholes()
	o.dropDead()
	intern(o.blocks)
	o.settleRoot()
	return o.blocks, nil
}

// fresh is a value number never seen before.
func (o *optimizer) fresh() uint32 {
	o.next++
	return o.next
}

func (o *optimizer) vn(k vnKey) uint32 {
	if id, ok := o.ids[k]; ok {
		return id
	}
	id := o.fresh()
	o.ids[k] = id
	return id
}

// constant is the value number of k.
func (o *optimizer) constant(k uint32) uint32 { return o.vn(vnKey{op: opLD | mIMM, k: k}) }

// opaqueOp marks the value numbers of constants folded from arithmetic
// while the optimizer threads jumps: equal to the same constant folded
// again, but not known to be that number.
const opaqueOp = 0xffff

// effect computes what stmt stores and where: into A, X or a memory
// word. tag marks the loads of a relation and opaque a folded constant
// (see optimizer.final).
func (o *optimizer) effect(r *regs, stmt bpf.RawInstruction, tag, opaque bool) (dst *uint32, v uint32) {
	op := stmt.Op
	switch op & 0x07 {
	case opLD:
		switch op & 0xe0 {
		case mMEM:
			return &r.a, r.mem[stmt.K&15]
		case mIND:
			return &r.a, o.vn(vnKey{op: op, k: stmt.K, x: r.x, tag: tag})
		case mABS:
			return &r.a, o.vn(vnKey{op: op, k: stmt.K, tag: tag})
		case mIMM:
			if opaque {
				return &r.a, o.vn(vnKey{op: opaqueOp, k: stmt.K})
			}
		}
		return &r.a, o.vn(vnKey{op: op, k: stmt.K})
	case opLDX:
		if op&0xe0 == mMEM {
			return &r.x, r.mem[stmt.K&15]
		}
		return &r.x, o.vn(vnKey{op: op, k: stmt.K, tag: tag && op&0xe0 == mMSH})
	case opST:
		return &r.mem[stmt.K&15], r.a
	case 0x03: // stx
		return &r.mem[stmt.K&15], r.x
	case opALU:
		return &r.a, o.vn(vnKey{op: op, k: stmt.K, a: r.a, x: r.x * uint32(op&srcX>>3)})
	case opMISC:
		if op&0xf8 == miscTXA {
			return &r.a, r.x
		}
		return &r.x, r.a
	}
	return &r.a, o.fresh()
}

// apply runs the statements of b over r.
func (o *optimizer) apply(r *regs, b *block) {
	for _, stmt := range b.stmts {
		dst, v := o.effect(r, stmt, b.arith && !o.final, b.opaqueA && !o.final)
		*dst = v
	}
}

// merge keeps in into the registers that agree with r. Disagreeing ones
// become unknown while threading, as in libpcap; in the final passes
// each becomes a value of its own, so that no load is dropped on the
// strength of two unknowns.
func (o *optimizer) merge(into *regs, r *regs) {
	differ := func(a, b uint32) uint32 {
		if a == b {
			return a
		}
		if o.final {
			return o.fresh()
		}
		return unknown
	}
	into.a = differ(into.a, r.a)
	into.x = differ(into.x, r.x)
	for i := range into.mem {
		into.mem[i] = differ(into.mem[i], r.mem[i])
	}
}

// entries computes the registers at the start of each reachable block;
// reached says which are.
func (o *optimizer) entries() (in []regs, reached []bool) {
	in = make([]regs, len(o.blocks))
	reached = make([]bool, len(o.blocks))
	reached[0] = true
	if o.final {
		in[0].a, in[0].x = o.fresh(), o.fresh()
		for i := range in[0].mem {
			in[0].mem[i] = o.fresh()
		}
	}
	for i, b := range o.blocks {
		if !reached[i] {
			continue
		}
		out := in[i]
		o.apply(&out, b)
		for br := range b.edges() {
			s := b.succ[br]
			if !reached[s] {
				in[s], reached[s] = out, true
			} else {
				o.merge(&in[s], &out)
			}
		}
	}
	return in, reached
}

// edges is how many outgoing edges a block has.
func (b *block) edges() int {
	switch b.term {
	case termCond:
		return 2
	case termJump:
		return 1
	}
	return 0
}

// meets reports whether both ways out of b lead to the same block.
func (b *block) meets() bool {
	return b.term == termJump || b.term == termCond && b.succ[0] == b.succ[1]
}

// foldErrors returns the first folding error of a block that libpcap's
// second loop still reaches in the pass that raises it: each pass
// decides the comparisons whose constants it has folded, which cuts
// blocks off from the next (see fold.go). It settles those comparisons.
func (o *optimizer) foldErrors() error {
	last := 0
	for _, b := range o.blocks {
		if b.err.err != nil {
			last = max(last, b.err.pass)
		}
	}
	for p := 1; p <= last; p++ {
		reach := o.reachable()
		for i, b := range o.blocks {
			if reach[i] && b.err.err != nil && b.err.pass == p {
				return b.err.err
			}
		}
		o.settleKnown(p)
	}
	return nil
}
