package filter

import "sort"

// Jump threading as libpcap's opt_j does it. An edge into a block whose
// way out is decided moves past it: both branches alike, or an outcome
// that an edge dominating this one decided (the same comparison of the
// same value, or equality with another constant already true). Edges are
// taken block by block from the returns up, with what the pass knew at
// its start: moving edges bottom-up keeps the knowledge a block has
// while it still has one way in, which is what tcpdump's programs show.

// A pass is what libpcap's optimizer computes at the start of a pass
// and uses throughout it, even as edges move.
type pass struct {
	exit    []regs     // registers leaving each block
	oval    []uint32   // what each block's jump compares A with
	reached []bool     // reachable at the start of the pass
	level   []int      // 0 for returns, else 1 + the highest successor's
	order   []int      // reachable blocks in libpcap's level lists, lowest level first
	edom    [][2][]int // per block and branch, the edges that dominate it
	idom    []int      // immediate dominator of each block
	pre     []int      // preorder and postorder numbers in the dominator tree
	post    []int
	liveIn  []regSet // registers read before written from each block on
}

// maxEdoms bounds the dominating edges remembered per edge; the nearest
// are kept. Only huge programs come near it.
const maxEdoms = 256

// edgeID numbers an edge as blk*2+br.
func edgeID(s slot) int  { return s.blk*2 + s.br }
func edgeOf(id int) slot { return slot{id / 2, id % 2} }

// analyze computes a pass's knowledge.
func (o *optimizer) analyze() *pass {
	n := len(o.blocks)
	in, reached := o.entries()
	ps := &pass{exit: make([]regs, n), oval: make([]uint32, n), reached: reached}
	for i, b := range o.blocks {
		ps.exit[i] = in[i]
		o.apply(&ps.exit[i], b)
		switch {
		case b.jmp&srcX != 0:
			ps.oval[i] = ps.exit[i].x
		case b.opaqueK:
			ps.oval[i] = o.vn(vnKey{op: opaqueOp, k: b.k})
		default:
			ps.oval[i] = o.constant(b.k)
		}
	}
	ps.levels(o)
	ps.dominators(o)
	ps.numberDomTree()
	ps.liveIn = o.liveness()
	return ps
}

// levels computes levels and libpcap's level lists: a depth-first walk
// from the first block, true branch first, puts each block at the head
// of its level's list when it finishes.
func (ps *pass) levels(o *optimizer) {
	n := len(o.blocks)
	ps.level = make([]int, n)
	seen := make([]bool, n)
	var finished []int
	var walk func(int)
	walk = func(i int) {
		if seen[i] {
			return
		}
		seen[i] = true
		b := o.blocks[i]
		for br := range b.edges() {
			walk(b.succ[br])
			ps.level[i] = max(ps.level[i], ps.level[b.succ[br]]+1)
		}
		finished = append(finished, i)
	}
	walk(0)
	ps.order = make([]int, 0, len(finished))
	for k := len(finished) - 1; k >= 0; k-- {
		ps.order = append(ps.order, finished[k])
	}
	sort.SliceStable(ps.order, func(a, b int) bool { return ps.level[ps.order[a]] < ps.level[ps.order[b]] })
}

// dominators computes the edges dominating each edge and the blocks
// dominating each block.
func (ps *pass) dominators(o *optimizer) {
	n := len(o.blocks)
	ps.edom = make([][2][]int, n)
	ps.idom = make([]int, n)
	inDom := make([][]int, n)
	started := make([]bool, n)
	for i := range ps.idom {
		ps.idom[i] = -1
	}
	ps.idom[0], started[0] = 0, true
	for i, b := range o.blocks {
		if !ps.reached[i] {
			continue
		}
		for br := range b.edges() {
			ids := append(append([]int(nil), inDom[i]...), edgeID(slot{i, br}))
			if len(ids) > maxEdoms {
				ids = ids[len(ids)-maxEdoms:]
			}
			ps.edom[i][br] = ids
			s := b.succ[br]
			if !started[s] {
				inDom[s], started[s], ps.idom[s] = ids, true, i
				continue
			}
			inDom[s] = intersect(inDom[s], ids)
			ps.idom[s] = ps.meetDom(ps.idom[s], i)
		}
	}
}

