package luagen

import (
	"fmt"
	"strings"
)

// function declares a local function of numbers that expressions may
// call: it assigns only its own locals, so that the order in which an
// expression runs its calls cannot change what the expression reads.
func (g *gen) function(depth int) {
	g.names++
	name := fmt.Sprintf("f%d", g.names)
	fn, loop, pure, vararg := g.fn, g.loop, g.pure, g.vararg
	g.fn, g.loop, g.pure, g.vararg = fn+1, false, true, g.chance(3)
	n := len(g.vars)
	params := make([]string, g.r.IntN(3))
	for i := range params {
		params[i] = g.fresh(num)
	}
	list := params
	if g.vararg {
		list = append(list[:len(list):len(list)], "...")
	}
	g.line("local function %s(%s)", name, strings.Join(list, ", "))
	g.scope(func() {
		if !g.stmts(depth - 1) {
			g.line("return %s", g.numExpr(2))
		}
	})
	g.line("end")
	g.vars = g.vars[:n]
	g.fn, g.loop, g.pure, g.vararg = fn, loop, pure, vararg
	g.vars = append(g.vars, variable{name: name, kind: fun, fn: g.fn, params: len(params)})
}

// pcallStmt runs a block under pcall; it may raise an error half way, and
// only whether it did is printed (messages are another helper's work).
func (g *gen) pcallStmt(depth int) {
	g.line("print(%s, (pcall(function()", g.label())
	saved, vararg := g.loop, g.vararg
	g.fn++
	g.loop, g.vararg = false, false
	g.scope(func() {
		if !g.stmts(depth - 1) {
			g.line("if %s then error(%s) end", g.cond(2), g.pick("'boom'", "{}", "nil"))
			g.stmts(depth - 1)
		}
	})
	g.fn--
	g.loop, g.vararg = saved, vararg
	g.line("end)))")
}

// coroutineStmt runs a block as a coroutine that a generic for drives: its
// yields are the loop's values, and it ends with a bare return. Yields are
// only written in the block's own function, never under pcall (Lua 5.1
// cannot yield across it).
func (g *gen) coroutineStmt(depth int) {
	label := g.label()
	g.names++
	v := fmt.Sprintf("v%d", g.names)
	g.line("for %s in coroutine.wrap(function()", v)
	loop, vararg, coFn := g.loop, g.vararg, g.coFn
	g.fn++
	g.loop, g.vararg, g.coFn = false, false, g.fn
	g.scope(func() { g.stmts(depth - 1) })
	g.fn--
	g.loop, g.vararg, g.coFn = loop, vararg, coFn
	g.line("end) do print(%s, %s) end", label, v)
}
