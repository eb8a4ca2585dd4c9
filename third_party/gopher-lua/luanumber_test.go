package lua

import "testing"

// TestNumbersReadAsLua51 checks how strings become numbers: tonumber in
// base 10 and other bases, arithmetic on strings, and the number arguments
// of library functions (netlua patch 22). The expected strings are what
// lua5.1 5.1.5 on linux/amd64 printed for io.write(tostring(expr)).
func TestNumbersReadAsLua51(t *testing.T) {
	checkAsLua51(t, []luaCase{
		{"tonumber(\"1e5\")", "100000"},
		{"tonumber(\"010\")", "10"},
		{"\"010\" + 0", "10"},
		{"tonumber(\"  12  \")", "12"},
		{"tonumber(\"\\v12\\f\")", "12"},
		{"tonumber(\"+5\")", "5"},
		{"tonumber(\"- 5\")", "nil"},
		{"tonumber(\"1 2\")", "nil"},
		{"tonumber(\"\")", "nil"},
		{"tonumber(\" \")", "nil"},
		{"tonumber(\"1e\")", "nil"},
		{"tonumber(\"1e+\")", "nil"},
		{"tonumber(\"1e5 \")", "100000"},
		{"tonumber(\".5\")", "0.5"},
		{"tonumber(\"5.\")", "5"},
		{"tonumber(\".\")", "nil"},
		{"tonumber(\"0x10\")", "16"},
		{"tonumber(\"-0x10\")", "-16"},
		{"tonumber(\"0X1F\")", "31"},
		{"tonumber(\"0x\")", "nil"},
		{"tonumber(\"0x.8\")", "0.5"},
		{"tonumber(\"0x1.8p1\")", "3"},
		{"tonumber(\"0x1p4\")", "16"},
		{"tonumber(\"0x8p\")", "nil"},
		{"tonumber(\"1e400\")", "inf"},
		{"tonumber(\"-1e400\")", "-inf"},
		{"tonumber(\"99999999999999999999\")", "1e+20"},
		{"tonumber(\"inf\")", "inf"},
		{"tonumber(\"-inf\")", "-inf"},
		{"tonumber(\"infinity\")", "inf"},
		{"tonumber(\"INF\")", "inf"},
		{"tonumber(\"nan\")", "nan"},
		{"tonumber(\"nan(abc)\")", "nan"},
		{"tonumber(\"12\\0ab\")", "12"},
		{"\"0x10\" + 0", "16"},
		{"\"1e2\" * 1", "100"},
		{"\" 5 \" + 1", "6"},
		{"tonumber(\"1e5\", 10)", "100000"},
		{"tonumber(\" 0x10 \", 10)", "16"},
		{"tonumber(\"ff\", 16)", "255"},
		{"tonumber(\" ff \", 16)", "255"},
		{"tonumber(\"0xff\", 16)", "255"},
		{"tonumber(\"0x\", 16)", "nil"},
		{"tonumber(\"zz\", 36)", "1295"},
		{"tonumber(\"8\", 8)", "nil"},
		{"tonumber(\"777\", 8)", "511"},
		{"tonumber(\"11\", 2)", "3"},
		{"tonumber(10, 16)", "16"},
		{"string.rep(\"x\", \"03\")", "xxx"},
		{"(\"abc\"):sub(\"2\")", "bc"},
		{"table.concat({1, 2}, 3)", "132"},
	})
}

// TestToNumberKeepsTheSign: in a base other than 10 a negative number
// keeps its sign, as Lua 5.1's own math.lua and Lua 5.2 expect (a 64-bit
// lua5.1 wraps it as an unsigned long instead).
func TestToNumberKeepsTheSign(t *testing.T) {
	checkAsLua51(t, []luaCase{
		{`tonumber("\n  -10  \n", 36)`, "-36"},
		{`tonumber("-ff", 16)`, "-255"},
	})
}
