package parse

// Expressions, parsed as lparser.c does (subexpr climbs operator
// priorities in a loop), into parser.go.y's nodes: a binary operation has
// its left operand's line, a unary one its operand's.

import "github.com/yuin/gopher-lua/ast"

// expKind is what an expression is, as far as the grammar cares.
type expKind int

const (
	kindOther expKind = iota
	kindVar           // a name or an indexed value: assignable
	kindCall          // a function call: a statement by itself
	kindParen         // a parenthesised expression
)

// binaryPriority is lparser.c's priority table: the left and right
// priority of a binary operator token, ok false for other tokens.
func binaryPriority(kind int) (left, right int, ok bool) {
	switch kind {
	case '+', '-':
		return 6, 6, true
	case '*', '/', '%':
		return 7, 7, true
	case '^':
		return 10, 9, true // right associative
	case tokConcat:
		return 5, 4, true // right associative
	case tokEq, tokNe, '<', tokLe, '>', tokGe:
		return 3, 3, true
	case tokAnd:
		return 2, 2, true
	case tokOr:
		return 1, 1, true
	}
	return 0, 0, false
}

func (p *parser) expr() (ast.Expr, int) {
	e, h, _ := p.subexpr(0)
	return e, h
}

// subexpr parses (simpleexp | unop subexpr) { binop subexpr } while the
// binary operators bind tighter than limit.
func (p *parser) subexpr(limit int) (ast.Expr, int, expKind) {
	p.enterLevel()
	var e ast.Expr
	var h int
	kind := kindOther
	if op := p.lx.t.kind; op == tokNot || op == '-' || op == '#' {
		p.lx.next()
		operand, oh, _ := p.subexpr(unaryPriority)
		e, h = unary(op, operand), p.height(oh+1)
	} else {
		e, h, kind = p.simpleExp()
	}
	for {
		op := p.lx.t.kind
		left, right, ok := binaryPriority(op)
		if !ok || left <= limit {
			break
		}
		p.lx.next()
		rhs, rh, _ := p.subexpr(right)
		e, h, kind = binary(op, e, rhs), p.height(max(h, rh)+1), kindOther
	}
	p.leaveLevel()
	return e, h, kind
}

func unary(op int, operand ast.Expr) ast.Expr {
	var e ast.Expr
	switch op {
	case tokNot:
		e = &ast.UnaryNotOpExpr{Expr: operand}
	case '-':
		e = &ast.UnaryMinusOpExpr{Expr: operand}
	default:
		e = &ast.UnaryLenOpExpr{Expr: operand}
	}
	e.SetLine(operand.Line())
	return e
}

func binary(op int, lhs, rhs ast.Expr) ast.Expr {
	var e ast.Expr
	switch op {
	case tokConcat:
		e = &ast.StringConcatOpExpr{Lhs: lhs, Rhs: rhs}
	case tokAnd, tokOr:
		e = &ast.LogicalOpExpr{Lhs: lhs, Operator: tokenString(op), Rhs: rhs}
	case tokEq, tokNe, '<', tokLe, '>', tokGe:
		e = &ast.RelationalOpExpr{Lhs: lhs, Operator: tokenString(op), Rhs: rhs}
	default:
		e = &ast.ArithmeticOpExpr{Lhs: lhs, Operator: tokenString(op), Rhs: rhs}
	}
	e.SetLine(lhs.Line())
	return e
}

// simpleExp parses a literal, a constructor, a function or a primaryexp.
func (p *parser) simpleExp() (ast.Expr, int, expKind) {
	t := p.lx.t
	var e ast.Expr
	switch t.kind {
	case tokNumber:
		e = &ast.NumberExpr{Value: t.value}
	case tokString:
		e = &ast.StringExpr{Value: t.value}
	case tokNil:
		e = &ast.NilExpr{}
	case tokTrue:
		e = &ast.TrueExpr{}
	case tokFalse:
		e = &ast.FalseExpr{}
	case tokDots:
		if !p.fs.vararg {
			p.syntaxError("cannot use '...' outside a vararg function")
		}
		e = &ast.Comma3Expr{}
	case '{':
		e, h := p.constructor()
		return e, h, kindOther
	case tokFunction:
		p.lx.next()
		body, h := p.body(p.lx.line)
		fn := &ast.FunctionExpr{ParList: body.ParList, Stmts: body.Stmts}
		fn.SetLine(t.line)
		fn.SetLastLine(body.LastLine())
		return fn, h, kindOther
	default:
		return p.primaryExp()
	}
	e.SetLine(t.line)
	p.lx.next()
	return e, 1, kindOther
}

// body parses a function's ( parlist ) chunk end; line is where the
// function was defined.
func (p *parser) body(line int) (*ast.FunctionExpr, int) {
	fs := &funcState{prev: p.fs, line: line}
	p.fs = fs
	fn := &ast.FunctionExpr{}
	fn.SetLine(p.lx.t.line)
	p.checkNext('(')
	fn.ParList = p.parList()
	p.checkNext(')')
	var h int
	fn.Stmts, h = p.chunk()
	fn.SetLastLine(p.lx.t.line)
	p.checkMatch(tokEnd, tokFunction, line)
	p.fs = fs.prev
	return fn, p.height(h + 1)
}

func (p *parser) parList() *ast.ParList {
	pl := &ast.ParList{Names: []string{}}
	if p.lx.t.kind == ')' {
		return pl
	}
	for {
		switch p.lx.t.kind {
		case tokName:
			pl.Names = append(pl.Names, p.lx.t.value)
			p.lx.next()
		case tokDots:
			p.lx.next()
			pl.HasVargs = true
		default:
			p.syntaxError("<name> or '...' expected")
		}
		if pl.HasVargs || !p.testNext(',') {
			break
		}
	}
	p.fs.vararg = pl.HasVargs
	return pl
}

