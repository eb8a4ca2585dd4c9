package filter

import (
	"fmt"
	"strings"
)

// The parser follows libpcap's grammar (grammar.y) by recursive descent.
// Where yacc decides with its LALR tables, the parser looks at what
// follows: after "or", a number is a repeated value ("port 53 or 80")
// unless an operator makes it arithmetic ("or 80 - 1 = x"), and a '('
// opens either values ("host a or (b or c)"), an expression or
// arithmetic, told apart by its first item. Errors panic with a bailout
// and parse recovers them.

// parser holds the tokens and the qualifiers a value written alone
// inherits.
type parser struct {
	toks []token
	i    int
	q    qual
}

// bailout carries a syntax error up to parse.
type bailout struct{ err *Error }

// parse parses expr. An empty expression is a nil node: it matches all.
func parse(expr string) (n node, err error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, q: qualNone}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			n, err = nil, b.err
		}
	}()
	if p.peek().kind == tEOF {
		return nil, nil
	}
	n = p.expr()
	if t := p.peek(); t.kind != tEOF {
		p.fail(t, "expected 'and', 'or' or the end, got %s", t.quoted())
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(n int) token { return p.toks[min(p.i+n, len(p.toks)-1)] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// at reports whether the next token is one of kinds.
func (p *parser) at(kinds ...tokKind) bool {
	for _, k := range kinds {
		if p.peek().kind == k {
			return true
		}
	}
	return false
}

// expect consumes a token of kind k or fails with "expected what".
func (p *parser) expect(k tokKind, what string) token {
	if t := p.peek(); t.kind != k {
		p.fail(t, "expected %s, got %s", what, t.quoted())
	}
	return p.next()
}

// fail stops the parse with an error at t. A keyword netlua does not
// compile is named as such wherever it turns up.
func (p *parser) fail(t token, format string, args ...any) {
	if t.kind == tUnsupported {
		panic(bailout{unsupportedAt(t.pos, "'%s' is not supported", t.text)})
	}
	panic(bailout{errAt(t.pos, format, args...)})
}

// itemKind is what an item turned out to be.
type itemKind uint8

const (
	kTerm  itemKind = iota // a primitive or a parenthesised expression
	kID                    // a value inheriting qualifiers, or values in parentheses
	kPnum                  // a number alone, maybe in parentheses: a value or arithmetic
	kNarth                 // arithmetic still waiting for its comparison
)

// item is an operand of and/or as parsed: a node, or arithmetic.
type item struct {
	kind itemKind
	n    node
	a    arith
}

// expr parses items joined by and/or, left to right.
func (p *parser) expr() node {
	n := p.operand(p.item(false), false)
	for p.at(tAnd, tOr) {
		op := p.next()
		n = &binaryNode{op: op.kind, l: n, r: p.operand(p.item(true), true)}
	}
	return n
}

// operand turns an item into a node: a lone number becomes a value with
// the inherited qualifiers where values may stand.
func (p *parser) operand(it item, valueOK bool) node {
	switch it.kind {
	case kPnum:
		tok := it.a.(*numArith).tok
		if !valueOK {
			p.fail(tok, "'%s' needs a qualifier such as 'port' or 'host'", tok.text)
		}
		return p.prim(value{tok: tok})
	case kNarth:
		p.fail(p.peek(), "expected a comparison (=, !=, <, <=, >, >=), got %s", p.peek().quoted())
	}
	return it.n
}

// item parses one operand of and/or. valueOK says whether a value alone
// may stand here (after and/or; not first).
func (p *parser) item(valueOK bool) item {
	t := p.peek()
	switch t.kind {
	case tNot:
		p.next()
		inner := p.item(valueOK)
		kind := inner.kind
		if kind == kPnum {
			kind = kID
		}
		return item{kind: kind, n: &notNode{x: p.operand(inner, valueOK)}}
	case tID, tHID, tHID6, tEID:
		p.notVXLAN(t)
		if !valueOK {
			p.fail(t, "%s needs a qualifier such as 'host' or 'net'%s", t.quoted(), hyphenHint(t))
		}
		return item{kind: kID, n: p.nid()}
	case tLParen:
		return p.parenItem(valueOK)
	case tNum, tMinus, tLen:
		return p.arithItem(nil)
	case tPname:
		if p.peekAt(1).kind == tLBrack {
			return p.arithItem(nil)
		}
		return item{kind: kTerm, n: p.pnameItem()}
	case tSrc, tDst, tHost, tNet, tPort, tPortrange, tProto, tProtochain:
		return item{kind: kTerm, n: p.headID(pDefault)}
	case tBroadcast, tMulticast, tLess, tGreater, tByte, tVlan, tPppoed, tMpls, tLlc, tPppoes, tGeneve:
		return item{kind: kTerm, n: p.other()}
	}
	p.fail(t, "expected a primitive, got %s", t.quoted())
	return item{}
}

// parenItem parses '(' ... ')' where an operand of and/or may stand.
func (p *parser) parenItem(valueOK bool) item {
	saved := p.q
	p.next()
	it := p.parenContents(valueOK)
	p.expect(tRParen, "')'")
	switch it.kind {
	case kTerm:
		// After "(expr)" the qualifiers before the '(' are in force again.
		p.q = saved
		return it
	case kID:
		return it
	}
	return p.arithItem(&it)
}

// parenContents parses what is between parentheses: values, an
// expression, or arithmetic.
func (p *parser) parenContents(valueOK bool) item {
	first := p.item(valueOK)
	switch first.kind {
	case kPnum, kNarth:
		if first.kind == kPnum && valueOK && p.at(tAnd, tOr) {
			return p.valuesRest(p.operand(first, true))
		}
		return first
	case kID:
		return p.valuesRest(first.n)
	}
	n := first.n
	for p.at(tAnd, tOr) {
		op := p.next()
		n = &binaryNode{op: op.kind, l: n, r: p.operand(p.item(true), true)}
	}
	return item{kind: kTerm, n: n}
}

// valuesRest parses "and id", "or id"... after the first value in
// parentheses: "host a and (b or c)".
func (p *parser) valuesRest(n node) item {
	for p.at(tAnd, tOr) {
		op := p.next()
		n = &binaryNode{op: op.kind, l: n, r: p.id()}
	}
	return item{kind: kID, n: n}
}

// pnameItem parses what starts with a protocol qualifier other than a
// byte access: a head ("tcp dst port"), "ether broadcast", or "tcp" alone.
func (p *parser) pnameItem() node {
	t := p.next()
	pr := proto(t.num)
	switch p.peek().kind {
	case tSrc, tDst, tHost, tNet, tPort, tPortrange, tProto, tProtochain:
		return p.headID(pr)
	case tBroadcast, tMulticast:
		p.q = qualNone
		return p.cast(pr, t)
	}
	p.q = qualNone
	return &abbrevNode{proto: pr, tok: t}
}

// headID parses the direction and address qualifiers after proto and the
// value that follows them.
func (p *parser) headID(pr proto) node {
	q := qual{proto: pr}
	if p.at(tSrc, tDst) {
		q.dir = p.direction()
		if p.at(tHost, tNet, tPort, tPortrange) {
			q.addr = addrOf[p.next().kind]
		}
	} else {
		q.addr = addrOf[p.next().kind]
	}
	p.q = q
	if !p.at(tNum, tID, tHID, tHID6, tEID, tLParen, tNot) {
		p.fail(p.peek(), "expected %s after '%s', got %s", q.wants(), p.toks[p.i-1].text, p.peek().quoted())
	}
	return p.id()
}

var addrOf = map[tokKind]addr{tHost: aHost, tNet: aNet, tPort: aPort, tPortrange: aPortrange, tProto: aProto,
	tProtochain: aProtochain}

// direction parses src, dst, "src or dst", "src and dst" (either order).
func (p *parser) direction() dir {
	first := p.next()
	if !p.at(tOr, tAnd) {
		return map[tokKind]dir{tSrc: dSrc, tDst: dDst}[first.kind]
	}
	op := p.next()
	other := map[tokKind]tokKind{tSrc: tDst, tDst: tSrc}[first.kind]
	p.expect(other, fmt.Sprintf("'%s' after '%s %s'", map[tokKind]string{tSrc: "src", tDst: "dst"}[other], first.text, op.text))
	if op.kind == tOr {
		return dSrcOrDst
	}
	return dSrcAndDst
}

// wants says what value the qualifiers expect, for errors.
func (q qual) wants() string {
	switch q.addr {
	case aPort:
		return "a port number"
	case aPortrange:
		return "a port range"
	case aNet:
		return "a network"
	case aProto, aProtochain:
		return "a protocol"
	}
	return "an address"
}

// id parses a value: ID, address, number, "not id" or "(values)".
func (p *parser) id() node {
	switch t := p.peek(); t.kind {
	case tNum:
		return p.prim(value{tok: p.next()})
	case tLParen:
		return p.parenValues()
	case tNot, tID, tHID, tHID6, tEID:
		return p.nid()
	default:
		p.fail(t, "expected %s, got %s", p.q.wants(), t.quoted())
	}
	return nil
}

// parenValues parses "(v1 or v2 ...)" where values stand; the first may
// be a number in parentheses, but not a parenthesised group.
func (p *parser) parenValues() node {
	p.next()
	var first node
	if p.at(tNum, tLParen) {
		first = p.prim(value{tok: p.pnum()})
	} else {
		first = p.nid()
	}
	n := p.valuesRest(first).n
	p.expect(tRParen, "')'")
	return n
}

// nid parses a value that is not a number: a name, an address with an
// optional mask, or "not id".
func (p *parser) nid() node {
	t := p.next()
	switch t.kind {
	case tNot:
		return &notNode{x: p.id()}
	case tHID, tHID6:
		v := value{tok: t}
		if p.at(tSlash) {
			p.next()
			v.masklen, v.hasLen = p.expect(tNum, "a prefix length after '/'").num, true
		} else if t.kind == tHID && p.at(tMask) {
			p.next()
			m := p.expect(tHID, "a dotted mask after 'mask'")
			v.mask = &m
		}
		return p.prim(v)
	case tID, tEID:
		return p.prim(value{tok: t})
	}
	p.fail(t, "expected %s, got %s", p.q.wants(), t.quoted())
	return nil
}

// optionalNum parses the number that may follow vlan, mpls, pppoes and
// geneve.
func (p *parser) optionalNum() (uint32, bool) {
	if p.at(tNum, tLParen) {
		return p.pnum().num, true
	}
	return 0, false
}

// pnum parses a number, maybe in parentheses: "(80)".
func (p *parser) pnum() token {
	if p.at(tLParen) {
		p.next()
		t := p.pnum()
		p.expect(tRParen, "')'")
		return t
	}
	return p.expect(tNum, "a number")
}

// prim is a value with the qualifiers in force.
func (p *parser) prim(v value) node {
	if p.q.addr == aUndef {
		p.notVXLAN(v.tok)
		p.fail(v.tok, "%s needs a qualifier such as 'host' or 'port'%s", v.tok.quoted(), hyphenHint(v.tok))
	}
	return &primNode{q: p.q, val: v}
}

// hyphenHint explains a name such as "len-1": pcap-filter reads a '-'
// between letters or digits as part of a name, not as a minus.
func hyphenHint(t token) string {
	if t.kind != tID || !strings.Contains(t.text, "-") {
		return ""
	}
	return " (a '-' inside a word is part of the name; put spaces around it to subtract)"
}

// notVXLAN refuses "vxlan" where a primitive stands: a keyword of
// libpcap after 1.10, a name in 1.10, which netlua follows, and which
// tcpdump refuses there too. It says what to write instead.
func (p *parser) notVXLAN(t token) {
	if t.kind == tID && t.text == "vxlan" {
		p.fail(t, "'vxlan' is not a primitive of libpcap 1.10, which netlua follows: over IPv4, write udp dst port 4789 and udp[8] = 0x08 (and udp[12:4] >> 8 = VNI)")
	}
}

// other parses the primitives with keywords of their own: less, greater,
// byte, vlan, pppoed, pppoes, mpls, geneve, llc, broadcast and multicast.
func (p *parser) other() node {
	t := p.next()
	p.q = qualNone
	switch t.kind {
	case tLess, tGreater:
		n := p.expect(tNum, fmt.Sprintf("a length after '%s'", t.text))
		return &lenNode{greater: t.kind == tGreater, n: n.num}
	case tByte:
		return p.byteOp()
	case tVlan:
		v := &vlanNode{at: t.pos}
		v.id, v.hasID = p.optionalNum()
		return v
	case tPppoed:
		return &pppoedNode{}
	case tPppoes:
		s := &pppoesNode{at: t.pos}
		s.id, s.hasID = p.optionalNum()
		return s
	case tMpls:
		m := &mplsNode{at: t.pos}
		m.label, m.hasLabel = p.optionalNum()
		return m
	case tGeneve:
		n := &geneveNode{at: t.pos}
		n.vni, n.hasVNI = p.optionalNum()
		return n
	case tLlc:
		l := &llcNode{}
		if p.at(tID) || (p.at(tUnsupported) && p.peek().text == "rnr") {
			l.kind = p.next()
			l.hasKind = true
		}
		return l
	}
	return p.cast(pDefault, t)
}

// cast parses "broadcast" or "multicast" after an optional protocol.
func (p *parser) cast(pr proto, t token) node {
	if pr != pDefault {
		p.next()
	}
	return &castNode{proto: pr, multicast: p.toks[p.i-1].kind == tMulticast, tok: t}
}

// byteOp parses "byte idx op val".
func (p *parser) byteOp() node {
	idx := p.expect(tNum, "a byte offset after 'byte'")
	op := p.next()
	if op.kind != tAmp && op.kind != tPipe && op.kind != tLt && op.kind != tGt && op.kind != tEq {
		p.fail(op, "expected one of & | < > = after 'byte %s', got %s", idx.text, op.quoted())
	}
	val := p.expect(tNum, fmt.Sprintf("a number after 'byte %s %s'", idx.text, op.text))
	return &byteNode{idx: idx.num, val: val.num, op: op}
}
