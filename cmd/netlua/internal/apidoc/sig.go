package apidoc

import (
	"fmt"
	"strings"
)

// The signatures in the registry follow a small grammar, which the editor
// stubs read to give each parameter and return value a type:
//
//	sig     = [ NAME { ("." | ":") NAME } ("." | ":") ] NAME ( "(" list ")" | table ) [ "->" list ]
//	list    = { entry | "," | "[" | "]" }       brackets mark what they enclose optional
//	entry   = alts [ "=" alts ]                 key = value (a default, or a value's form)
//	alts    = alt { "|" alt }                   name|index
//	alt     = NAME | STRING | NUMBER | "nil" | "..." | table
//	table   = "{" list "}"                      a trailing "..." makes it a list
//
// open(ifname [, opts]) -> socket; socket:recv([timeout]) -> bytes, info | nil;
// capture{ file [, count] }; build{layer|packet|bytes, ...} -> bytes.

// A sig is a parsed registry signature.
type sig struct {
	recv     string  // what stands before the name: "netlink", "socket"
	method   bool    // called as recv:name
	name     string  // the function's name
	tableArg bool    // name{...}: one table argument, params[0]
	params   []entry // parameters in order
	returns  []entry // return values in order
}

// An entry is one parameter, return value or table entry.
type entry struct {
	key      string // the key of a key = value entry
	alts     []alt  // the alternatives: name|index
	optional bool   // inside brackets
}

// An alt is one alternative of an entry.
type alt struct {
	kind  altKind
	text  string // the name, or the literal as written
	table *shape // for altTable
}

type altKind int

const (
	altName   altKind = iota
	altString         // a string literal: "bits"
	altNumber         // a number literal
	altNil            // nil
	altVararg         // ...
	altTable          // { ... }
)

// A shape is a table written in a signature: its entries, or, for a list
// ({ link, ... }), the form of its elements.
type shape struct {
	entries  []entry
	list     bool // ends in ", ...": an array of entries[0]
	brackets bool // some entries are in brackets, so the others are required
}

// isMap reports whether the shape is { field = value }: any keys, not named fields.
func (s *shape) isMap() bool {
	if s.list || len(s.entries) != 1 {
		return false
	}
	e := s.entries[0]
	return e.key != "" && len(e.alts) == 1 && e.alts[0].kind == altName && e.alts[0].text == "value"
}

// names lists, once each and in order, the names s uses that need a type:
// every name among the alternatives of its parameters, results and table
// entries, and the keys of key = value entries. A parameter or result
// named as a type LuaLS knows (-> boolean) is its own type (a field of a
// table so named, { table }, is not), and a { field = value } map needs
// none: it is table<string, any>.
func (s *sig) names() []string {
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	var walk func(es []entry, top bool)
	walk = func(es []entry, top bool) {
		for _, e := range es {
			add(e.key)
			for _, a := range e.alts {
				switch {
				case a.kind == altName && !(top && luaTypes[a.text]):
					add(a.text)
				case a.kind == altTable && !a.table.isMap():
					walk(a.table.entries, false)
				}
			}
		}
	}
	walk(s.params, true)
	walk(s.returns, true)
	return names
}

// parseSig parses a registry signature.
func parseSig(src string) (*sig, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, fmt.Errorf("signature %q: %w", src, err)
	}
	p := &sigParser{toks: toks}
	s, err := p.sig()
	if err != nil {
		return nil, fmt.Errorf("signature %q: %w", src, err)
	}
	return s, nil
}

// A token of a signature: punctuation, or a name, string or number.
type token struct {
	kind byte // 'n' name, 's' string, '0' number, 0 end, else the punctuation ('-' is "->", '.' may be "...")
	text string
}

const puncts = "(){}[],|=.:"

// tokenize splits a signature into tokens.
func tokenize(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		n, kind := 1, c
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case strings.HasPrefix(src[i:], "..."):
			n, kind = 3, 'v'
		case strings.HasPrefix(src[i:], "->"):
			n, kind = 2, '-'
		case strings.IndexByte(puncts, c) >= 0:
		case c == '"' || c == '\'':
			end := strings.IndexByte(src[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("unterminated string at column %d", i+1)
			}
			n, kind = end+2, 's'
		case isNameByte(c, false):
			n, kind = spanOf(src[i:], func(b byte) bool { return isNameByte(b, true) }), 'n'
		case c >= '0' && c <= '9':
			n, kind = spanOf(src[i:], func(b byte) bool { return isNameByte(b, true) || b == '.' }), '0'
		default:
			return nil, fmt.Errorf("unexpected %q at column %d", c, i+1)
		}
		toks = append(toks, token{kind: kind, text: src[i : i+n]})
		i += n
	}
	return append(toks, token{}), nil
}

func isNameByte(c byte, digits bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || digits && c >= '0' && c <= '9'
}

// spanOf is how many leading bytes of s satisfy ok.
func spanOf(s string, ok func(byte) bool) int {
	n := 0
	for n < len(s) && ok(s[n]) {
		n++
	}
	return n
}

type sigParser struct {
	toks []token
	pos  int
}

func (p *sigParser) peek() token { return p.toks[p.pos] }

