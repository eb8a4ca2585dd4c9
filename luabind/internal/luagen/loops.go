package luagen

import (
	"fmt"
	"strings"
)

func (g *gen) ifStmt(depth int) {
	g.line("if %s then", g.cond(3))
	g.block(depth - 1)
	for n := g.r.IntN(3); n > 0; n-- {
		g.line("elseif %s then", g.cond(3))
		g.block(depth - 1)
	}
	if g.chance(2) {
		g.line("else")
		g.block(depth - 1)
	}
	g.line("end")
}

// loopBody writes the body of a loop: breaks in it leave that loop.
func (g *gen) loopBody(depth int, guard string) {
	saved := g.loop
	g.loop = true
	g.scope(func() {
		if guard != "" {
			g.line("%s", guard)
		}
		g.stmts(depth - 1)
	})
	g.loop = saved
}

// guard declares a counter that bounds a while or repeat loop; random
// statements never assign it.
func (g *gen) guard() string {
	name := g.fresh(num)
	g.vars[len(g.vars)-1].fixed = true
	g.line("local %s = 0", name)
	return name
}

func (g *gen) whileStmt(depth int) {
	w := g.guard()
	limit := 1 + g.r.IntN(4)
	if g.chance(2) {
		g.line("while %s < %d and (%s) do", w, limit, g.cond(2))
		g.loopBody(depth, fmt.Sprintf("%s = %s + 1", w, w))
	} else {
		g.line("while %s do", g.cond(2))
		g.loopBody(depth, fmt.Sprintf("%s = %s + 1 if %s > %d then break end", w, w, w, limit))
	}
	g.line("end")
}

// repeatStmt writes a repeat loop whose condition may read the locals of
// its body, which are in scope there.
func (g *gen) repeatStmt(depth int) {
	r := g.guard()
	g.line("repeat")
	saved := g.loop
	g.loop = true
	g.scope(func() {
		g.line("%s = %s + 1", r, r)
		g.stmts(depth - 1)
		g.indent--
		g.line("until %s >= %d or (%s)", r, 1+g.r.IntN(4), g.cond(2))
		g.indent++
	})
	g.loop = saved
}

func (g *gen) numFor(depth int) {
	var head string
	switch g.r.IntN(4) {
	case 0:
		head = fmt.Sprintf("%d, %d", g.r.IntN(3), g.r.IntN(5))
	case 1:
		head = fmt.Sprintf("1, math.min(%s, 4)", g.numExpr(2))
	case 2:
		head = fmt.Sprintf("3, math.max(%s, -2), -1", g.numExpr(2))
	default:
		head = g.pick("0, 2, 0.5", "2, 0, -0.5", "1, 3, 2", "5, 1, -2")
	}
	n := len(g.vars)
	g.line("for %s = %s do", g.fresh(num), head)
	g.loopBody(depth, "")
	g.line("end")
	g.vars = g.vars[:n]
}

// genFor writes a generic for over a literal array, a single-key table, a
// closure iterator or the iterator of a call's result.
func (g *gen) genFor(depth int) {
	var names []kind
	var explist string
	switch g.r.IntN(5) {
	case 0:
		names, explist = []kind{num, num}, fmt.Sprintf("ipairs({%s, %s, %s})", g.numExpr(1), g.numExpr(1), g.numExpr(1))
	case 1:
		names, explist = []kind{str, num}, fmt.Sprintf("pairs({k = %s})", g.numExpr(1))
	case 2:
		names, explist = []kind{num}, fmt.Sprintf("range(%d)", g.r.IntN(4))
	case 3:
		names, explist = []kind{num}, fmt.Sprintf("mk().it(%d)", g.r.IntN(4))
	default:
		names, explist = []kind{num, num}, fmt.Sprintf("next, {%s, %s}", g.numExpr(1), g.numExpr(1))
	}
	n := len(g.vars)
	var vs []string
	for _, k := range names {
		vs = append(vs, g.fresh(k))
	}
	g.line("for %s in %s do", strings.Join(vs, ", "), explist)
	g.loopBody(depth, "")
	g.line("end")
	g.vars = g.vars[:n]
}
