package filter

import (
	"net/netip"
	"regexp"
	"strings"
	"sync"
)

// tokKind is the kind of a token, as libpcap's scanner (scanner.l) returns them.
type tokKind uint8

const (
	tEOF  tokKind = iota
	tNum          // 80, 0x50, 0120 (octal), or a named constant such as tcp-syn
	tID           // a name: http, \tcp (the backslash is dropped), 1-1024
	tHID          // a dotted IPv4 address or prefix: 10.1.2.3, 10.1
	tHID6         // an IPv6 address
	tEID          // a MAC address
	tLParen
	tRParen
	tLBrack
	tRBrack
	tColon
	tPlus
	tMinus
	tStar
	tSlash
	tPercent
	tAmp
	tPipe
	tCaret
	tLsh
	tRsh
	tEq
	tNeq
	tLt
	tLeq
	tGt
	tGeq
	tNot
	tAnd
	tOr
	tPname // a protocol qualifier: ether, ip, tcp, ...; num holds its proto
	tSrc
	tDst
	tHost
	tNet
	tMask
	tPort
	tPortrange
	tProto
	tLen
	tLess
	tGreater
	tByte
	tBroadcast
	tMulticast
	tVlan
	tPppoed
	tMpls
	tPppoes
	tLlc
	tProtochain
	tGeneve
	tUnsupported // a keyword of pcap-filter(7) that netlua does not compile
)

// A token is one lexeme of an expression.
type token struct {
	kind tokKind
	text string // as written (for tID, without a leading backslash)
	pos  int    // byte offset in the expression
	end  int    // byte offset just past it
	num  uint32 // value of tNum; proto of tPname
}

// quoted is the token as error messages show it.
func (t token) quoted() string {
	if t.kind == tEOF {
		return "the end"
	}
	return "'" + t.text + "'"
}

