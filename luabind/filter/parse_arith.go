package filter

// Arithmetic: "ip[0] & 0xf0 = 0x40", "tcp[(tcp[12] >> 4) * 4] = 0x47".
//
// Operators group as libpcap's yacc grammar makes them: | below & below
// << >> below + - below * /, unary minus above all, all grouping to the
// left. % and ^ have no precedence there, so yacc shifts on them: they
// take everything to their right ("a % b + c" is "a % (b + c)") and bind
// inside any operator before them ("a * b % c" is "a * (b % c)").

// arithItem parses arithmetic, continuing after first when given, and
// then a comparison if one follows. Arithmetic without a comparison is a
// kPnum (a number alone, which may be a value) or a kNarth.
func (p *parser) arithItem(first *item) item {
	a, plain := p.arith(first)
	if op := p.peek(); isRelop(op.kind) {
		p.next()
		r, _ := p.arith(nil)
		p.q = qualNone
		return item{kind: kTerm, n: &relNode{op: op.kind, l: a, r: r, at: op.pos}}
	}
	if plain {
		return item{kind: kPnum, a: a}
	}
	return item{kind: kNarth, a: a}
}

func isRelop(k tokKind) bool { return k >= tEq && k <= tGeq }

// opPrec is the yacc precedence of the binary operators; 0 is none.
var opPrec = map[tokKind]int{
	tPipe: 1, tAmp: 2, tLsh: 3, tRsh: 3, tPlus: 4, tMinus: 4, tStar: 5, tSlash: 5,
	tPercent: 0, tCaret: 0,
}

// precNeg is the precedence of unary minus.
const precNeg = 6

// arithOp is an operator waiting on the stack: binary, or unary minus.
type arithOp struct {
	tok   token
	unary bool
}

func (o arithOp) prec() int {
	if o.unary {
		return precNeg
	}
	return opPrec[o.tok.kind]
}

// arith parses an arithmetic expression with an operator-precedence
// stack, reducing as yacc would: only when both the operator on the stack
// and the one ahead have a precedence and the one on the stack binds at
// least as tight. plain reports a number alone, maybe in parentheses.
func (p *parser) arith(first *item) (a arith, plain bool) {
	var vals []arith
	var ops []arithOp
	if first != nil {
		vals, plain = append(vals, first.a), first.kind == kPnum
	} else {
		plain = p.arithOperand(&vals, &ops)
	}
	for {
		t := p.peek()
		if _, binary := opPrec[t.kind]; !binary {
			break
		}
		p.next()
		look := opPrec[t.kind]
		for len(ops) > 0 && ops[len(ops)-1].prec() > 0 && look > 0 && ops[len(ops)-1].prec() >= look {
			vals, ops = reduceArith(vals, ops)
		}
		ops = append(ops, arithOp{tok: t})
		p.arithOperand(&vals, &ops)
		plain = false
	}
	for len(ops) > 0 {
		vals, ops = reduceArith(vals, ops)
	}
	return vals[0], plain
}

// reduceArith applies the operator on top of the stack.
func reduceArith(vals []arith, ops []arithOp) ([]arith, []arithOp) {
	op := ops[len(ops)-1]
	ops = ops[:len(ops)-1]
	if op.unary {
		vals[len(vals)-1] = &negArith{x: vals[len(vals)-1]}
		return vals, ops
	}
	l, r := vals[len(vals)-2], vals[len(vals)-1]
	return append(vals[:len(vals)-2], &binArith{op: op.tok, l: l, r: r}), ops
}

// arithOperand parses unary minuses and one primary onto the stacks;
// it reports whether the primary was a plain number.
func (p *parser) arithOperand(vals *[]arith, ops *[]arithOp) (plain bool) {
	neg := false
	for p.at(tMinus) {
		*ops = append(*ops, arithOp{tok: p.next(), unary: true})
		neg = true
	}
	a, plain := p.arithPrimary()
	*vals = append(*vals, a)
	return plain && !neg
}

// arithPrimary parses a number, len, a byte access or parenthesised
// arithmetic.
func (p *parser) arithPrimary() (arith, bool) {
	t := p.peek()
	switch t.kind {
	case tNum:
		return &numArith{tok: p.next()}, true
	case tLen:
		p.next()
		return &lenArith{}, false
	case tLParen:
		p.next()
		a, plain := p.arith(nil)
		p.expect(tRParen, "')'")
		return a, plain
	case tPname:
		if p.peekAt(1).kind == tLBrack {
			return p.load(), false
		}
	}
	p.fail(t, "expected a number, 'len' or a byte access such as ip[9], got %s", t.quoted())
	return nil, false
}

// load parses "proto[index]" or "proto[index:size]".
func (p *parser) load() arith {
	t := p.next()
	p.next() // '['
	index, _ := p.arith(nil)
	size := uint32(1)
	if p.at(tColon) {
		p.next()
		n := p.expect(tNum, "a size (1, 2 or 4) after ':'")
		if n.num != 1 && n.num != 2 && n.num != 4 {
			p.fail(n, "data size must be 1, 2, or 4")
		}
		size = n.num
	}
	p.expect(tRBrack, "']'")
	return &loadArith{proto: proto(t.num), tok: t, index: index, size: size}
}
