package parse

// The lexer of Lua 5.1 (llex.c), ported so that the tokens, the line
// numbers and the error messages are those of lua5.1: a syntax error is
// reported at the line the lexer has reached (ls->linenumber), "near" the
// current token's text.

import (
	"bytes"
	"fmt"
	"strings"
)

// Token kinds. A single-character token is its byte value; the others
// follow in the order of llex.c's luaX_tokens.
const (
	tokAnd = iota + 257
	tokBreak
	tokDo
	tokElse
	tokElseif
	tokEnd
	tokFalse
	tokFor
	tokFunction
	tokIf
	tokIn
	tokLocal
	tokNil
	tokNot
	tokOr
	tokRepeat
	tokReturn
	tokThen
	tokTrue
	tokUntil
	tokWhile
	tokConcat
	tokDots
	tokEq
	tokGe
	tokLe
	tokNe
	tokNumber
	tokName
	tokString
	tokEOS
)

var tokenNames = [...]string{
	"and", "break", "do", "else", "elseif",
	"end", "false", "for", "function", "if",
	"in", "local", "nil", "not", "or", "repeat",
	"return", "then", "true", "until", "while",
	"..", "...", "==", ">=", "<=", "~=",
	"<number>", "<name>", "<string>", "<eof>",
}

var reserved = func() map[string]int {
	m := make(map[string]int, tokWhile-tokAnd+1)
	for k := tokAnd; k <= tokWhile; k++ {
		m[tokenNames[k-tokAnd]] = k
	}
	return m
}()

// eoz is the current character at the end of the input.
const eoz = -1

// token is one lexical element.
type token struct {
	kind int
	// line is where the token starts: the line gopher-lua's AST nodes carry.
	line int
	// offset is where the token starts in the chunk.
	offset int
	// text is what an error message shows near a name, string or number:
	// the lexer's buffer (a string with its delimiters, escapes resolved).
	text string
	// value is a name, a string's contents or a numeral for ast.NumberExpr.
	value string
}

// lexer reads tokens from a chunk held in memory.
type lexer struct {
	src     []byte
	pos     int // index of the byte after current
	current int
	// line is llex.c's linenumber: the line of the last character read.
	line int
	// lastLine is the line reached when the current token was taken (llex.c's
	// lastline), for the "ambiguous syntax" check.
	lastLine int
	t        token
	ahead    token
	hasAhead bool
	// aheadLine is line before the look-ahead token was read.
	aheadLine int
	// quietAhead makes the look-ahead invisible to lastLine: set when only
	// the goto extension peeked (lua5.1 would not have read ahead).
	quietAhead bool
	buf        []byte
	source     string
}

func newLexer(src []byte, source string) *lexer {
	lx := &lexer{src: src, line: 1, lastLine: 1, source: source}
	lx.advance()
	return lx
}

// advance reads the next character into current.
func (lx *lexer) advance() {
	if lx.pos < len(lx.src) {
		lx.current = int(lx.src[lx.pos])
		lx.pos++
		return
	}
	lx.current = eoz
}

func (lx *lexer) save(c int) { lx.buf = append(lx.buf, byte(c)) }

func (lx *lexer) saveAndAdvance() {
	lx.save(lx.current)
	lx.advance()
}

func (lx *lexer) atNewline() bool { return lx.current == '\n' || lx.current == '\r' }

// incLine skips a line break (\n, \r, \n\r or \r\n).
func (lx *lexer) incLine() {
	old := lx.current
	lx.advance()
	if lx.atNewline() && lx.current != old {
		lx.advance()
	}
	lx.line++
}

// next makes the following token current (luaX_next).
func (lx *lexer) next() {
	lx.lastLine = lx.line
	if lx.hasAhead {
		if lx.quietAhead {
			lx.lastLine = lx.aheadLine
		}
		lx.t, lx.hasAhead, lx.quietAhead = lx.ahead, false, false
		return
	}
	lx.t = lx.lex()
}

// lookahead reads the token after the current one (luaX_lookahead).
func (lx *lexer) lookahead() {
	lx.aheadLine = lx.line
	lx.ahead, lx.hasAhead = lx.lex(), true
}

// errorf stops the parse with lua5.1's message: the line reached, the
// message and, when near is not empty, the text of the token it is near.
func (lx *lexer) errorf(near, format string, args ...interface{}) {
	near = cString(near) // lua5.1 formats the text as a C string
	panic(&Error{Pos: posAt(lx.source, lx.line), Message: fmt.Sprintf(format, args...), Token: near})
}

