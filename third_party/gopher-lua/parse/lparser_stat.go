package parse

// Statements. Each parse function returns its node and the node's height
// (see maxDepth). The lines set on the nodes are those parser.go.y set: a
// statement's line is its first token's, its last line its end's.

import "github.com/yuin/gopher-lua/ast"

// statement parses one statement; last is set for return and break,
// which end a block.
func (p *parser) statement() (s ast.Stmt, h int, last bool) {
	line := p.lx.line // for "to close ... at line" messages
	switch p.lx.t.kind {
	case tokIf:
		s, h = p.ifStat(line)
	case tokWhile:
		s, h = p.whileStat(line)
	case tokDo:
		s, h = p.doStat(line)
	case tokFor:
		s, h = p.forStat(line)
	case tokRepeat:
		s, h = p.repeatStat(line)
	case tokFunction:
		s, h = p.funcStat(line)
	case tokLocal:
		first := p.lx.t.line
		p.lx.next()
		if p.testNext(tokFunction) {
			s, h = p.localFunc(first)
		} else {
			s, h = p.localStat(first)
		}
	case tokReturn:
		s, h = p.retStat()
		last = true
	case tokBreak:
		s, h = p.breakStat()
		last = true
	default:
		switch {
		case p.lx.atLabel():
			s, h = p.labelStat()
		case p.atGoto():
			s, h = p.gotoStat()
		default:
			s, h = p.exprStat()
		}
	}
	return s, p.height(h), last
}

func (p *parser) ifStat(line int) (ast.Stmt, int) {
	top := &ast.IfStmt{}
	top.SetLine(p.lx.t.line)
	last := top
	heights := []int{p.testThenBlock(top)}
	for p.lx.t.kind == tokElseif {
		n := &ast.IfStmt{}
		n.SetLine(p.lx.t.line)
		heights = append(heights, p.testThenBlock(n))
		last.Else, last = []ast.Stmt{n}, n
		p.height(len(heights)) // each elseif nests in the one before
	}
	if p.testNext(tokElse) {
		els, h := p.block()
		last.Else = els
		heights[len(heights)-1] = max(heights[len(heights)-1], h)
	}
	top.SetLastLine(p.lx.t.line)
	p.checkMatch(tokEnd, tokIf, line)
	h := 0
	for i := len(heights) - 1; i >= 0; i-- {
		h = p.height(max(h, heights[i]) + 1)
	}
	return top, h
}

// testThenBlock parses [if|elseif] cond then block into s and returns the
// height of its parts.
func (p *parser) testThenBlock(s *ast.IfStmt) int {
	p.lx.next()
	var ch, bh int
	s.Condition, ch = p.expr()
	p.checkNext(tokThen)
	s.Then, bh = p.block()
	return max(ch, bh)
}

func (p *parser) whileStat(line int) (ast.Stmt, int) {
	s := &ast.WhileStmt{}
	s.SetLine(p.lx.t.line)
	p.lx.next()
	var ch, bh int
	s.Condition, ch = p.expr()
	p.checkNext(tokDo)
	s.Stmts, bh = p.loopBlock()
	s.SetLastLine(p.lx.t.line)
	p.checkMatch(tokEnd, tokWhile, line)
	return s, max(ch, bh) + 1
}

func (p *parser) doStat(line int) (ast.Stmt, int) {
	s := &ast.DoBlockStmt{}
	s.SetLine(p.lx.t.line)
	p.lx.next()
	var h int
	s.Stmts, h = p.block()
	s.SetLastLine(p.lx.t.line)
	p.checkMatch(tokEnd, tokDo, line)
	return s, h + 1
}

func (p *parser) forStat(line int) (ast.Stmt, int) {
	first := p.lx.t.line
	p.lx.next()
	name := p.checkName()
	var s ast.Stmt
	var h int
	switch p.lx.t.kind {
	case '=':
		s, h = p.forNum(name.value)
	case ',', tokIn:
		s, h = p.forList(name.value)
	default:
		p.syntaxError("'=' or 'in' expected")
	}
	s.SetLine(first)
	s.SetLastLine(p.lx.t.line)
	p.checkMatch(tokEnd, tokFor, line)
	return s, h + 1
}

func (p *parser) forNum(name string) (ast.Stmt, int) {
	s := &ast.NumberForStmt{Name: name}
	p.lx.next() // =
	var h, eh int
	s.Init, h = p.expr()
	p.checkNext(',')
	s.Limit, eh = p.expr()
	h = max(h, eh)
	if p.testNext(',') {
		s.Step, eh = p.expr()
		h = max(h, eh)
	}
	p.checkNext(tokDo)
	s.Stmts, eh = p.loopBlock()
	return s, max(h, eh)
}

func (p *parser) forList(name string) (ast.Stmt, int) {
	s := &ast.GenericForStmt{Names: []string{name}}
	for p.testNext(',') {
		s.Names = append(s.Names, p.checkName().value)
	}
	p.checkNext(tokIn)
	var h, bh int
	s.Exprs, h = p.exprList()
	p.checkNext(tokDo)
	s.Stmts, bh = p.loopBlock()
	return s, max(h, bh)
}

