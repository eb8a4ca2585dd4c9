package luagen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A kind is the static type of a variable: the generator only assigns a
// variable values of its kind, so that no operation meets a value it
// cannot handle.
type kind int

const (
	num kind = iota // always a number
	str             // always a string
	boo             // always a boolean
	opt             // a number or nil
	fun             // a local function returning a number, never assigned
)

// A variable is a local the program can name where it is written.
type variable struct {
	name   string
	kind   kind
	fn     int  // the function nesting level that declared it
	fixed  bool // a loop guard: never assigned by a random statement
	params int  // for fun: how many numbers it takes
}

// gen writes one program.
type gen struct {
	r      *rand.Rand
	out    strings.Builder
	indent int
	vars   []variable // in scope, innermost last
	names  int        // fresh-name counter
	labels int        // trace-label counter
	fn     int        // function nesting level of the code being written
	loop   bool       // a break here leaves a loop of the current function
	vararg bool       // the current function takes ...
	coFn   int        // the function level of the innermost coroutine body, or -1
	pure   bool       // in a function that expressions call: assign only its own locals
	budget int        // statements left to write
}

// prelude is the fixed start of every program: the objects statements and
// expressions use besides their own locals.
const prelude = `local fs = {}
local tab = {3, 1, 4, 1, 5}
local o = {n = 0}
function o:add(x) self.n = self.n + x return self.n end
local function range(n)
  local i = 0
  return function() i = i + 1 if i <= n then return i end end
end
local function mk() return {it = range} end
local function va(...) return ... end
local function cnt(...) return select('#', ...) end
`

// Program returns the program for seed: the same seed gives the same
// program.
func Program(seed uint64) string {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x6e65746c7561)), budget: 40, coFn: -1}
	g.out.WriteString(prelude)
	for g.budget > 0 {
		g.stmt(3)
	}
	g.line("for i, f in ipairs(fs) do print('F', i, f()) end")
	g.line("print('T', #tab, table.concat(tab, ' '), o.n)")
	g.printVars()
	return g.out.String()
}

// line writes one line at the current indentation.
func (g *gen) line(format string, args ...any) {
	g.out.WriteString(strings.Repeat("  ", g.indent))
	fmt.Fprintf(&g.out, format, args...)
	g.out.WriteByte('\n')
}

func (g *gen) chance(n int) bool { return g.r.IntN(n) == 0 }

func (g *gen) pick(options ...string) string { return options[g.r.IntN(len(options))] }

// fresh declares a new local of kind k and returns its name. The caller
// writes the declaration.
func (g *gen) fresh(k kind) string {
	g.names++
	name := fmt.Sprintf("v%d", g.names)
	g.vars = append(g.vars, variable{name: name, kind: k, fn: g.fn})
	return name
}

func (g *gen) label() string {
	g.labels++
	return fmt.Sprintf("'L%d'", g.labels)
}

// scope runs body in a new block scope: the locals it declares go out of
// scope when it returns.
func (g *gen) scope(body func()) {
	n := len(g.vars)
	g.indent++
	body()
	g.indent--
	g.vars = g.vars[:n]
}

// block writes up to a few statements.
func (g *gen) block(depth int) {
	g.scope(func() { g.stmts(depth) })
}

// stmts writes up to a few statements and reports whether the last one
// was a break or return, which must end its block.
func (g *gen) stmts(depth int) bool {
	for n := 1 + g.r.IntN(4); n > 0 && g.budget > 0; n-- {
		if g.stmt(depth) {
			return true
		}
	}
	return false
}

// find returns the variables of kind k in scope, assignable ones only when
// assign is set.
func (g *gen) find(k kind, assign bool) []variable {
	var vs []variable
	for _, v := range g.vars {
		if v.kind != k || assign && (v.fixed || g.pure && v.fn != g.fn) {
			continue
		}
		vs = append(vs, v)
	}
	return vs
}

func (g *gen) anyVar(k kind, assign bool) (variable, bool) {
	vs := g.find(k, assign)
	if len(vs) == 0 {
		return variable{}, false
	}
	return vs[g.r.IntN(len(vs))], true
}

