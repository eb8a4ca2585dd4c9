package filter

import "sort"

// Pull-ups reorder a chain of comparisons joined by "or" (or by "and")
// so that those of the same value come together, as libpcap's or_pullup
// and and_pullup do: "port 80 or 12345" tests the source port against
// both before loading the destination port. The outcome is the same,
// except on a frame that ends between the two fields, where tcpdump's
// order decides; so netlua keeps tcpdump's order.

// slot is one edge of the block graph: branch br of block blk.
type slot struct{ blk, br int }

func (o *optimizer) get(s slot) int     { return o.blocks[s.blk].succ[s.br] }
func (o *optimizer) set(s slot, to int) { o.blocks[s.blk].succ[s.br] = to }
func (o *optimizer) cond(i int) bool    { return o.blocks[i].term == termCond }

// same reports whether blocks i and j go the same way on branch br.
func (o *optimizer) same(i, j, br int) bool { return o.blocks[i].succ[br] == o.blocks[j].succ[br] }

// pullUps runs or_pullup and and_pullup on every block, by level from
// the returns up, with the in-edges found after threading and otherwise
// what the pass knew at its start; it reports a change.
func (o *optimizer) pullUps(ps *pass) bool {
	in := make([][]slot, len(o.blocks))
	for _, i := range ps.order {
		for br := range o.blocks[i].edges() {
			s := o.blocks[i].succ[br]
			in[s] = append(in[s], slot{i, br})
		}
	}
	changed := false
	for _, b := range ps.order {
		if ps.level[b] == 0 {
			continue
		}
		for _, br := range []int{1, 0} {
			if o.pullUp(ps, in[b], b, br) {
				changed = true
			}
		}
	}
	return changed
}

// pullUp is or_pullup (chain along the false branches, br 1) or
// and_pullup (along the true branches, br 0) at block b, with edges in:
// below b, down the chain, it finds the first block testing another
// value, then the next testing b's value again, and moves that one up
// before the other.
func (o *optimizer) pullUp(ps *pass, in []slot, b, br int) bool {
	var ins []slot
	for _, e := range in {
		if o.get(e) == b {
			ins = append(ins, e)
		}
	}
	if len(ins) == 0 || !o.cond(b) {
		return false
	}
	val := ps.exit[ins[0].blk].a
	for _, e := range ins[1:] {
		if ps.exit[e.blk].a != val {
			return false
		}
	}
	diff, moved, ok := o.walkChain(ps, b, ins[0], br, func(d int) bool { return ps.exit[d].a != val })
	if !ok {
		return false
	}
	same, _, ok := o.walkChain(ps, b, slot{o.get(diff), br}, br, func(s int) bool { return ps.exit[s].a == val })
	if !ok {
		return false
	}
	pull := o.get(same)
	if o.setsOffsets(o.get(diff), pull, br) {
		return false
	}
	o.set(same, o.blocks[pull].succ[br])
	o.blocks[pull].succ[br] = o.get(diff)
	if moved {
		o.set(diff, pull)
		return true
	}
	for _, e := range ins {
		o.set(e, pull) // at the top of the chain, every way into b
	}
	return true
}

// setsOffsets reports whether a block from first down branch br to pull,
// both included, sets a live program's offsets: moving pull up over it
// would change the offsets pull or the blocks it skips read. libpcap's
// or_pullup leaves this check undone ("the code generator will not
// produce such dependencies"), but its own live VLAN code has them.
func (o *optimizer) setsOffsets(first, pull, br int) bool {
	for d := first; ; d = o.blocks[d].succ[br] {
		if o.blocks[d].offsets {
			return true
		}
		if d == pull {
			return false
		}
	}
}

// walkChain follows branch br from edge e through blocks that go where b
// goes on the other branch and that b dominates, until one for which
// stop holds; it returns the edge into that block and whether it is
// another than e, or false if the chain ends first.
func (o *optimizer) walkChain(ps *pass, b int, e slot, br int, stop func(int) bool) (slot, bool, bool) {
	moved := false
	for {
		d := o.get(e)
		if !o.cond(d) || !o.same(d, b, 1-br) || !ps.dominates(b, d) {
			return e, moved, false
		}
		if stop(d) {
			return e, moved, true
		}
		e, moved = slot{d, br}, true
	}
}

// reorder renumbers the reachable blocks in an order where every edge
// goes forward (after a pull-up some go back), keeping the old order
// where it can; unreachable blocks go.
func (o *optimizer) reorder() {
	reach := o.reachable()
	indeg := make([]int, len(o.blocks))
	for i, b := range o.blocks {
		for br := range b.edges() {
			if reach[i] {
				indeg[b.succ[br]]++
			}
		}
	}
	var order []int
	ready := []int{0}
	for len(ready) > 0 {
		sort.Ints(ready)
		i := ready[0]
		ready = ready[1:]
		order = append(order, i)
		for br := range o.blocks[i].edges() {
			s := o.blocks[i].succ[br]
			if indeg[s]--; indeg[s] == 0 {
				ready = append(ready, s)
			}
		}
	}
	o.renumber(order)
}

// reachable marks the blocks reachable from the first.
func (o *optimizer) reachable() []bool {
	reach := make([]bool, len(o.blocks))
	stack := []int{0}
	reach[0] = true
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for br := range o.blocks[i].edges() {
			if s := o.blocks[i].succ[br]; !reach[s] {
				reach[s] = true
				stack = append(stack, s)
			}
		}
	}
	return reach
}

// renumber makes order the block order, dropping the others.
func (o *optimizer) renumber(order []int) {
	pos := make([]int, len(o.blocks))
	blocks := make([]*block, 0, len(order))
	for k, i := range order {
		pos[i] = k
		blocks = append(blocks, o.blocks[i])
	}
	for _, b := range blocks {
		for br := range b.edges() {
			b.succ[br] = pos[b.succ[br]]
		}
		if b.term == termJump {
			b.succ[1] = b.succ[0]
		}
	}
	o.blocks = blocks
}
