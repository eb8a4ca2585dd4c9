package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// The assembler lays conditions out as classic BPF: short-circuit code
// whose jumps all go forward, ending in "ret #262144" (match, tcpdump's
// snapshot length) and "ret #0". It works on basic blocks, which the
// optimizer rewrites, and places "ja" trampolines where a conditional
// jump's target is more than 255 instructions away.

const (
	snapLen      = 262144 // what a matching program returns, as tcpdump's do
	maxInsns     = 4096   // the kernel's BPF_MAXINSNS
	maxCondReach = 255    // jt and jf are 8 bits
)

// termKind is how a block ends.
type termKind uint8

const (
	termCond termKind = iota // a conditional jump to succ[0] (true) or succ[1]
	termJump                 // ja succ[0]
	termRet                  // ret k
)

// A block is straight-line statements and the jump or return ending them.
// Its successors are always later blocks.
type block struct {
	stmts []bpf.RawInstruction
	term  termKind
	jmp   uint16 // termCond: jJEQ, jJGT, jJGE or jJSET, maybe | srcX
	k     uint32 // jump operand, or the return value
	succ  [2]int
	arith bool // computes a relation's arithmetic (see optimizer.effect)
	// opaqueA, opaqueK and known come from the testCond (see there).
	opaqueA, opaqueK bool
	known            *bool
	decided          int
	err              foldErr
	offsets          bool // see testCond
}

// emitter turns conditions into blocks. Labels name blocks not yet made.
type emitter struct {
	blocks []*block
	labels []int // label -> block index, -1 while unbound
	fixups []*int
}

// assemble lays out c as blocks, the last two returning match and no match.
func assemble(c cond) []*block {
	e := &emitter{}
	t, f := e.label(), e.label()
	e.emit(c, t, f)
	e.bind(t)
	e.end(&block{term: termRet, k: snapLen})
	e.bind(f)
	e.end(&block{term: termRet, k: 0})
	for _, p := range e.fixups {
		*p = e.labels[*p]
	}
	return e.blocks
}

func (e *emitter) label() int {
	e.labels = append(e.labels, -1)
	return len(e.labels) - 1
}

// bind points label at the next block.
func (e *emitter) bind(label int) { e.labels[label] = len(e.blocks) }

// end adds block b; its successors are labels until assemble resolves them.
func (e *emitter) end(b *block) {
	e.blocks = append(e.blocks, b)
	for i := range b.succ {
		e.fixups = append(e.fixups, &b.succ[i])
	}
}

// emit lays out c so that it continues at label t when true, f when false.
func (e *emitter) emit(c cond, t, f int) {
	switch c := c.(type) {
	case *testCond:
		stmts := append([]bpf.RawInstruction(nil), c.stmts...)
		e.end(&block{stmts: stmts, term: termCond, jmp: c.jmp, k: c.k, succ: [2]int{t, f}, arith: c.arith,
			opaqueA: c.opaqueA, opaqueK: c.opaqueK, known: c.known, decided: c.decided, err: c.err, offsets: c.offsets})
	case *stmtsCond:
		stmts := append([]bpf.RawInstruction(nil), c.stmts...)
		e.end(&block{stmts: stmts, term: termJump, succ: [2]int{t, t}})
	case *andCond:
		mid := e.label()
		e.emit(c.a, mid, f)
		e.bind(mid)
		e.emit(c.b, t, f)
	case *orCond:
		mid := e.label()
		e.emit(c.a, t, mid)
		e.bind(mid)
		e.emit(c.b, t, f)
	case *notCond:
		e.emit(c.a, f, t)
	case constCond:
		target := f
		if c {
			target = t
		}
		e.end(&block{term: termJump, succ: [2]int{target, target}})
	default:
		panic(fmt.Sprintf("filter: unknown cond %T", c))
	}
}

// layout turns reachable blocks into instructions, with trampolines for
// conditional jumps that cannot reach their targets.
func layout(blocks []*block) []bpf.RawInstruction {
	order := reachable(blocks)
	tramp := map[int][2]bool{} // block index -> trampoline for jt, jf
	for {
		pos, _ := positions(blocks, order, tramp)
		if !addTrampolines(blocks, order, tramp, pos) {
			break
		}
	}
	return encode(blocks, order, tramp)
}