// intersect returns the ids in both sorted lists.
func intersect(a, b []int) []int {
	var out []int
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			out = append(out, a[i])
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return out
}

// meetDom is the nearest common dominator of blocks a and b.
func (ps *pass) meetDom(a, b int) int {
	for a != b {
		for a > b {
			a = ps.idom[a]
		}
		for b > a {
			b = ps.idom[b]
		}
	}
	return a
}

// dominates reports whether every path to d went through b at the
// pass's start.
func (ps *pass) dominates(b, d int) bool {
	return ps.idom[b] >= 0 && ps.idom[d] >= 0 && ps.pre[b] <= ps.pre[d] && ps.post[d] <= ps.post[b]
}

// numberDomTree numbers the dominator tree so that dominates is a
// comparison of intervals.
func (ps *pass) numberDomTree() {
	n := len(ps.idom)
	children := make([][]int, n)
	for i := 1; i < n; i++ {
		if ps.idom[i] >= 0 {
			children[ps.idom[i]] = append(children[ps.idom[i]], i)
		}
	}
	ps.pre, ps.post = make([]int, n), make([]int, n)
	clock := 0
	type frame struct{ node, next int }
	stack := []frame{{0, 0}}
	ps.pre[0] = clock
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(children[top.node]) {
			c := children[top.node][top.next]
			top.next++
			clock++
			ps.pre[c] = clock
			stack = append(stack, frame{c, 0})
			continue
		}
		clock++
		ps.post[top.node] = clock
		stack = stack[:len(stack)-1]
	}
}

// threadAll runs opt_j on every edge, blocks by level from the returns
// up; it reports whether any edge moved.
func (o *optimizer) threadAll(ps *pass) bool {
	changed := false
	for _, i := range ps.order {
		if ps.level[i] == 0 {
			continue
		}
		for br := range o.blocks[i].edges() {
			if o.optJ(ps, slot{i, br}) {
				changed = true
			}
		}
	}
	return changed
}

// optJ moves edge e past blocks whose way out is decided.
func (o *optimizer) optJ(ps *pass, e slot) bool {
	changed := false
	succ := o.blocks[o.get(e)]
	if succ.term == termRet {
		return false
	}
	if succ.meets() && !ps.conflict(o, e.blk, succ.succ[0]) {
		o.set(e, succ.succ[0])
		changed = true
	}
top:
	for _, d := range ps.edom[e.blk][e.br] {
		target := o.foldEdge(ps, o.get(e), edgeOf(d))
		if target < 0 || ps.conflict(o, e.blk, target) {
			continue
		}
		o.set(e, target)
		changed = true
		if o.blocks[target].term != termRet {
			goto top
		}
		return changed
	}
	return changed
}

// foldEdge is where child leads if dominating edge d decided its jump,
// or -1 (libpcap's fold_edge).
func (o *optimizer) foldEdge(ps *pass, child int, d slot) int {
	c, p := o.blocks[child], o.blocks[d.blk]
	if c.term != termCond || p.term != termCond || c.jmp != p.jmp || ps.exit[child].a != ps.exit[d.blk].a {
		return -1
	}
	if ps.oval[child] == ps.oval[d.blk] {
		return c.succ[d.br]
	}
	if d.br == 0 && c.jmp == jJEQ && c.k != p.k {
		// A equals p.k, so not c.k. libpcap needs only distinct value
		// numbers here, as its constants have one each; a constant
		// folded from arithmetic has one of its own while threading
		// (opaqueOp), so the numbers are compared instead.
		return c.succ[1]
	}
	return -1
}

// conflict reports whether a register read after target would hold
// another value if the edge from pred went there directly (libpcap's
// use_conflict, with its values from the pass's start).
func (ps *pass) conflict(o *optimizer, pred, target int) bool {
	var use regSet
	for br := range o.blocks[target].edges() {
		use |= ps.liveIn[o.blocks[target].succ[br]]
	}
	a, b := &ps.exit[pred], &ps.exit[target]
	if use.has(regA) && a.a != b.a || use.has(regX) && a.x != b.x {
		return true
	}
	for i := range a.mem {
		if use.has(regMem+i) && a.mem[i] != b.mem[i] {
			return true
		}
	}
	return false
}