// nearToken is what lua5.1 shows for a token of the given kind in an error.
func (lx *lexer) nearToken(t token) string {
	switch t.kind {
	case tokName, tokString, tokNumber:
		return t.text
	case 0:
		return "" // luaX_lexerror omits "near" for token 0 (a NUL byte)
	}
	return tokenString(t.kind)
}

// tokenString is luaX_token2str.
func tokenString(kind int) string {
	if kind >= tokAnd {
		return tokenNames[kind-tokAnd]
	}
	if kind < 32 || kind == 127 {
		return fmt.Sprintf("char(%d)", kind)
	}
	return string([]byte{byte(kind)})
}

func isSpace(c int) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isDigitChar(c int) bool { return '0' <= c && c <= '9' }

func isAlpha(c int) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c int) bool { return isAlpha(c) || isDigitChar(c) || c == '_' }

// lex reads one token (llex).
func (lx *lexer) lex() token {
	lx.buf = lx.buf[:0]
	for {
		t := token{line: lx.line, offset: lx.offset()}
		switch c := lx.current; {
		case c == '\n' || c == '\r':
			lx.incLine()
		case c == '-':
			lx.advance()
			if lx.current != '-' {
				return t.of('-')
			}
			lx.advance()
			lx.skipComment()
		case c == '[':
			sep := lx.skipSep()
			switch {
			case sep >= 0:
				lx.readLongString(sep, true)
				t.text = string(lx.buf)
				t.value = t.text[2+sep : len(t.text)-2-sep]
				return t.of(tokString)
			case sep == -1:
				return t.of('[')
			}
			lx.errorf(string(lx.buf), "invalid long string delimiter")
		case c == '=' || c == '<' || c == '>' || c == '~':
			lx.advance()
			if lx.current != '=' {
				return t.of(c)
			}
			lx.advance()
			return t.of(withEquals(c))
		case c == '"' || c == '\'':
			lx.readString(c)
			t.text = string(lx.buf)
			t.value = t.text[1 : len(t.text)-1]
			return t.of(tokString)
		case c == '.':
			return lx.readDots(t)
		case c == eoz:
			return t.of(tokEOS)
		case isSpace(c):
			lx.advance()
		case isDigitChar(c):
			return lx.readNumeral(t)
		case isAlpha(c) || c == '_':
			return lx.readName(t)
		default:
			lx.advance()
			return t.of(c)
		}
	}
}

// atLabel reports whether the current token, a colon, starts a label
// ::name:: (gopher-lua's goto labels). Lua 5.1 has no :: token, and the
// lexer makes none, so that a::b and other misuses of :: fail as they do
// in lua5.1.
func (lx *lexer) atLabel() bool {
	if lx.t.kind != ':' || lx.hasAhead || lx.current != ':' {
		return false
	}
	rest := lx.src[lx.pos:]
	rest = bytes.TrimLeft(rest, " \t\r\n\v\f")
	n := 0
	for n < len(rest) && isAlnum(int(rest[n])) {
		n++
	}
	if n == 0 || isDigitChar(int(rest[0])) || reserved[string(rest[:n])] != 0 {
		return false
	}
	rest = bytes.TrimLeft(rest[n:], " \t\r\n\v\f")
	return bytes.HasPrefix(rest, []byte("::"))
}

// of returns t as a token of the given kind.
func (t token) of(kind int) token {
	t.kind = kind
	return t
}

// offset is where the current character is in the chunk.
func (lx *lexer) offset() int {
	if lx.current == eoz {
		return lx.pos
	}
	return lx.pos - 1
}

// readDots reads ., .., ... or a number starting with a dot.
func (lx *lexer) readDots(t token) token {
	lx.saveAndAdvance()
	if lx.checkNext(".") {
		if lx.checkNext(".") {
			return t.of(tokDots)
		}
		return t.of(tokConcat)
	}
	if !isDigitChar(lx.current) {
		return t.of('.')
	}
	return lx.readNumeral(t)
}

// readName reads a name or a reserved word.
func (lx *lexer) readName(t token) token {
	for isAlnum(lx.current) {
		lx.saveAndAdvance()
	}
	if k, ok := reserved[string(lx.buf)]; ok {
		return t.of(k)
	}
	t.text = string(lx.buf)
	t.value = t.text
	return t.of(tokName)
}

// skipComment skips what follows "--": a long comment or the rest of the line.
func (lx *lexer) skipComment() {
	if lx.current == '[' {
		sep := lx.skipSep()
		lx.buf = lx.buf[:0]
		if sep >= 0 {
			lx.readLongString(sep, false)
			lx.buf = lx.buf[:0]
			return
		}
	}
	for !lx.atNewline() && lx.current != eoz {
		lx.advance()
	}
}

