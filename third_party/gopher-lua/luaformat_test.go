package lua

import (
	"math"
	"testing"
)

// TestNumbersFormatAsLua51 checks tostring, .. and string.format of numbers
// (netlua patches 11, 12, 13). The expected strings are what lua5.1
// 5.1.5 on linux/amd64 printed for io.write(tostring(expr)), z being a local 0.
func TestNumbersFormatAsLua51(t *testing.T) {
	checkAsLua51(t, []luaCase{
		{"1791234567.12345", "1791234567.1235"},
		{"1", "1"},
		{"-1", "-1"},
		{"0", "0"},
		{"z * -1", "-0"},
		{"-z", "-0"},
		{"0/0", "-nan"},
		{"-(0/0)", "nan"},
		{"1/0", "inf"},
		{"-1/0", "-inf"},
		{"math.huge", "inf"},
		{"-math.huge", "-inf"},
		{"math.huge - math.huge", "-nan"},
		{"2^53", "9.007199254741e+15"},
		{"2^53 + 1", "9.007199254741e+15"},
		{"2^63", "9.2233720368548e+18"},
		{"1e14", "1e+14"},
		{"1e14 - 1", "99999999999999"},
		{"1e15", "1e+15"},
		{"1e16", "1e+16"},
		{"1e100", "1e+100"},
		{"123456789012345", "1.2345678901234e+14"},
		{"12345678901234", "12345678901234"},
		{"0.1", "0.1"},
		{"1/3", "0.33333333333333"},
		{"-2/3", "-0.66666666666667"},
		{"1e-5", "1e-05"},
		{"0.0001", "0.0001"},
		{"123e-310", "1.23e-308"},
		{"5e-324", "4.9406564584125e-324"},
		{"3.14159265358979", "3.1415926535898"},
		{"100 / 7", "14.285714285714"},
		{"2^0.5", "1.4142135623731"},
		{"5 % 0", "-nan"},
		{"-6 % 3", "0"},
		{"5.5 % -2", "-0.5"},
		{"-0.5 % 1", "0.5"},
		{"1e17 % 3", "0"},
		{"1e308 % 0.1", "-inf"},
		{"5 % math.huge", "-nan"},
		{"-5 % math.huge", "-nan"},
		{"tostring(1e15)", "1e+15"},
		{"1e15 .. \"\"", "1e+15"},
		{"2^53 .. \"|\" .. -z .. \"|\" .. 0/0", "9.007199254741e+15|-0|-nan"},
		{"string.format(\"%d\", 3.7)", "3"},
		{"string.format(\"%d\", -2.5)", "-2"},
		{"string.format(\"%5.2f\", 2.345)", " 2.35"},
		{"string.format(\"%5.2f\", 1/3)", " 0.33"},
		{"string.format(\"%g\", 1e20)", "1e+20"},
		{"string.format(\"%g\", 0.0001)", "0.0001"},
		{"string.format(\"%g\", 123456789)", "1.23457e+08"},
		{"string.format(\"%g\", 100000)", "100000"},
		{"string.format(\"%g\", 1000000)", "1e+06"},
		{"string.format(\"%g\", 1791234567.12345)", "1.79123e+09"},
		{"string.format(\"%.14g\", 2^53)", "9.007199254741e+15"},
		{"string.format(\"%+.3g\", 3.14159)", "+3.14"},
		{"string.format(\"%e\", 12345.678)", "1.234568e+04"},
		{"string.format(\"%G\", 1e-10)", "1E-10"},
		{"string.format(\"%10.4f|%-10.2f|\", math.pi, -math.pi)", "    3.1416|-3.14     |"},
		{"string.format(\"%05d|%-5d|%+d|% d|%5.3d\", -42, 7, 7, 7, 7)", "-0042|7    |+7| 7|  007"},
		{"string.format(\"%x|%X|%#x|%o|%u\", 255, 255, 255, 8, 42)", "ff|FF|0xff|10|42"},
		{"string.format(\"%x\", -1)", "ffffffffffffffff"},
		{"string.format(\"%5s|%-5s|%.3s|%5.1s\", \"ab\", \"ab\", \"abcdef\", \"xyz\")", "   ab|ab   |abc|    x"},
		{"string.format(\"%q\", \"a\\\"b\\\\c\\nd\\re\\0f\")", "\"a\\\"b\\\\c\\\nd\\re\\000f\""},
		{"string.format(\"%c%c%c\", 76, 117, 97)", "Lua"},
		{"string.format(\"%5.1f|%-8e|%+f|%G\", 1/0, -1/0, 0/0, 1/0)", "  inf|-inf    |-nan|INF"},
		{"string.format(\"%s %s %s\", 1e15, 0.1, -z)", "1e+15 0.1 -0"},
		{"string.format(\"%d%%\", 50)", "50%"},
		{"string.format(\"%3c|\", 66)", "  B|"},
	})
}

// luaCase is an expression and what lua5.1 printed for it.
type luaCase struct{ expr, lua51 string }

// checkAsLua51 evaluates each expression, z being a local 0, and compares
// its tostring with lua5.1's.
func checkAsLua51(t *testing.T, cases []luaCase) {
	t.Helper()
	for _, tc := range cases {
		L := NewState()
		if err := L.DoString("local z = 0 return tostring(" + tc.expr + ")"); err != nil {
			t.Errorf("%s: %v", tc.expr, err)
		} else if got := L.Get(-1).String(); got != tc.lua51 {
			t.Errorf("%s: got %q, lua5.1 gives %q", tc.expr, got, tc.lua51)
		}
		L.Close()
	}
}

// TestLNumber2IKeepsEveryNumber checks the preloaded-number shortcut of
// the allocator (netlua patch 11): only +0 to 127 share a preloaded
// value, and every number comes back with its bits (-0 and NaN included).
func TestLNumber2IKeepsEveryNumber(t *testing.T) {
	if got := math.Float64bits(float64(preloadLimit)); got != preloadLimitBits {
		t.Fatalf("preloadLimitBits is %#x, want %#x", uint64(preloadLimitBits), got)
	}
	al := newAllocator(8)
	for _, v := range []float64{0, math.Copysign(0, -1), 1, 127, 127.5, 128, -1, 1e300, math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN()} {
		got := float64(al.LNumber2I(LNumber(v)).(LNumber))
		if math.Float64bits(got) != math.Float64bits(v) {
			t.Errorf("LNumber2I(%v) = %v (bits %#x, want %#x)", v, got, math.Float64bits(got), math.Float64bits(v))
		}
	}
}
