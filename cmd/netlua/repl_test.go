package main

import (
	"strings"
	"testing"
)

func TestREPL(t *testing.T) {
	in := strings.Join([]string{
		"1 + 1",
		"x = 3",
		"=x * 2",
		"for i = 1, 2 do",
		"  print('line', i)",
		"end",
		"error('oops')",
		"local = 1",
		"print('still here')",
	}, "\n")
	var out, errb strings.Builder
	if code := repl(strings.NewReader(in), &out, &errb); code != 0 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{"> 2\n", "> 6\n", ">> >> line\t1\nline\t2\n", "still here\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	for _, want := range []string{"stdin:1: oops", "stdin:1: syntax error near '='"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("errors lack %q:\n%s", want, errb.String())
		}
	}
}