// stmt writes one statement and reports whether it ended its block.
func (g *gen) stmt(depth int) bool {
	g.budget--
	if depth <= 0 {
		depth = 0
	}
	switch n := g.r.IntN(24); {
	case n < 3:
		g.local()
	case n < 6:
		g.assign()
	case n < 9:
		g.print()
	case n < 11 && depth > 0:
		g.ifStmt(depth)
	case n < 12 && depth > 0:
		g.whileStmt(depth)
	case n < 13 && depth > 0:
		g.repeatStmt(depth)
	case n < 14 && depth > 0:
		g.numFor(depth)
	case n < 15 && depth > 0:
		g.genFor(depth)
	case n < 16 && depth > 0:
		g.line("do")
		g.block(depth - 1)
		g.line("end")
	case n < 17 && depth > 0 && g.fn < 2:
		g.function(depth)
	case n < 18 && depth > 0 && !g.pure:
		g.pcallStmt(depth)
	case n < 19 && g.loop && !g.pure:
		g.line("fs[#fs + 1] = function() return %s end", g.closureExpr())
	case n < 20 && !g.pure:
		g.line("o:add(%s)", g.numExpr(2))
	case n < 21 && g.loop:
		return g.leave("break")
	case n < 22 && g.fn == g.coFn:
		return g.leave("return") // a value would be one more for the loop, then a dead coroutine
	case n < 22 && g.fn > 0:
		return g.leave("return " + g.numExpr(2))
	case n < 23 && depth > 0 && g.fn < 2 && !g.pure:
		g.coroutineStmt(depth)
	case n < 24 && g.fn == g.coFn:
		g.line("coroutine.yield(%s)", g.numExpr(2))
	default:
		g.print()
	}
	return false
}

// leave writes a break or return: alone at the end of the block, or under
// a condition.
func (g *gen) leave(stmt string) bool {
	if g.chance(3) {
		g.line("%s", stmt)
		return true
	}
	g.line("if %s then %s end", g.cond(2), stmt)
	return false
}

// local declares one to three locals, sometimes from fewer or more values
// than names, or from a vararg call.
func (g *gen) local() {
	switch g.r.IntN(5) {
	case 0: // more names than values: the rest are nil
		e := g.numExpr(2)
		a, b := g.fresh(num), g.fresh(opt)
		g.line("local %s, %s = %s", a, b, e)
	case 1: // from a vararg call, with a nil in the middle
		e1, e2 := g.numExpr(2), g.numExpr(2)
		a, b, c := g.fresh(num), g.fresh(opt), g.fresh(num)
		g.line("local %s, %s, %s = va(%s, nil, %s)", a, b, c, e1, e2)
	case 2: // more values than names: the rest are evaluated and dropped
		e1, e2, e3 := g.numExpr(2), g.strExpr(2), g.numExpr(2)
		a, b := g.fresh(num), g.fresh(str)
		g.line("local %s, %s = %s, %s, %s", a, b, e1, e2, e3)
	case 3:
		e := g.cond(2)
		g.line("local %s = not not (%s)", g.fresh(boo), e)
	default:
		k := []kind{num, num, str, opt}[g.r.IntN(4)]
		e := g.exprOf(k, 3)
		g.line("local %s = %s", g.fresh(k), e)
	}
}

// assign writes a single, multiple or swapping assignment.
func (g *gen) assign() {
	k := []kind{num, num, str, boo, opt}[g.r.IntN(5)]
	a, ok := g.anyVar(k, true)
	if !ok {
		g.local()
		return
	}
	b, ok := g.anyVar(k, true)
	switch {
	case ok && b.name != a.name && g.chance(3):
		g.line("%s, %s = %s, %s", a.name, b.name, b.name, a.name)
	case ok && b.name != a.name && g.chance(2):
		g.line("%s, %s = %s, %s", a.name, b.name, g.assigned(k, 2), g.assigned(k, 2))
	case !g.pure && g.chance(4):
		g.line("tab[%d] = %s", 1+g.r.IntN(6), g.numExpr(2))
	default:
		g.line("%s = %s", a.name, g.assigned(k, 3))
	}
}

// assigned is a value for a variable of kind k. A string is cut to 40
// bytes: one that includes itself, assigned in nested loops, grows
// exponentially.
func (g *gen) assigned(k kind, depth int) string {
	if k == str {
		return fmt.Sprintf("(%s):sub(1, 40)", g.strExpr(depth))
	}
	return g.exprOf(k, depth)
}

// print writes a trace line of a few expressions of any kind.
func (g *gen) print() {
	args := []string{g.label()}
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		args = append(args, g.anyExpr(2))
	}
	switch {
	case g.vararg && g.chance(4):
		args = append(args, "...")
	case g.chance(5):
		args = append(args, fmt.Sprintf("va(%s, %s)", g.numExpr(1), g.strExpr(1)))
	}
	g.line("print(%s)", strings.Join(args, ", "))
}

// printVars prints every variable in scope at the end of the program.
func (g *gen) printVars() {
	args := []string{"'V'"}
	for _, v := range g.vars {
		if v.kind != fun {
			args = append(args, v.name)
		}
	}
	g.line("print(%s)", strings.Join(args, ", "))
}
