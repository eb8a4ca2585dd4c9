package lua

import "testing"

// TestPowAsLua51 checks ^, math.pow and math.mod (netlua patch 17)
// against what lua5.1 5.1.5 with glibc on linux/amd64 printed.
func TestPowAsLua51(t *testing.T) {
	checkAsLua51(t, []luaCase{
		{"string.format(\"%.17g\", 1e15^3)", "9.9999999999999993e+44"},
		{"string.format(\"%.17g\", 1.1^100)", "13780.612339822381"},
		{"string.format(\"%.17g\", (-1.1)^-101)", "-6.5968832637710369e-05"},
		{"string.format(\"%.17g\", 7^-2)", "0.020408163265306121"},
		{"(z/z)^3", "nan"},
		{"(z/z)^2", "-nan"},
		{"(-(z/z))^3", "nan"},
		{"math.pow(z/z, 3)", "nan"},
		{"(-2)^0.5", "-nan"},
		{"math.mod(-7, 3)", "-1"},
		{"math.mod(7.5, 2)", "1.5"},
	})
}
