package parse

import (
	"math"
	"strconv"
	"strings"
)

// numeral checks a numeral as lua5.1 does (luaO_str2d: all of it must be
// a number C's strtod reads, decimal or hexadecimal) and returns the text
// ast.NumberExpr carries: the numeral itself when gopher-lua's compiler
// reads the same value from it, else the value written out. (The compiler
// reads "012" as octal and "0xffffffffffffffff" or "1e400" not at all.)
func numeral(text string) (string, bool) {
	v, ok := strtod(text)
	if !ok {
		return "", false
	}
	if g, ok := compilerValue(text); ok && math.Float64bits(g) == math.Float64bits(v) {
		return text, true
	}
	return strconv.FormatFloat(v, 'g', -1, 64), true
}

// strtod reads text whole as glibc's strtod does, for the numerals the
// lexer makes (they start with a digit or a dot and have no spaces).
func strtod(text string) (float64, bool) {
	if len(text) > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') {
		return hexFloat(text[2:])
	}
	mant, exp := text, ""
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		mant, exp = text[:i], text[i+1:]
		if !isExponent(exp) {
			return 0, false
		}
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if !allIn(intPart, isDecimalDigit) || !allIn(frac, isDecimalDigit) || intPart+frac == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(text, 64)
	return v, err == nil || isRangeError(err)
}

// hexFloat reads the digits after 0x: hex digits, a dot and hex digits,
// and an optional p exponent. (The lexer's numerals never hold a dot
// after 0x; strtod would read one.)
func hexFloat(s string) (float64, bool) {
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "p")
	if hasExp && !isExponent(exp) {
		return 0, false
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if !allIn(intPart, isHexDigit) || !allIn(frac, isHexDigit) || intPart+frac == "" {
		return 0, false
	}
	if !hasExp {
		s += "p0"
	}
	v, err := strconv.ParseFloat("0x"+s, 64)
	return v, err == nil || isRangeError(err)
}

// isExponent reports whether s is an exponent's [+-]digits.
func isExponent(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return s != "" && allIn(s, isDecimalDigit)
}

func allIn(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isDecimalDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool {
	return isDecimalDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isRangeError: strtod returns ±HUGE_VAL or 0 for a number out of range,
// and Lua takes it.
func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// compilerValue is what gopher-lua's compiler (parseNumber in utils.go)
// reads from a numeral.
func compilerValue(text string) (float64, bool) {
	if v, err := strconv.ParseInt(text, 0, 64); err == nil {
		return float64(v), true
	}
	v, err := strconv.ParseFloat(text, 64)
	return v, err == nil
}
