package parse_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite testdata/syntax_errors.txt with luac5.1's messages")

const corpusFile = "testdata/syntax_errors.txt"

// errorCase is one chunk of testdata/syntax_errors.txt and what luac5.1
// says of it. An extension is a chunk lua5.1 rejects and gopher-lua
// accepts on purpose (labels, goto, empty statements).
type errorCase struct {
	name      string
	chunk     string
	lua51     string
	extension bool
}

// The file holds cases as
//
//	=== name                    (or "=== name [extension]")
//	chunk, one or more lines    (or one Go-quoted line after "=== name [quoted]")
//	--- lua5.1's message        (Go-quoted when it is not one line of text)
//
// A chunk ends without a newline; a blank line before --- adds one.
func readCases(t testing.TB) []errorCase {
	f, err := os.Open(corpusFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []errorCase
	var cur *errorCase
	var lines []string
	quoted := false
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "=== "):
			name := strings.TrimPrefix(line, "=== ")
			cur = &errorCase{}
			cur.name, quoted = strings.CutSuffix(name, " [quoted]")
			cur.name, cur.extension = strings.CutSuffix(cur.name, " [extension]")
			lines = nil
		case strings.HasPrefix(line, "---") && cur != nil:
			cur.chunk = strings.Join(lines, "\n")
			if quoted {
				cur.chunk = unquote(t, cur.chunk)
			}
			cur.lua51 = strings.TrimPrefix(strings.TrimPrefix(line, "---"), " ")
			if strings.HasPrefix(cur.lua51, `"`) {
				cur.lua51 = unquote(t, cur.lua51)
			}
			cases = append(cases, *cur)
			cur = nil
		case cur != nil:
			lines = append(lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func unquote(t testing.TB, s string) string {
	u, err := strconv.Unquote(s)
	if err != nil {
		t.Fatalf("%s: %q: %v", corpusFile, s, err)
	}
	return u
}

// writeCases rewrites the file with each case's lua5.1 message.
func writeCases(t *testing.T, cases []errorCase) {
	var b strings.Builder
	b.WriteString("# Broken chunks and what lua5.1 says of them (luac5.1 -p, the chunk on\n")
	b.WriteString("# stdin). Regenerate the messages: go test ./parse -run SyntaxErrors -update\n")
	for _, c := range cases {
		tags := ""
		if c.extension {
			tags += " [extension]"
		}
		chunk := c.chunk
		if !plain(chunk) {
			tags += " [quoted]"
			chunk = strconv.Quote(chunk)
		}
		msg := c.lua51
		if !plain(msg) || strings.Contains(msg, "\n") {
			msg = strconv.Quote(msg)
		}
		fmt.Fprintf(&b, "\n=== %s%s\n%s\n--- %s\n", c.name, tags, chunk, msg)
	}
	if err := os.WriteFile(corpusFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// plain reports whether s survives the file's line format unquoted.
func plain(s string) bool {
	if !utf8.ValidString(s) || strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, "\n\n") {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return false
		}
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "---") || strings.HasPrefix(l, "=== ") {
			return false
		}
	}
	return true
}

// TestSyntaxErrorsAsLua51 checks Parse's message for each broken chunk of
// testdata/syntax_errors.txt against lua5.1's, recorded there and, when
// luac5.1 is installed, checked against it again.
func TestSyntaxErrorsAsLua51(t *testing.T) {
	cases := readCases(t)
	if len(cases) < 60 {
		t.Fatalf("only %d cases in %s", len(cases), corpusFile)
	}
	if *update {
		for i := range cases {
			cases[i].lua51 = luac51(t, cases[i].chunk)
		}
		writeCases(t, cases)
	}
	_, oracleErr := lookLuac()
	for _, c := range cases {
		if oracleErr == nil {
			if live := luac51(t, c.chunk); live != c.lua51 {
				t.Errorf("%s: %s records %q, luac5.1 says %q", c.name, corpusFile, c.lua51, live)
			}
		}
		want := c.lua51
		if c.extension {
			want = ""
			if c.lua51 == "" {
				t.Errorf("%s: marked an extension but lua5.1 takes it", c.name)
			}
		}
		if got := ourError(c.chunk); got != want {
			t.Errorf("%s: chunk %q\n got: %q\nwant: %q", c.name, c.chunk, got, want)
		}
	}
}

// messageKinds are lparser.c's and llex.c's messages that Parse gives;
// the corpus must hold each at least once.
var messageKinds = []string{
	`'end' expected near`, `'end' expected \(to close 'if' at line \d+\)`,
	`'end' expected \(to close 'function' at line \d+\)`, `'end' expected \(to close 'while'`,
	`'end' expected \(to close 'for'`, `'end' expected \(to close 'do'`,
	`'until' expected \(to close 'repeat'`, `'then' expected`, `'do' expected`,
	`'\)' expected near`, `'\)' expected \(to close '\(' at line \d+\)`, `'}' expected near`,
	`'}' expected \(to close '{'`, `'\]' expected`, `'=' expected`, `'\(' expected`,
	`',' expected`, `'in' expected`, `'<name>' expected`, `'<eof>' expected`,
	`'=' or 'in' expected`, `<name> or '...' expected`, `unexpected symbol near`,
	`syntax error near`, `function arguments expected`,
	`ambiguous syntax \(function call x new statement\)`,
	`cannot use '...' outside a vararg function`, `no loop to break`,
	`chunk has too many syntax levels`, `main function has more than \d+ variables in assignment`,
	`function at line \d+ has more than \d+ variables in assignment`,
	`malformed number`, `unfinished string near '<eof>'`, `unfinished string near '"`,
	`unfinished long string`, `unfinished long comment`, `invalid long string delimiter`,
	`nesting of \[\[...\]\] is deprecated`, `escape sequence too large`, `near 'char\(\d+\)'`,
	`stdin:\d+: unexpected symbol$`,
}

// TestSyntaxErrorsCoverMessages checks that the corpus holds every
// message Parse gives.
func TestSyntaxErrorsCoverMessages(t *testing.T) {
	cases := readCases(t)
	for _, kind := range messageKinds {
		re := regexp.MustCompile(kind)
		found := false
		for _, c := range cases {
			found = found || !c.extension && re.MatchString(c.lua51)
		}
		if !found {
			t.Errorf("no case in %s gives %s", corpusFile, kind)
		}
	}
}