// prefixExp parses Name or ( expr ).
func (p *parser) prefixExp() (ast.Expr, int, expKind) {
	t := p.lx.t
	switch t.kind {
	case '(':
		line := p.lx.line
		p.lx.next()
		e, h, kind := p.subexpr(0)
		p.checkMatch(')', '(', line)
		// parser.go.y: ( call ) truncates the call's results and keeps its
		// line; ( expr ) takes the line of the parenthesis.
		if kind == kindCall {
			e.(*ast.FuncCallExpr).AdjustRet = true
		} else {
			if dots, ok := e.(*ast.Comma3Expr); ok {
				dots.AdjustRet = true
			}
			e.SetLine(t.line)
		}
		return e, h, kindParen
	case tokName:
		p.lx.next()
		e := &ast.IdentExpr{Value: t.value}
		e.SetLine(t.line)
		return e, 1, kindVar
	}
	p.syntaxError("unexpected symbol")
	return nil, 0, kindOther
}

// primaryExp parses prefixexp { . Name | [ expr ] | : Name args | args }.
// A chain of suffixes is a loop here but nests in the AST.
func (p *parser) primaryExp() (ast.Expr, int, expKind) {
	e, h, kind := p.prefixExp()
	for {
		var sh int
		switch p.lx.t.kind {
		case '.':
			p.lx.next()
			e = &ast.AttrGetExpr{Object: e, Key: p.nameKey()}
			kind, sh = kindVar, 1
		case '[':
			p.lx.next()
			var key ast.Expr
			key, sh = p.expr()
			p.checkNext(']')
			e = &ast.AttrGetExpr{Object: e, Key: key}
			kind = kindVar
		case ':':
			if p.lx.atLabel() {
				return e, h, kind // a label follows: a = b ::l::
			}
			p.lx.next()
			method := p.checkName().value
			var args []ast.Expr
			args, sh = p.funcArgs()
			e = &ast.FuncCallExpr{Method: method, Receiver: e, Args: args}
			kind = kindCall
		case '(', tokString, '{':
			var args []ast.Expr
			args, sh = p.funcArgs()
			e = &ast.FuncCallExpr{Func: e, Args: args}
			kind = kindCall
		default:
			return e, h, kind
		}
		e.SetLine(objectOf(e).Line())
		h = p.height(max(h, sh) + 1)
	}
}

// objectOf is the expression a suffix was applied to.
func objectOf(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.AttrGetExpr:
		return e.Object
	case *ast.FuncCallExpr:
		if e.Func != nil {
			return e.Func
		}
		return e.Receiver
	}
	return e
}

// nameKey takes a name used as a key (a.name, function a.name).
func (p *parser) nameKey() ast.Expr {
	t := p.checkName()
	key := &ast.StringExpr{Value: t.value}
	key.SetLine(t.line)
	return key
}

// funcArgs parses ( [explist] ), a constructor or a string.
func (p *parser) funcArgs() ([]ast.Expr, int) {
	t := p.lx.t
	switch t.kind {
	case '(':
		line := p.lx.line
		if line != p.lx.lastLine {
			p.syntaxError("ambiguous syntax (function call x new statement)")
		}
		p.lx.next()
		args, h := []ast.Expr{}, 0
		if p.lx.t.kind != ')' {
			args, h = p.exprList()
		}
		p.checkMatch(')', '(', line)
		return args, h
	case '{':
		e, h := p.constructor()
		return []ast.Expr{e}, h
	case tokString:
		p.lx.next()
		e := &ast.StringExpr{Value: t.value}
		e.SetLine(t.line)
		return []ast.Expr{e}, 1
	}
	p.syntaxError("function arguments expected")
	return nil, 0
}

// exprList parses expr { , expr }.
func (p *parser) exprList() ([]ast.Expr, int) {
	e, h := p.expr()
	list := []ast.Expr{e}
	for p.testNext(',') {
		var eh int
		e, eh = p.expr()
		list = append(list, e)
		h = max(h, eh)
	}
	return list, h
}

// constructor parses { [field {sep field} [sep]] }.
func (p *parser) constructor() (ast.Expr, int) {
	t := p.lx.t
	line := p.lx.line
	p.checkNext('{')
	fields := []*ast.Field{}
	h := 0
	for p.lx.t.kind != '}' {
		var f *ast.Field
		var fh int
		switch p.lx.t.kind {
		case tokName:
			p.lx.lookahead()
			if p.lx.ahead.kind == '=' {
				f, fh = p.recField()
			} else {
				f, fh = p.listField()
			}
		case '[':
			f, fh = p.recField()
		default:
			f, fh = p.listField()
		}
		fields = append(fields, f)
		h = max(h, fh)
		if !p.testNext(',') && !p.testNext(';') {
			break
		}
	}
	p.checkMatch('}', '{', line)
	e := &ast.TableExpr{Fields: fields}
	e.SetLine(t.line)
	return e, p.height(h + 1)
}

// recField parses Name = expr or [ expr ] = expr.
func (p *parser) recField() (*ast.Field, int) {
	f := &ast.Field{}
	h := 1
	if p.lx.t.kind == tokName {
		f.Key = p.nameKey()
	} else {
		p.lx.next()
		f.Key, h = p.expr()
		p.checkNext(']')
	}
	p.checkNext('=')
	var vh int
	f.Value, vh = p.expr()
	return f, max(h, vh)
}

func (p *parser) listField() (*ast.Field, int) {
	v, h := p.expr()
	return &ast.Field{Value: v}, h
}
