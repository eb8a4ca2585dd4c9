package lua

// netlua patches 11 and 12 (PATCHES.md): numbers become strings as Lua
// 5.1's LUA_NUMBER_FMT ("%.14g") makes them, and string.format follows
// lstrlib.c's str_format instead of Go's fmt verbs.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// numberToString formats f as lua5.1's tostring does: "%.14g", with the C
// library's names for the infinities and NaN (whose sign it prints, as glibc
// does).
func numberToString(f float64) string {
	switch {
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == math.Trunc(f) && math.Abs(f) < 1e14 && !(f == 0 && math.Signbit(f)):
		return strconv.FormatInt(int64(f), 10) // at most 14 digits: %.14g is the integer
	}
	return strconv.FormatFloat(f, 'g', 14, 64)
}

// formatFlags are the flags str_format accepts, at most one of each.
const formatFlags = "-+ #0"

// luaFormat is string.format as lstrlib.c's str_format: a spec is
// %[flags][width][.precision]conversion with at most two digits each for
// width and precision, and the conversions c d i o u x X e E f g G q s.
func luaFormat(L *LState) int {
	format := L.CheckString(1)
	var b strings.Builder
	arg := 1
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			b.WriteByte('%')
			continue
		}
		arg++
		if arg > L.GetTop() {
			L.ArgError(arg, "no value")
		}
		spec, end := scanFormat(L, format, i)
		i = end
		conv := byte(0)
		if i < len(format) {
			conv = format[i]
		}
		item := formatItem(L, arg, spec, conv)
		if n := strings.IndexByte(item, 0); n >= 0 && conv != 'q' && conv != 's' {
			item = item[:n] // C's sprintf result is used up to its first NUL
		}
		b.WriteString(item)
	}
	L.Push(LString(b.String()))
	return 1
}

// scanFormat reads the flags, width and precision of the spec at format[i:]
// and returns them, without the '%', and the index of the conversion.
func scanFormat(L *LState, format string, i int) (string, int) {
	start := i
	for i < len(format) && strings.IndexByte(formatFlags, format[i]) >= 0 {
		i++
	}
	if i-start > len(formatFlags) {
		L.RaiseError("invalid format (repeated flags)")
	}
	i = skipDigits(format, i, 2)
	if i < len(format) && format[i] == '.' {
		i = skipDigits(format, i+1, 2)
	}
	if i < len(format) && isDigit(format[i]) {
		L.RaiseError("invalid format (width or precision too long)")
	}
	return format[start:i], i
}

func skipDigits(s string, i, max int) int {
	for n := 0; n < max && i < len(s) && isDigit(s[i]); n++ {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// formatItem formats argument arg by one spec, as C's sprintf does.
func formatItem(L *LState, arg int, spec string, conv byte) string {
	switch conv {
	case 'c':
		return padBytes(spec, string([]byte{byte(int(L.CheckNumber(arg)))}))
	case 'd', 'i':
		n := float64(L.CheckNumber(arg))
		return fmt.Sprintf("%"+spec+"d", int64(n))
	case 'o', 'u', 'x', 'X':
		verb := string(conv)
		if conv == 'u' {
			verb = "d"
		}
		return fmt.Sprintf("%"+spec+verb, cUnsigned(float64(L.CheckNumber(arg))))
	case 'e', 'E', 'f', 'g', 'G':
		return formatFloat(spec, conv, float64(L.CheckNumber(arg)))
	case 'q':
		return quoteString(L.CheckString(arg))
	case 's':
		s := L.CheckString(arg)
		if !strings.Contains(spec, ".") && len(s) >= 100 {
			return s // lstrlib.c keeps a long string whole, ignoring the width
		}
		if n := strings.IndexByte(s, 0); n >= 0 {
			s = s[:n]
		}
		return padBytes(spec, s)
	}
	L.RaiseError("invalid option '%%%c' to 'format'", conv)
	return ""
}

// cUnsigned converts f as C's (unsigned long) cast does on amd64 and arm64
// for the values a script formats with %x: negative numbers wrap around.
func cUnsigned(f float64) uint64 {
	if f >= 1<<63 {
		return uint64(f)
	}
	return uint64(int64(f))
}

// formatFloat formats f with spec and conv as C's printf: precision 6 when
// none is given, and "inf" and "nan" for the values Go calls +Inf and NaN.
func formatFloat(spec string, conv byte, f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := numberToString(f)
		if !strings.HasPrefix(s, "-") {
			if strings.Contains(spec, "+") {
				s = "+" + s
			} else if strings.Contains(spec, " ") {
				s = " " + s
			}
		}
		if conv == 'E' || conv == 'G' {
			s = strings.ToUpper(s)
		}
		if dot := strings.IndexByte(spec, '.'); dot >= 0 {
			spec = spec[:dot] // C ignores the precision of inf and nan
		}
		return padBytes(spec, s) // with spaces, whatever the flags
	}
	if !strings.Contains(spec, ".") {
		spec += ".6"
	}
	return fmt.Sprintf("%"+spec+string(conv), f)
}

// padBytes pads s to the spec's width with spaces, counting bytes as C
// does (Go's fmt counts runes); it applies the spec's precision first.
func padBytes(spec string, s string) string {
	left := strings.Contains(spec, "-")
	spec = strings.TrimLeft(spec, formatFlags)
	width, prec, hasPrec := spec, "", false
	if dot := strings.IndexByte(spec, '.'); dot >= 0 {
		width, prec, hasPrec = spec[:dot], spec[dot+1:], true
	}
	if hasPrec {
		if p, _ := strconv.Atoi(prec); p < len(s) {
			s = s[:p]
		}
	}
	w, _ := strconv.Atoi(width)
	if pad := w - len(s); pad > 0 {
		if left {
			return s + strings.Repeat(" ", pad)
		}
		return strings.Repeat(" ", pad) + s
	}
	return s
}

// quoteString is %q: the string between double quotes, with the bytes
// Lua's reader needs escaped.
func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\', '\n':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			b.WriteString(`\r`)
		case 0:
			b.WriteString(`\000`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