// reachable lists the blocks reachable from the first, in order.
func reachable(blocks []*block) []int {
	seen := make([]bool, len(blocks))
	seen[0] = true
	var order []int
	for i, b := range blocks {
		if !seen[i] {
			continue
		}
		order = append(order, i)
		for br := range b.edges() {
			seen[b.succ[br]] = true
		}
	}
	return order
}

// positions computes where each block starts, and the index of the next
// block in layout order (-1 for the last).
func positions(blocks []*block, order []int, tramp map[int][2]bool) (pos map[int]int, next map[int]int) {
	pos, next = map[int]int{}, map[int]int{}
	n := 0
	for i, bi := range order {
		pos[bi] = n
		next[bi] = -1
		if i+1 < len(order) {
			next[bi] = order[i+1]
		}
		n += blockLen(blocks[bi], next[bi], tramp[bi])
	}
	return pos, next
}

// blockLen is the number of instructions of a block laid out before next.
func blockLen(b *block, next int, tr [2]bool) int {
	n := len(b.stmts)
	switch {
	case b.term == termJump && b.succ[0] == next:
	case b.term == termCond:
		n += 1 + trampolines(b, tr)
	default:
		n++
	}
	return n
}

// trampolines counts a block's trampolines; jt and jf share one when
// they go to the same place.
func trampolines(b *block, tr [2]bool) int {
	switch {
	case tr[0] && tr[1] && b.succ[0] == b.succ[1]:
		return 1
	case tr[0] && tr[1]:
		return 2
	case tr[0] || tr[1]:
		return 1
	}
	return 0
}

// addTrampolines marks the jumps that cannot reach; it reports a change.
func addTrampolines(blocks []*block, order []int, tramp map[int][2]bool, pos map[int]int) bool {
	changed := false
	for _, bi := range order {
		b := blocks[bi]
		if b.term != termCond {
			continue
		}
		at := pos[bi] + len(b.stmts)
		tr := tramp[bi]
		for i := range 2 {
			if !tr[i] && pos[b.succ[i]]-(at+1) > maxCondReach {
				tr[i], changed = true, true
			}
		}
		tramp[bi] = tr
	}
	return changed
}

// encode writes the instructions of the laid-out blocks.
func encode(blocks []*block, order []int, tramp map[int][2]bool) []bpf.RawInstruction {
	pos, next := positions(blocks, order, tramp)
	var out []bpf.RawInstruction
	for _, bi := range order {
		b := blocks[bi]
		out = append(out, b.stmts...)
		switch b.term {
		case termRet:
			out = append(out, bpf.RawInstruction{Op: opRET, K: b.k})
		case termJump:
			if b.succ[0] != next[bi] {
				out = append(out, ja(len(out), pos[b.succ[0]]))
			}
		case termCond:
			out = appendCond(out, b, tramp[bi], pos)
		}
	}
	return out
}

// appendCond writes a conditional jump and its trampolines.
func appendCond(out []bpf.RawInstruction, b *block, tr [2]bool, pos map[int]int) []bpf.RawInstruction {
	at := len(out)
	j := bpf.RawInstruction{Op: opJMP | b.jmp, K: b.k}
	var tramps []bpf.RawInstruction
	off := [2]uint8{}
	for i := range 2 {
		switch {
		case !tr[i]:
			off[i] = uint8(pos[b.succ[i]] - (at + 1))
		case i == 1 && tr[0] && b.succ[0] == b.succ[1]:
			off[1] = off[0]
		default:
			off[i] = uint8(len(tramps))
			tramps = append(tramps, ja(at+1+len(tramps), pos[b.succ[i]]))
		}
	}
	j.Jt, j.Jf = off[0], off[1]
	return append(append(out, j), tramps...)
}

// ja is an unconditional jump at index from to index to.
func ja(from, to int) bpf.RawInstruction {
	return bpf.RawInstruction{Op: opJMP | jJA, K: uint32(to - from - 1)}
}