// skipSep reads a long bracket's [=* or ]=*: the count of = when the
// bracket is complete, or -count-1.
func (lx *lexer) skipSep() int {
	count := 0
	s := lx.current
	lx.saveAndAdvance()
	for lx.current == '=' {
		lx.saveAndAdvance()
		count++
	}
	if lx.current == s {
		return count
	}
	return -count - 1
}

// readLongString reads a long string (isString) or comment after its
// opening [=*[, the string into the buffer.
func (lx *lexer) readLongString(sep int, isString bool) {
	what := "comment"
	if isString {
		what = "string"
	}
	lx.saveAndAdvance() // the second [
	if lx.atNewline() {
		lx.incLine()
	}
	for {
		switch lx.current {
		case eoz:
			lx.errorf(tokenString(tokEOS), "unfinished long %s", what)
		case '[':
			// LUA_COMPAT_LSTR 1, lua5.1's default: [[ inside [[...]] is an error.
			if lx.skipSep() == sep {
				lx.saveAndAdvance()
				if sep == 0 {
					lx.errorf("[", "nesting of [[...]] is deprecated")
				}
			}
		case ']':
			if lx.skipSep() == sep {
				lx.saveAndAdvance()
				return
			}
		case '\n', '\r':
			lx.save('\n')
			lx.incLine()
			if !isString {
				lx.buf = lx.buf[:0]
			}
		default:
			if isString {
				lx.saveAndAdvance()
			} else {
				lx.advance()
			}
		}
	}
}

// withEquals is the token of c followed by =: ==, <=, >= or ~=.
func withEquals(c int) int {
	switch c {
	case '=':
		return tokEq
	case '<':
		return tokLe
	case '>':
		return tokGe
	}
	return tokNe
}

// escape is the byte a one-letter escape stands for, or 0.
func escape(c int) byte {
	switch c {
	case 'a':
		return '\a'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'v':
		return '\v'
	}
	return 0
}

// readString reads a quoted string into the buffer, quotes included.
func (lx *lexer) readString(del int) {
	lx.saveAndAdvance()
	for lx.current != del {
		switch lx.current {
		case eoz:
			lx.errorf(tokenString(tokEOS), "unfinished string")
		case '\n', '\r':
			lx.errorf(string(lx.buf), "unfinished string")
		case '\\':
			lx.readEscape()
		default:
			lx.saveAndAdvance()
		}
	}
	lx.saveAndAdvance()
}

// readEscape reads the escape sequence after a backslash. Lua 5.1 keeps
// the character of an unknown escape (\q is q).
func (lx *lexer) readEscape() {
	lx.advance()
	c := lx.current
	switch {
	case escape(c) != 0:
		lx.save(int(escape(c)))
		lx.advance()
	case c == '\n' || c == '\r':
		lx.save('\n')
		lx.incLine()
	case c == eoz:
		// the loop reports the unfinished string
	case isDigitChar(c):
		v := 0
		for i := 0; i < 3 && isDigitChar(lx.current); i++ {
			v = 10*v + lx.current - '0'
			lx.advance()
		}
		if v > 255 {
			lx.errorf(string(lx.buf), "escape sequence too large")
		}
		lx.save(v)
	default:
		lx.saveAndAdvance()
	}
}

// checkNext takes the current character if it is in set (llex.c's
// check_next). As there, a NUL byte is in every set: strchr finds the
// terminating NUL.
func (lx *lexer) checkNext(set string) bool {
	if lx.current == eoz || lx.current != 0 && strings.IndexByte(set, byte(lx.current)) < 0 {
		return false
	}
	lx.saveAndAdvance()
	return true
}

// cString is s up to its first NUL byte, as C reads it.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// readNumeral reads a number as read_numeral does: digits and dots, an
// optional exponent sign, then any letters, digits and underscores; the
// whole of it must be a number strtod reads.
func (lx *lexer) readNumeral(t token) token {
	for isDigitChar(lx.current) || lx.current == '.' {
		lx.saveAndAdvance()
	}
	if lx.checkNext("Ee") {
		lx.checkNext("+-")
	}
	for isAlnum(lx.current) {
		lx.saveAndAdvance()
	}
	t.text = string(lx.buf)
	value, ok := numeral(cString(t.text))
	if !ok {
		lx.errorf(t.text, "malformed number")
	}
	t.value = value
	return t.of(tokNumber)
}
