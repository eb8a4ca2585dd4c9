package parse_test

import (
	"runtime/debug"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// nested builds a chunk of n levels of a shape: open repeated n times,
// then middle, then close repeated n times.
type nested struct {
	name, open, middle, close, prefix string
}

func (s nested) chunk(n int) string {
	return s.prefix + strings.Repeat(s.open, n) + s.middle + strings.Repeat(s.close, n)
}

var nestings = []nested{
	{name: "parentheses", prefix: "x = ", open: "(", middle: "1", close: ")"},
	{name: "tables", prefix: "x = ", open: "{", close: "}"},
	{name: "index", prefix: "x = ", open: "a[", middle: "1", close: "]"},
	{name: "calls", open: "f(", close: ")"},
	{name: "do blocks", open: "do ", close: "end "},
	{name: "while loops", open: "while x do ", close: "end "},
	{name: "repeat loops", open: "repeat ", close: "until x "},
	{name: "if else", open: "if x then else ", close: "end "},
	{name: "functions", open: "function f() ", close: "end "},
	{name: "function expressions", prefix: "x = ", open: "function() return ", middle: "1", close: " end"},
	{name: "unary minus", prefix: "x = ", open: "- ", middle: "1"},
	{name: "not", prefix: "x = ", open: "not ", middle: "1"},
	{name: "concatenation", prefix: "x = ", open: "x .. ", middle: "x"},
	{name: "power", prefix: "x = ", open: "x ^ ", middle: "x"},
	{name: "variables in assignment", prefix: "a", open: ", a", middle: " = 1"},
}

// TestNestingLimitAsLua51 checks that Parse takes the same nesting as
// luac5.1 and fails past it with the same message: lparser.c counts
// levels (LUAI_MAXCCALLS, 200) and variables in an assignment.
func TestNestingLimitAsLua51(t *testing.T) {
	for _, s := range nestings {
		for n := 185; n <= 200; n++ {
			src := s.chunk(n)
			if got, want := ourError(src), luac51(t, src); got != want {
				t.Errorf("%s, %d levels: got %q, luac5.1 says %q", s.name, n, got, want)
			}
		}
	}
}

// TestNestingBombs checks that a chunk nested a million levels deep fails
// with lua5.1's message and no Go stack overflow, in the parser or the
// compiler (loadstring('return '..('{'):rep(1e6)..('}'):rep(1e6)) used
// to kill the process).
func TestNestingBombs(t *testing.T) {
	for _, s := range nestings {
		_, err := parse.Parse(strings.NewReader(s.chunk(1000000)), "bomb")
		if err == nil || !strings.Contains(err.Error(), "bomb:1: ") ||
			!strings.Contains(err.Error(), "syntax levels") && !strings.Contains(err.Error(), "variables in assignment") {
			t.Errorf("%s: got %v", s.name, err)
		}
	}
}

// chains are shapes Lua 5.1 parses in a loop, however long, and which
// nest in gopher-lua's AST: the compiler walks them recursively.
var chains = []nested{
	{name: "addition", prefix: "return x", open: " + x"},
	{name: "or", prefix: "return x", open: " or x"},
	{name: "comparison", prefix: "return x", open: " < x"},
	{name: "fields", prefix: "return x", open: ".b"},
	{name: "indexes", prefix: "return x", open: "[1]"},
	{name: "calls", prefix: "return x", open: "()"},
	{name: "methods", prefix: "return x", open: ":m()"},
	{name: "string calls", prefix: "return x", open: `"s"`},
	{name: "elseif", prefix: "if x then ", open: "elseif x then ", middle: "end"},
	{name: "function name", prefix: "function a", open: ".b", middle: "() end"},
	{name: "fields in a condition", prefix: "if x", open: " and x", middle: " then end"},
}

// TestLongChainsCompile checks that chains of a few thousand links parse
// and compile within a small Go stack, and that a chain of a million
// fails with a message instead of overflowing the stack.
func TestLongChainsCompile(t *testing.T) {
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	for _, s := range chains {
		chunk, err := parse.Parse(strings.NewReader(s.chunk(3000)), "chain")
		if err != nil {
			t.Errorf("%s, 3000 links: %v", s.name, err)
			continue
		}
		if _, err := lua.Compile(chunk, "chain"); err != nil {
			t.Errorf("%s, 3000 links: %v", s.name, err)
		}
		_, err = parse.Parse(strings.NewReader(s.chunk(1000000)), "chain")
		if err == nil || !strings.HasSuffix(err.Error(), ": chunk has too many syntax levels") {
			t.Errorf("%s, a million links: got %v", s.name, err)
		}
	}
	// Lists are not chains: a constructor or a block may be as long as memory
	// allows. (So many arguments exceed the registers: a compile error.)
	for name, src := range map[string]string{
		"constructor": "return {" + strings.Repeat("x, ", 200000) + "}",
		"block":       strings.Repeat("x = 1 ", 200000),
		"arguments":   "f(" + strings.Repeat("x, ", 100000) + "x)",
	} {
		chunk, err := parse.Parse(strings.NewReader(src), "list")
		if err != nil {
			t.Errorf("long %s: %v", name, err)
			continue
		}
		if _, err := lua.Compile(chunk, "list"); err != nil && name != "arguments" {
			t.Errorf("long %s: %v", name, err)
		}
	}
}