func (p *sigParser) next() token {
	t := p.toks[p.pos]
	if t.kind != 0 {
		p.pos++
	}
	return t
}

func (p *sigParser) expect(kind byte, what string) (token, error) {
	t := p.next()
	if t.kind != kind {
		return t, fmt.Errorf("%s expected, got %s", what, describe(t))
	}
	return t, nil
}

func describe(t token) string {
	if t.kind == 0 {
		return "the end"
	}
	return "'" + t.text + "'"
}

// sig = path ( "(" list ")" | table ) [ "->" list ]
func (p *sigParser) sig() (*sig, error) {
	s := &sig{}
	if err := p.path(s); err != nil {
		return nil, err
	}
	var err error
	switch p.next().kind {
	case '(':
		s.params, _, err = p.list(')')
		if err == nil {
			_, err = p.expect(')', "')'")
		}
	case '{':
		var t *shape
		t, err = p.table()
		s.tableArg = true
		s.params = []entry{{alts: []alt{{kind: altTable, table: t}}}}
	default:
		return nil, fmt.Errorf("'(' or '{' expected after %s", s.name)
	}
	if err != nil {
		return nil, err
	}
	if p.peek().kind == '-' {
		p.next()
		if s.returns, _, err = p.list(0); err != nil {
			return nil, err
		}
		if len(s.returns) == 0 {
			return nil, fmt.Errorf("return values expected after '->'")
		}
	}
	if t := p.next(); t.kind != 0 {
		return nil, fmt.Errorf("unexpected %s after the signature", describe(t))
	}
	return s, nil
}

// path reads NAME { ("." | ":") NAME }: the last name is the function's.
func (p *sigParser) path(s *sig) error {
	t, err := p.expect('n', "a name")
	if err != nil {
		return err
	}
	s.name = t.text
	for k := p.peek().kind; k == '.' || k == ':'; k = p.peek().kind {
		p.next()
		if s.recv != "" {
			s.recv += "."
		}
		s.recv += s.name
		s.method = k == ':'
		if t, err = p.expect('n', "a name"); err != nil {
			return err
		}
		s.name = t.text
	}
	return nil
}

// table reads the rest of { list }, the brace already read.
func (p *sigParser) table() (*shape, error) {
	entries, brackets, err := p.list('}')
	if err != nil {
		return nil, err
	}
	if _, err := p.expect('}', "'}'"); err != nil {
		return nil, err
	}
	t := &shape{brackets: brackets}
	for _, e := range entries {
		if len(e.alts) == 1 && e.alts[0].kind == altVararg {
			t.list = true
			continue
		}
		t.entries = append(t.entries, e)
	}
	if t.list && len(t.entries) != 1 {
		return nil, fmt.Errorf("a list { x, ... } has one element form, got %d", len(t.entries))
	}
	return t, nil
}

// list reads entries up to the token end (not consumed), and reports
// whether brackets were used.
func (p *sigParser) list(end byte) (entries []entry, brackets bool, err error) {
	depth := 0
	for {
		switch t := p.peek(); {
		case t.kind == end && depth == 0:
			return entries, brackets, nil
		case t.kind == '[':
			p.next()
			depth++
			brackets = true
		case t.kind == ']':
			p.next()
			if depth--; depth < 0 {
				return nil, false, fmt.Errorf("']' without '['")
			}
		case t.kind == ',':
			p.next()
		case t.kind == 0 || t.kind == end:
			return nil, false, fmt.Errorf("'[' without ']'")
		default:
			e, err := p.entry()
			if err != nil {
				return nil, false, err
			}
			e.optional = depth > 0
			entries = append(entries, e)
		}
	}
}

// entry = alts [ "=" alts ]
func (p *sigParser) entry() (entry, error) {
	alts, err := p.alts()
	if err != nil {
		return entry{}, err
	}
	if p.peek().kind != '=' {
		return entry{alts: alts}, nil
	}
	p.next()
	if len(alts) != 1 || alts[0].kind != altName {
		return entry{}, fmt.Errorf("the key before '=' must be a name")
	}
	vals, err := p.alts()
	return entry{key: alts[0].text, alts: vals}, err
}

// alts = alt { "|" alt }
func (p *sigParser) alts() ([]alt, error) {
	var alts []alt
	for {
		a, err := p.alt()
		if err != nil {
			return nil, err
		}
		alts = append(alts, a)
		if p.peek().kind != '|' {
			return alts, nil
		}
		p.next()
	}
}

func (p *sigParser) alt() (alt, error) {
	t := p.next()
	switch t.kind {
	case 'n':
		if t.text == "nil" {
			return alt{kind: altNil, text: t.text}, nil
		}
		return alt{kind: altName, text: t.text}, nil
	case 's':
		return alt{kind: altString, text: t.text}, nil
	case '0':
		return alt{kind: altNumber, text: t.text}, nil
	case 'v':
		return alt{kind: altVararg, text: t.text}, nil
	case '{':
		tbl, err := p.table()
		return alt{kind: altTable, table: tbl}, err
	}
	return alt{}, fmt.Errorf("a name, literal or table expected, got %s", describe(t))
}
