package parse

// A recursive-descent parser that follows Lua 5.1's lparser.c, so that
// syntax errors read as lua5.1's, at the same line; it builds the AST
// gopher-lua's goyacc grammar (parser.go.y) built, node for node and line
// for line, so that the compiler's output is unchanged.

import (
	"fmt"
	"io"

	"github.com/yuin/gopher-lua/ast"
)

const (
	// maxCCalls is Lua 5.1's LUAI_MAXCCALLS: how deep the parser may
	// nest (lparser.c's enterlevel counts each block and subexpression).
	maxCCalls = 200
	// baseCCalls is the C-call depth lua5.1 parses a script file at;
	// loadstring called from a script starts one deeper there.
	baseCCalls = 1
	// maxDepth bounds the height of the AST, which gopher-lua's compiler
	// walks recursively. Lua 5.1 parses a chain such as a+b+...+z,
	// a.b.c...z, f()()...() or a run of elseif in a loop, so chains are
	// not bounded by maxCCalls; left unbounded, a million-link chain
	// overflows the Go stack in the compiler.
	maxDepth = 4000
	// unaryPriority is the priority of not, - and #.
	unaryPriority = 8
)

// Parse reads a Lua 5.1 chunk and returns its statements. A syntax error
// is an *Error that reads as lua5.1's ("name:4: 'end' expected (to close
// 'if' at line 2) near '<eof>'").
func Parse(reader io.Reader, name string) (chunk []ast.Stmt, err error) {
	src, err := io.ReadAll(reader)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			perr, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			chunk, err = nil, perr
		}
	}()
	p := &parser{lx: newLexer(src, name), level: baseCCalls}
	return p.mainChunk(), nil
}

// parser holds the state of one parse.
type parser struct {
	lx    *lexer
	fs    *funcState
	level int // lparser.c's nCcalls
}

// funcState is what the parser knows of the function it is in.
type funcState struct {
	prev   *funcState
	vararg bool
	line   int // where the function is defined; 0 for the main chunk
	loops  int // loops around the current statement, for break
}

func (p *parser) mainChunk() []ast.Stmt {
	p.fs = &funcState{vararg: true}
	p.lx.next()
	stmts, _ := p.chunk()
	p.check(tokEOS)
	return stmts
}

// syntaxError reports msg near the current token.
func (p *parser) syntaxError(msg string) {
	p.lx.errorf(p.lx.nearToken(p.lx.t), "%s", msg)
}

func (p *parser) errorExpected(kind int) {
	p.syntaxError(fmt.Sprintf("'%s' expected", tokenString(kind)))
}

// errorLimit reports a limit of the function being parsed (errorlimit).
func (p *parser) errorLimit(limit int, what string) {
	if p.fs.line == 0 {
		p.lx.errorf("", "main function has more than %d %s", limit, what)
	}
	p.lx.errorf("", "function at line %d has more than %d %s", p.fs.line, limit, what)
}

func (p *parser) testNext(kind int) bool {
	if p.lx.t.kind == kind {
		p.lx.next()
		return true
	}
	return false
}

func (p *parser) check(kind int) {
	if p.lx.t.kind != kind {
		p.errorExpected(kind)
	}
}

func (p *parser) checkNext(kind int) {
	p.check(kind)
	p.lx.next()
}

// checkMatch takes the token that closes who, opened at line where.
func (p *parser) checkMatch(what, who, where int) {
	if p.testNext(what) {
		return
	}
	if where == p.lx.line {
		p.errorExpected(what)
	}
	p.syntaxError(fmt.Sprintf("'%s' expected (to close '%s' at line %d)",
		tokenString(what), tokenString(who), where))
}

// checkName takes a name.
func (p *parser) checkName() token {
	p.check(tokName)
	t := p.lx.t
	p.lx.next()
	return t
}

func (p *parser) enterLevel() {
	p.level++
	if p.level > maxCCalls {
		p.lx.errorf("", "chunk has too many syntax levels")
	}
}

func (p *parser) leaveLevel() { p.level-- }

// height checks the height of a new AST node against maxDepth.
func (p *parser) height(h int) int {
	if h > maxDepth {
		p.lx.errorf("", "chunk has too many syntax levels")
	}
	return h
}

func blockFollow(kind int) bool {
	switch kind {
	case tokElse, tokElseif, tokEnd, tokUntil, tokEOS:
		return true
	}
	return false
}

// chunk parses statements up to the end of a block and returns them with
// their height.
func (p *parser) chunk() ([]ast.Stmt, int) {
	p.enterLevel()
	stmts := []ast.Stmt{}
	h := 0
	for last := false; !last && !blockFollow(p.lx.t.kind); {
		if p.testNext(';') {
			continue // an empty statement: gopher-lua (and Lua 5.2) take it, lua5.1 does not
		}
		var s ast.Stmt
		var sh int
		s, sh, last = p.statement()
		stmts = append(stmts, s)
		h = max(h, sh)
		p.testNext(';')
	}
	p.leaveLevel()
	return stmts, h
}

func (p *parser) block() ([]ast.Stmt, int) { return p.chunk() }

// loopBlock parses the body of a loop, where break may appear.
func (p *parser) loopBlock() ([]ast.Stmt, int) {
	p.fs.loops++
	stmts, h := p.block()
	p.fs.loops--
	return stmts, h
}

func posAt(source string, line int) ast.Position {
	return ast.Position{Source: source, Line: line}
}
