package parse

import (
	"math"
	"strconv"
	"strings"
)

// numeral checks a numeral as lua5.1's lexer does (read_numeral, then
// luaO_str2d on the text) and returns the text ast.NumberExpr carries: the
// numeral itself, which the compiler reads with Str2Number too.
func numeral(text string) (string, bool) {
	_, ok := Str2Number(text)
	return text, ok
}

// Str2Number reads s as Lua 5.1 reads a number from a string, in the lexer
// and at run time (luaO_str2d; netlua patch): s, up to its first NUL byte
// as a C string ends there, must be what C's strtod reads (white space, a
// sign, a decimal or hexadecimal number, inf or nan) and then only white
// space. Out of range, it is infinity or zero, as strtod returns.
func Str2Number(s string) (float64, bool) {
	s = cString(s)
	v, n := strtod(s)
	if n == 0 {
		return 0, false
	}
	for i := n; i < len(s); i++ {
		if !isCSpace(s[i]) {
			return 0, false
		}
	}
	return v, true
}

// strtod reads the longest start of s that glibc's strtod reads, and
// returns its value and its length, 0 when there is none.
func strtod(s string) (float64, int) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	start, neg := i, false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	body := s[i:]
	if n := hexLen(body); n > 0 {
		text := s[start : i+n]
		if !strings.ContainsAny(body[:n], "pP") {
			text += "p0" // Go's hexadecimal floats need the exponent
		}
		v, err := strconv.ParseFloat(text, 64)
		return v, okRange(i+n, err)
	}
	if n, ok := specialLen(body); n > 0 {
		v := math.Inf(1)
		if !ok {
			v = math.NaN()
		}
		if neg {
			v = -v
		}
		return v, i + n
	}
	n := decimalLen(body)
	if n == 0 {
		return 0, 0
	}
	v, err := strconv.ParseFloat(s[start:i+n], 64)
	return v, okRange(i+n, err)
}

// okRange is n when err is nil or says the number is out of range (strtod
// returns infinity or zero then, and Lua takes it), else 0.
func okRange(n int, err error) int {
	if ne, ok := err.(*strconv.NumError); err != nil && !(ok && ne.Err == strconv.ErrRange) {
		return 0
	}
	return n
}

// decimalLen is the length of the decimal number s starts with: digits
// with an optional dot (one digit at least), then an exponent if digits
// follow its e.
func decimalLen(s string) int {
	i := digitsLen(s, isDecimalDigit)
	digits := i
	if i < len(s) && s[i] == '.' {
		n := digitsLen(s[i+1:], isDecimalDigit)
		i, digits = i+1+n, digits+n
	}
	if digits == 0 {
		return 0
	}
	return i + exponentLen(s[i:], "eE")
}

// hexLen is the length of the hexadecimal number s starts with: 0x, hex
// digits with an optional dot (one digit at least), then a binary exponent
// if digits follow its p. Without a digit after 0x it is 0: strtod reads
// the 0 alone, as a decimal.
func hexLen(s string) int {
	if len(s) < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') {
		return 0
	}
	i := 2 + digitsLen(s[2:], isHexDigit)
	digits := i - 2
	if i < len(s) && s[i] == '.' {
		n := digitsLen(s[i+1:], isHexDigit)
		i, digits = i+1+n, digits+n
	}
	if digits == 0 {
		return 0
	}
	return i + exponentLen(s[i:], "pP")
}

// exponentLen is the length of the exponent s starts with: one of marks,
// an optional sign and decimal digits; 0 without digits.
func exponentLen(s, marks string) int {
	if s == "" || !strings.ContainsRune(marks, rune(s[0])) {
		return 0
	}
	i := 1
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if n := digitsLen(s[i:], isDecimalDigit); n > 0 {
		return i + n
	}
	return 0
}

// specialLen is the length of the inf, infinity or nan (with an optional
// "(chars)") s starts with, in any case, and whether it is an infinity.
func specialLen(s string) (int, bool) {
	lower := strings.ToLower(s[:min(len(s), 8)])
	switch {
	case strings.HasPrefix(lower, "infinity"):
		return 8, true
	case strings.HasPrefix(lower, "inf"):
		return 3, true
	case !strings.HasPrefix(lower, "nan"):
		return 0, false
	}
	if len(s) > 3 && s[3] == '(' {
		n := digitsLen(s[4:], func(c byte) bool { return c == '_' || isHexDigit(c) || 'g' <= c|0x20 && c|0x20 <= 'z' })
		if 4+n < len(s) && s[4+n] == ')' {
			return 4 + n + 1, false
		}
	}
	return 3, false
}

// digitsLen is how many bytes at the start of s are digits by ok.
func digitsLen(s string, ok func(byte) bool) int {
	i := 0
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}

// isCSpace is C's isspace in the C locale.
func isCSpace(c byte) bool { return c == ' ' || '\t' <= c && c <= '\r' }

func isDecimalDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool {
	return isDecimalDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
