package luagen

import (
	"fmt"
	"strings"
)

// exprOf writes an expression of kind k.
func (g *gen) exprOf(k kind, depth int) string {
	switch k {
	case str:
		return g.strExpr(depth)
	case boo:
		return fmt.Sprintf("(%s)", g.compare(depth))
	case opt:
		if g.chance(3) {
			return "nil"
		}
		if v, ok := g.anyVar(opt, false); ok && g.chance(2) {
			return v.name
		}
	}
	return g.numExpr(depth)
}

// anyExpr writes an expression of any kind, for print.
func (g *gen) anyExpr(depth int) string {
	switch g.r.IntN(5) {
	case 0:
		return g.strExpr(depth)
	case 1:
		return g.cond(depth)
	case 2:
		if v, ok := g.anyVar(opt, false); ok {
			return v.name
		}
	}
	return g.numExpr(depth)
}

// numLiterals are the constants numbers start from: small integers for
// the most part, and the values whose printing is easy to get wrong.
var numLiterals = []string{
	"0", "1", "2", "3", "5", "7", "10", "-1", "-3", "0.5", "2.25", "-0.75",
	"100", "1e15", "1e16", "2^53", "1791234567.1235", "1e-5", "3.14159265358979",
}

// numExpr writes an expression whose value is a number.
func (g *gen) numExpr(depth int) string {
	if depth <= 0 || g.chance(3) {
		return g.numLeaf()
	}
	d := depth - 1
	switch g.r.IntN(14) {
	case 0, 1:
		return fmt.Sprintf("(%s %s %s)", g.numExpr(d), g.pick("+", "-", "*"), g.numExpr(d))
	case 2:
		return fmt.Sprintf("(%s / %s)", g.numExpr(d), g.pick("2", "4", "3", "-8", "0"))
	case 3:
		return fmt.Sprintf("(%s %% %s)", g.numExpr(d), g.pick("2", "3", "-3", "0.5", "7"))
	case 4:
		return fmt.Sprintf("(- %s)", g.numExpr(d)) // the space: "--" starts a comment
	case 5:
		return fmt.Sprintf("(%s ^ %s)", g.numExpr(d), g.pick("2", "3", "0.5"))
	case 6:
		return fmt.Sprintf("(#%s)", g.pick("tab", "("+g.strExpr(d)+")"))
	case 7:
		return fmt.Sprintf("(tab[%d] or %s)", 1+g.r.IntN(7), g.numLeaf())
	case 8:
		return fmt.Sprintf("%s(%s)", g.pick("math.floor", "math.abs", "math.ceil"), g.numExpr(d))
	case 9:
		return fmt.Sprintf("%s(%s, %s)", g.pick("math.max", "math.min"), g.numExpr(d), g.numExpr(d))
	case 10:
		return fmt.Sprintf("cnt(%s)", g.args(d))
	case 11:
		return fmt.Sprintf("((%s) and %s or %s)", g.cond(d), g.numExpr(d), g.numExpr(d))
	case 12:
		if g.vararg && g.chance(2) { // the arguments are numbers: no nil in {...}
			return g.pick("cnt(...)", "((...) or 0)", "(select(2, ...) or 1)", "select('#', ...)", "(#{...})")
		}
		return fmt.Sprintf("(select(%d, va(%s, %s, %s)))", 1+g.r.IntN(3), g.numExpr(d), g.numExpr(d), g.numExpr(d))
	default:
		if f, ok := g.anyVar(fun, false); ok {
			args := make([]string, f.params+g.r.IntN(2))
			for i := range args {
				args[i] = g.numExpr(d)
			}
			return fmt.Sprintf("%s(%s)", f.name, strings.Join(args, ", "))
		}
		return g.numLeaf()
	}
}

// numLeaf writes a number literal or variable.
func (g *gen) numLeaf() string {
	if g.chance(2) {
		if v, ok := g.anyVar(num, false); ok {
			return v.name
		}
		if v, ok := g.anyVar(opt, false); ok {
			return fmt.Sprintf("(%s or %s)", v.name, g.pick(numLiterals...))
		}
	}
	return g.pick(numLiterals...)
}

// args writes zero to three arguments, some of them nil.
func (g *gen) args(depth int) string {
	args := make([]string, g.r.IntN(4))
	for i := range args {
		if g.chance(4) {
			args[i] = "nil"
		} else {
			args[i] = g.anyExpr(depth)
		}
	}
	return strings.Join(args, ", ")
}

