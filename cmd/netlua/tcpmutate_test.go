package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// A mutation is one `-- mutate: A => B` marker of a ported TCP test: the
// textual change to the line it ends that must make its test fail.
type mutation struct {
	File string // the test file's base name
	Line int    // 1-based
	Test string // the test's name without its family suffix
	From string // A: occurs exactly once in the line's code
	To   string // B
}

// String names the marker by place, test and change, for failure messages.
func (m mutation) String() string {
	return fmt.Sprintf("%s:%d (%s): %s => %s", m.File, m.Line, m.Test, m.From, m.To)
}

// markerRE finds the marker comment at the end of a line.
var markerRE = regexp.MustCompile(`^(.*?)--\s*mutate:\s*(.+?)\s*=>\s*(.*?)\s*$`)

// testCallRE finds a line declaring a test: test("name" ..., or a wrapper
// whose name holds "test" (test_both("name", ...)). The name is the first
// string literal, before any `.. " ipv4"` the line appends; its spaces at
// either end are dropped.
var testCallRE = regexp.MustCompile(`\b\w*test\w*\(\s*"([^"]+)"`)

// parseMutations reads the markers of one test file. Each belongs to the
// test declared on the nearest line above it; a marker above every test,
// or whose A side is not exactly once in the code before it, is an error,
// since the mutation could not say which test must fail.
func parseMutations(file, src string) ([]mutation, error) {
	var out []mutation
	current := ""
	for i, line := range strings.Split(src, "\n") {
		if m := testCallRE.FindStringSubmatch(line); m != nil {
			current = strings.TrimSpace(m[1])
		}
		m := markerRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		mu := mutation{File: file, Line: i + 1, Test: current, From: m[2], To: m[3]}
		switch {
		case current == "":
			return nil, fmt.Errorf("%s:%d: a mutate marker above every test", file, mu.Line)
		case strings.Count(m[1], mu.From) != 1:
			return nil, fmt.Errorf("%s:%d: %q occurs %d times before the marker, want once",
				file, mu.Line, mu.From, strings.Count(m[1], mu.From))
		}
		out = append(out, mu)
	}
	return out, nil
}

// apply returns src with m's replacement made on its line, and the marker
// removed (so that the mutated line cannot be matched again).
func (m mutation) apply(src string) string {
	lines := strings.Split(src, "\n")
	code := markerRE.FindStringSubmatch(lines[m.Line-1])[1]
	lines[m.Line-1] = strings.Replace(code, m.From, m.To, 1)
	return strings.Join(lines, "\n")
}

// runPattern is the --run pattern that selects m's test in both families.
func (m mutation) runPattern() string {
	return "^" + regexp.QuoteMeta(m.Test) + "( ipv[46])?$"
}

// baseName is a test's name without the family suffix the ported tests
// append to it.
func baseName(name string) string {
	return strings.TrimSuffix(strings.TrimSuffix(name, " ipv4"), " ipv6")
}

// Markers belong to the test above them, and a mutation changes only its
// own line's code.
func TestParseMutations(t *testing.T) {
	src := `local tcptest = require "tcptest"
for _, family in ipairs{"ipv4", "ipv6"} do
  test("close then fin " .. family, function(t)
    tt:expect{ flags = "SA", ack = 1 }  -- mutate: ack = 1 => ack = 2
  end)
  test("shutdown", function(t)
    tt:expect{ flags = "F" }  -- mutate: "F" => "FA"
  end)
end`
	ms, err := parseMutations("x_test.lua", src)
	if err != nil {
		t.Fatal(err)
	}
	want := []mutation{
		{File: "x_test.lua", Line: 4, Test: "close then fin", From: "ack = 1", To: "ack = 2"},
		{File: "x_test.lua", Line: 7, Test: "shutdown", From: `"F"`, To: `"FA"`},
	}
	if len(ms) != len(want) || ms[0] != want[0] || ms[1] != want[1] {
		t.Fatalf("got %v, want %v", ms, want)
	}
	got := strings.Split(ms[0].apply(src), "\n")[3]
	if got != `    tt:expect{ flags = "SA", ack = 2 }  ` {
		t.Errorf("mutated line %q", got)
	}
	if p := ms[1].runPattern(); !regexp.MustCompile(p).MatchString("shutdown ipv6") || regexp.MustCompile(p).MatchString("shutdown rd ipv4") {
		t.Errorf("run pattern %q", p)
	}

	for _, bad := range []string{
		`tt:expect{ ack = 1 }  -- mutate: ack = 1 => ack = 2`,
		"test(\"t\", function() tt:expect{ ack = 1, x = ack = 1 }  -- mutate: ack = 1 => ack = 2",
		"test(\"t\", function() tt:expect{ ack = 1 }  -- mutate: seq = 1 => seq = 2",
	} {
		if _, err := parseMutations("x_test.lua", bad); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}