func (p *parser) repeatStat(line int) (ast.Stmt, int) {
	s := &ast.RepeatStmt{}
	s.SetLine(p.lx.t.line)
	p.lx.next()
	p.fs.loops++
	var h, ch int
	s.Stmts, h = p.chunk()
	p.checkMatch(tokUntil, tokRepeat, line)
	s.Condition, ch = p.expr()
	p.fs.loops--
	s.SetLastLine(s.Condition.Line())
	return s, max(h, ch) + 1
}

func (p *parser) funcStat(line int) (ast.Stmt, int) {
	s := &ast.FuncDefStmt{}
	s.SetLine(p.lx.t.line)
	p.lx.next()
	var h, bh int
	s.Name, h = p.funcName()
	s.Func, bh = p.body(line)
	s.SetLastLine(s.Func.LastLine())
	return s, max(h, bh) + 1
}

// funcName parses Name {'.' Name} [':' Name].
func (p *parser) funcName() (*ast.FuncName, int) {
	t := p.checkName()
	var fn ast.Expr = &ast.IdentExpr{Value: t.value}
	fn.SetLine(t.line)
	h := 1
	for p.lx.t.kind == '.' {
		p.lx.next()
		key := p.nameKey()
		fn = &ast.AttrGetExpr{Object: fn, Key: key}
		fn.SetLine(key.Line())
		h = p.height(h + 1)
	}
	if p.testNext(':') {
		return &ast.FuncName{Receiver: fn, Method: p.checkName().value}, h
	}
	return &ast.FuncName{Func: fn}, h
}

func (p *parser) localFunc(first int) (ast.Stmt, int) {
	name := p.checkName()
	fn, h := p.body(p.lx.line)
	s := &ast.LocalAssignStmt{Names: []string{name.value}, Exprs: []ast.Expr{fn}}
	s.SetLine(first)
	s.SetLastLine(fn.LastLine())
	return s, h + 1
}

func (p *parser) localStat(first int) (ast.Stmt, int) {
	s := &ast.LocalAssignStmt{Exprs: []ast.Expr{}}
	s.SetLine(first)
	for {
		s.Names = append(s.Names, p.checkName().value)
		if !p.testNext(',') {
			break
		}
	}
	h := 0
	if p.testNext('=') {
		s.Exprs, h = p.exprList()
	}
	return s, h + 1
}

func (p *parser) retStat() (ast.Stmt, int) {
	s := &ast.ReturnStmt{}
	s.SetLine(p.lx.t.line)
	p.lx.next()
	h := 0
	if k := p.lx.t.kind; !blockFollow(k) && k != ';' {
		s.Exprs, h = p.exprList()
	}
	return s, h + 1
}

func (p *parser) breakStat() (ast.Stmt, int) {
	s := &ast.BreakStmt{}
	s.SetLine(p.lx.t.line)
	p.lx.next()
	if p.fs.loops == 0 {
		p.syntaxError("no loop to break")
	}
	return s, 1
}

// exprStat parses a call or an assignment.
func (p *parser) exprStat() (ast.Stmt, int) {
	e, h, kind := p.primaryExp()
	if kind == kindCall {
		s := &ast.FuncCallStmt{Expr: e}
		s.SetLine(e.Line())
		return s, h + 1
	}
	lhs := []ast.Expr{e}
	for {
		if kind != kindVar {
			p.syntaxError("syntax error")
		}
		if !p.testNext(',') {
			break
		}
		var eh int
		e, eh, kind = p.primaryExp()
		// lparser.c recurses once per variable and bounds them so.
		if limit := maxCCalls - p.level; len(lhs) > limit {
			p.errorLimit(limit, "variables in assignment")
		}
		lhs = append(lhs, e)
		h = max(h, eh)
	}
	p.checkNext('=')
	rhs, rh := p.exprList()
	s := &ast.AssignStmt{Lhs: lhs, Rhs: rhs}
	s.SetLine(lhs[0].Line())
	return s, max(h, rh) + 1
}

// labelStat parses gopher-lua's ::name:: (Lua 5.2's labels), which
// atLabel found.
func (p *parser) labelStat() (ast.Stmt, int) {
	s := &ast.LabelStmt{}
	s.SetLine(p.lx.t.line)
	p.lx.next()
	p.lx.next()
	s.Name = p.checkName().value
	p.lx.next()
	p.lx.next()
	return s, 1
}

// atGoto reports whether the statement is gopher-lua's goto name (Lua
// 5.2's goto). goto is not reserved, as in lua5.1: it starts a goto
// statement only when a name follows it, which no Lua 5.1 statement allows.
func (p *parser) atGoto() bool {
	if p.lx.t.kind != tokName || p.lx.t.value != "goto" {
		return false
	}
	p.lx.lookahead()
	if p.lx.ahead.kind != tokName {
		p.lx.quietAhead = true // lua5.1 would not have read ahead
		return false
	}
	return true
}

func (p *parser) gotoStat() (ast.Stmt, int) {
	s := &ast.GotoStmt{}
	s.SetLine(p.lx.t.line)
	p.lx.next()
	s.Label = p.checkName().value
	return s, 1
}