var strLiterals = []string{`""`, `"a"`, `"ab"`, `"xyz"`, `"10"`, `"Lua"`, `"a b"`, `'q"t'`}

// strExpr writes an expression whose value is a string.
func (g *gen) strExpr(depth int) string {
	if depth <= 0 || g.chance(3) {
		if v, ok := g.anyVar(str, false); ok && g.chance(2) {
			return v.name
		}
		return g.pick(strLiterals...)
	}
	d := depth - 1
	switch g.r.IntN(8) {
	case 0, 1:
		return fmt.Sprintf("(%s .. %s)", g.strOrNum(d), g.strOrNum(d))
	case 2:
		return fmt.Sprintf("tostring(%s)", g.numExpr(d))
	case 3:
		return fmt.Sprintf("string.rep(%s, %d)", g.strExpr(d), g.r.IntN(4))
	case 4:
		return fmt.Sprintf("(%s):sub(%d, %d)", g.strExpr(d), g.r.IntN(5)-2, g.r.IntN(6)-2)
	case 5:
		return fmt.Sprintf("(%s):%s()", g.strExpr(d), g.pick("upper", "lower", "reverse"))
	case 6:
		return g.format(d)
	default:
		return fmt.Sprintf("((%s) and %s or %s)", g.cond(d), g.strExpr(d), g.strExpr(d))
	}
}

func (g *gen) strOrNum(depth int) string {
	if g.chance(2) {
		return g.numExpr(depth)
	}
	return g.strExpr(depth)
}

// format writes a string.format call with a spec Lua 5.1 accepts.
func (g *gen) format(depth int) string {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("string.format(%q, %s)", g.pick("%g", "%.3g", "%5.2f", "%e", "%.14g", "%10.4f"), g.numExpr(depth))
	case 1:
		return fmt.Sprintf("string.format(%q, %s)", g.pick("%d", "%5d", "%-4d|", "%x", "%03d"), g.intExpr(depth))
	case 2:
		return fmt.Sprintf("string.format(%q, %s)", g.pick("%s", "%q", "%5s", "%-3s|", "%.2s"), g.strExpr(depth))
	default:
		return fmt.Sprintf("string.format('%%s=%%s', %s, %s)", g.strExpr(depth), g.numExpr(depth))
	}
}

// intExpr writes an expression whose value is a small integer, for the
// integer conversions of string.format (C leaves others undefined).
func (g *gen) intExpr(depth int) string {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("#(%s)", g.strExpr(depth))
	case 1:
		return fmt.Sprintf("cnt(%s)", g.args(depth))
	case 2:
		return "#tab"
	default:
		return g.pick("0", "7", "-1", "255", "-42", "3.7", "-2.5")
	}
}

// compare writes a comparison, whose value is a boolean.
func (g *gen) compare(depth int) string {
	if g.chance(3) {
		return fmt.Sprintf("%s %s %s", g.strExpr(depth), g.pick("==", "~=", "<", "<="), g.strExpr(depth))
	}
	return fmt.Sprintf("%s %s %s", g.numExpr(depth), g.pick("==", "~=", "<", "<=", ">", ">="), g.numExpr(depth))
}

// cond writes a condition: a comparison, a constant, a variable of any
// kind, or a combination of them with and, or and not.
func (g *gen) cond(depth int) string {
	if depth <= 0 || g.chance(3) {
		switch g.r.IntN(5) {
		case 0:
			return g.pick("true", "false", "nil", "1", "0", `"s"`)
		case 1:
			if v, ok := g.anyVar(boo, false); ok {
				return v.name
			}
		case 2:
			if v, ok := g.anyVar(opt, false); ok {
				return g.pick(v.name, v.name+" == nil", v.name+" ~= nil")
			}
		case 3:
			return fmt.Sprintf("tab[%d]", 1+g.r.IntN(7))
		}
		return g.compare(0)
	}
	d := depth - 1
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("not (%s)", g.cond(d))
	case 1:
		return fmt.Sprintf("(%s) and (%s)", g.cond(d), g.cond(d))
	case 2:
		return fmt.Sprintf("(%s) or (%s)", g.cond(d), g.cond(d))
	default:
		return g.compare(d)
	}
}

// closureExpr is the body of a closure stored in fs and called at the end
// of the program, after the variables it captured have changed.
func (g *gen) closureExpr() string { return g.numExpr(2) }