// lex splits expr into tokens, ending with tEOF. Like flex, each token is
// the longest match at its position; among equally long matches the rule
// listed first in libpcap's scanner wins (keywords, operators, MAC
// addresses, numbers, IPv4, IPv6, named constants, names).
func lex(expr string) ([]token, error) {
	var toks []token
	for i := 0; ; {
		for i < len(expr) && strings.IndexByte(" \t\r\n", expr[i]) >= 0 {
			i++
		}
		if i == len(expr) {
			return append(toks, token{kind: tEOF, pos: i, end: i}), nil
		}
		t, err := lexOne(expr, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i = t.end
	}
}

// lexOne reads the token at offset i of expr.
func lexOne(expr string, i int) (token, error) {
	s := expr[i:]
	switch {
	case s[0] == '\\' && len(s) > 1 && strings.IndexByte(" !()\n\t", s[1]) < 0:
		n := 1
		for n < len(s) && strings.IndexByte(" !()\n\t", s[n]) < 0 {
			n++
		}
		return token{kind: tID, text: s[1:n], pos: i, end: i + n}, nil
	case s[0] == '$' && len(s) > 1 && isHex(s[1]):
		return token{}, unsupportedAt(i, "ARCnet addresses are not supported")
	}
	n, kind := longestMatch(s)
	switch {
	case kind == bogusMAC:
		return token{}, errAt(i, "bogus ethernet address %s", s[:n])
	case n == 0:
		return token{}, errAt(i, "unexpected character %q", s[0])
	}
	return makeToken(kind, s[:n], i)
}

// bogusMAC is what longestMatch returns for "1:2:3", which only an error fits.
const bogusMAC = tUnsupported + 1

// longestMatch finds the longest match at the start of s and its kind; among
// equally long matches the earlier rule wins.
func longestMatch(s string) (best int, kind tokKind) {
	try := func(n int, k tokKind) {
		if n > best {
			best, kind = n, k
		}
	}
	if n, k := lexOperator(s); n > 0 {
		try(n, k)
	}
	word := wordLen(s)
	if k, ok := keywords[s[:word]]; ok && word > 0 {
		try(word, k.kind)
	}
	hex := hexish(s)
	if hex {
		try(matchLen(macRE(), s), tEID)
	}
	try(numLen(s), tNum)
	try(hidLen(s), tHID)
	if hex {
		try(matchLen(ip6RE(), s), tHID6)
		try(matchLen(bogusMACRE(), s), bogusMAC)
	}
	if _, ok := namedNumbers[s[:word]]; ok {
		try(word, tNum)
	}
	try(word, tID)
	return best, kind
}

// makeToken completes a token: the value of numbers and the proto of
// protocol qualifiers.
func makeToken(kind tokKind, text string, pos int) (token, error) {
	t := token{kind: kind, text: text, pos: pos, end: pos + len(text)}
	switch kind {
	case tNum:
		if v, ok := namedNumbers[text]; ok {
			t.num = v
			return t, nil
		}
		v, err := parseNum(text)
		if err != nil {
			return t, errAt(pos, "%s", err.Error())
		}
		t.num = v
	case tPname:
		t.num = uint32(keywords[text].proto)
	case tHID6:
		if _, err := netip.ParseAddr(text); err != nil {
			return t, errAt(pos, "bogus IPv6 address %s", text)
		}
	}
	return t, nil
}

// lexOperator matches the punctuation tokens, longest first.
func lexOperator(s string) (int, tokKind) {
	if len(s) >= 2 {
		if k, ok := twoCharOps[s[:2]]; ok {
			return 2, k
		}
	}
	if k, ok := oneCharOps[s[0]]; ok {
		return 1, k
	}
	return 0, tEOF
}

var twoCharOps = map[string]tokKind{
	">=": tGeq, "<=": tLeq, "!=": tNeq, "==": tEq, "<<": tLsh, ">>": tRsh, "&&": tAnd, "||": tOr,
}

var oneCharOps = map[byte]tokKind{
	'+': tPlus, '-': tMinus, '*': tStar, '/': tSlash, '%': tPercent, ':': tColon,
	'[': tLBrack, ']': tRBrack, '!': tNot, '<': tLt, '>': tGt, '(': tLParen, ')': tRParen,
	'&': tAmp, '|': tPipe, '^': tCaret, '=': tEq,
}

// wordLen is the length of the longest name at the start of s:
// [A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?
func wordLen(s string) int {
	if !isAlnum(s[0]) {
		return 0
	}
	end := 1
	for i := 1; i < len(s) && (isAlnum(s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'); i++ {
		if s[i] != '-' && s[i] != '_' {
			end = i + 1
		}
	}
	return end
}

// numLen is the length of the number at the start of s: [0-9]+ or 0x[0-9a-f]+.
func numLen(s string) int {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isHex(s[2]) {
		n := 3
		for n < len(s) && isHex(s[n]) {
			n++
		}
		return n
	}
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

// hidLen is the length of a dotted number of 2 to 4 parts at the start of s.
func hidLen(s string) int {
	end := numLen(s)
	if end == 0 {
		return 0
	}
	for parts := 1; parts < 4 && end < len(s) && s[end] == '.'; parts++ {
		n := numLen(s[end+1:])
		if n == 0 {
			break
		}
		end += 1 + n
	}
	if !strings.Contains(s[:end], ".") {
		return 0
	}
	return end
}

// hexish reports whether s may start a MAC or IPv6 address, so that the
// regular expressions run only where they can match.
func hexish(s string) bool {
	n, sep := 0, false
	for n < len(s) && (isHex(s[n]) || s[n] == ':' || s[n] == '.' || s[n] == '-') {
		sep = sep || !isHex(s[n])
		n++
	}
	return sep || n >= 12
}

// matchLen is the length of re's longest match at the start of s.
func matchLen(re *regexp.Regexp, s string) int {
	if loc := re.FindStringIndex(s); loc != nil {
		return loc[1]
	}
	return 0
}

// The address forms of libpcap's scanner. An IPv6 address is up to eight
// groups with at most one "::", or up to six groups and an IPv4 address.
// They are compiled on first use: compiling them at init cost every
// netlua start 1.7 ms, scripts that never filter included.
var (
	macRE = longest(`^(?:B:B:B:B:B:B|B-B-B-B-B-B|B\.B\.B\.B\.B\.B|W\.W\.W|WWW)`,
		"B", `[0-9A-Fa-f]{1,2}`, "W", `[0-9A-Fa-f]{4}`)
	bogusMACRE = longest(`^B:+(?:B:+)+`, "B", `[0-9A-Fa-f]{1,2}`)
	ip6RE      = longest(`^(?:`+ip6Forms()+`)`, "W", `[0-9A-Fa-f]{1,4}`, "N", `(?:[0-9]+|0[xX][0-9A-Fa-f]+)`)
)

// longest returns a function compiling pattern, with its placeholders
// replaced and leftmost-longest matching, once, on first call.
func longest(pattern string, repl ...string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp {
		re := regexp.MustCompile(strings.NewReplacer(repl...).Replace(pattern))
		re.Longest()
		return re
	})
}

// ip6Forms lists the IPv6 forms of the scanner as alternatives of W
// (a group) and N (a number).
func ip6Forms() string {
	groups := func(n int) string { return strings.TrimSuffix(strings.Repeat("W:", n), ":") }
	v4 := `N\.N\.N\.N`
	forms := []string{groups(8), groups(6) + ":" + v4}
	for total := 0; total <= 7; total++ {
		for left := 0; left <= total; left++ {
			forms = append(forms, groups(left)+"::"+groups(total-left))
			if total <= 5 {
				tail := groups(total-left) + ":"
				if total == left {
					tail = ""
				}
				forms = append(forms, groups(left)+"::"+tail+v4)
			}
		}
	}
	return strings.Join(forms, "|")
}

// parseNum converts a number as libpcap's stou does: 0x for hex, a
// leading 0 for octal, and an error past 32 bits.
func parseNum(s string) (uint32, error) {
	base, digits := uint64(10), s
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		base, digits = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, digits = 8, s[1:]
	}
	var n uint64
	for _, c := range []byte(digits) {
		d := hexValue(c)
		if d >= base {
			return 0, &numError{s, "contains non-octal digit"}
		}
		n = n*base + d
		if n > 0xffffffff {
			return 0, &numError{s, "overflows 32 bits"}
		}
	}
	return uint32(n), nil
}

type numError struct{ num, what string }

func (e *numError) Error() string { return "number " + e.num + " " + e.what }

func hexValue(c byte) uint64 {
	switch {
	case isDigit(c):
		return uint64(c - '0')
	case c >= 'a' && c <= 'f':
		return uint64(c-'a') + 10
	}
	return uint64(c-'A') + 10
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' }
func isAlnum(c byte) bool { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'z' }
