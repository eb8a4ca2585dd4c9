package parse_test

import (
	"math/rand"
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// insertable are the tokens the variants insert.
var insertable = []string{
	"end", "then", "do", "(", ")", "{", "}", "[", "]", "=", ",", ";", ".", ":",
	"..", "...", "+", "-", "*", "==", "<", "local", "function", "if", "else",
	"elseif", "while", "for", "in", "return", "break", "repeat", "until", "not",
	"and", "nil", "x", "1", "1e", `"s"`, `"open`, "[[", "#", "~", "@",
}

// mutations returns n variants of src, each with one token deleted, one
// inserted or one replaced.
func mutations(src string, n int, rng *rand.Rand) []string {
	starts := parse.TokenStarts([]byte(src))
	if len(starts) < 2 {
		return nil
	}
	var out []string
	for i := 0; i < n; i++ {
		k := rng.Intn(len(starts) - 1)
		at, next := starts[k], starts[k+1]
		tok := insertable[rng.Intn(len(insertable))]
		switch rng.Intn(3) {
		case 0: // delete token k
			out = append(out, src[:at]+src[next:])
		case 1: // insert before token k
			out = append(out, src[:at]+tok+" "+src[at:])
		default: // replace token k (and the space after it)
			out = append(out, src[:at]+tok+" "+src[next:])
		}
	}
	return out
}

// extension reports whether a variant's result differs from lua5.1's
// because gopher-lua takes labels, goto and empty statements, which
// lua5.1 rejects: it takes the variant, or lua5.1 stops at a semicolon
// that starts a statement.
func extension(chunk, got, want string) bool {
	if got == "" {
		return strings.Contains(chunk, "::") || strings.Contains(chunk, "goto") || strings.Contains(chunk, ";")
	}
	return strings.HasSuffix(want, "unexpected symbol near ';'")
}

// codeLimit reports whether lua5.1's message is one of the limits of its
// code generator, which Parse does not emulate (gopher-lua's compiler has
// its own, lower ones).
func codeLimit(msg string) bool {
	return strings.Contains(msg, "function or expression too complex") ||
		strings.Contains(msg, "local variables") || strings.Contains(msg, "upvalues")
}

// loads reports whether gopher-lua parses and compiles src.
func loads(src string) bool {
	chunk, err := parse.Parse(strings.NewReader(src), "stdin")
	if err != nil {
		return false
	}
	_, err = lua.Compile(chunk, "stdin")
	return err == nil
}

// TestMutationsAgreeWithLua51 breaks valid programs of the corpus (see
// corpus) one token at a time and checks that Parse says what lua5.1 says
// of each variant: the same line and message, or no error.
func TestMutationsAgreeWithLua51(t *testing.T) {
	lua := newLua51Batch(t)
	rng := rand.New(rand.NewSource(51))
	perFile := 40
	if testing.Short() {
		perFile = 5
	}
	var total, same, errored, ext, limits int
	for _, path := range corpus(t) {
		src := string(readChunk(t, path))
		if lua.check(t, src) != "" {
			continue // not Lua 5.1
		}
		for _, v := range mutations(src, perFile, rng) {
			want, got := lua.check(t, v), ourError(v)
			total++
			if want != "" {
				errored++
			}
			switch {
			case got == want:
				same++
			case extension(v, got, want):
				ext++
			case codeLimit(want):
				if loads(v) {
					t.Errorf("%s variant: lua5.1 says %q, gopher-lua loads it", path, want)
				}
				limits++
			default:
				t.Errorf("%s variant:\n%s\n got: %q\nwant: %q", path, excerpt(v, want), got, want)
			}
		}
	}
	t.Logf("%d variants (%d that lua5.1 rejects): %d agree on line and message (%.2f%%), "+
		"%d are gopher-lua extensions, %d hit a code-generation limit of lua5.1",
		total, errored, same, 100*float64(same)/float64(max(total, 1)), ext, limits)
	if total == 0 {
		t.Fatal("no variant")
	}
}

// excerpt shows the lines of v around the line lua5.1 names.
func excerpt(v, msg string) string {
	lines := strings.Split(v, "\n")
	line := 1
	if _, rest, ok := strings.Cut(msg, ":"); ok {
		if n, _, ok := strings.Cut(rest, ":"); ok {
			if x, err := strconv.Atoi(n); err == nil {
				line = x
			}
		}
	}
	lo, hi := max(line-3, 0), min(line+2, len(lines))
	return strings.Join(lines[lo:hi], "\n")
}
