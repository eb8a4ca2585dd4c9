package testrun

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind/testlab"
)

// The fixture directory's tests: 15 results, 9 of them failures (4 of
// them errors: two files that did not load, an error and a failed
// cleanup), 1 skipped.
const fixtureTests, fixtureFailed, fixtureErrors, fixtureSkipped = 15, 9, 4, 1

// tapResult is one test line of a TAP stream.
type tapResult struct {
	ok   bool
	n    int
	desc string
	skip bool
}

var tapLine = regexp.MustCompile(`^(ok|not ok) (\d+) - (.*)$`)

// parseTAP reads a TAP version 13 stream as a consumer would: the
// version, test lines, YAML blocks after failures, and the plan.
func parseTAP(t *testing.T, out string) (results []tapResult, plan int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != "TAP version 13" {
		t.Fatalf("first line %q, want TAP version 13", lines[0])
	}
	plan = -1
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		switch m := tapLine.FindStringSubmatch(l); {
		case m != nil:
			n, _ := strconv.Atoi(m[2])
			results = append(results, tapResult{ok: m[1] == "ok", n: n, desc: m[3], skip: strings.Contains(m[3], " # SKIP ")})
		case l == "  ---":
			if len(results) == 0 || results[len(results)-1].ok {
				t.Errorf("line %d: a YAML block that follows no failure", i+1)
			}
			for i++; i < len(lines) && lines[i] != "  ..."; i++ {
				if !strings.HasPrefix(lines[i], "  ") {
					t.Errorf("line %d: unindented line in a YAML block: %q", i+1, lines[i])
				}
			}
		case strings.HasPrefix(l, "1.."):
			plan, _ = strconv.Atoi(strings.TrimPrefix(l, "1.."))
		case strings.HasPrefix(l, "#"):
		default:
			t.Errorf("line %d is not TAP: %q", i+1, l)
		}
	}
	return results, plan
}

func TestTAP(t *testing.T) {
	res := testlab.Run(t, "", "test", "--tap", fixtures+"runner")
	if res.Code != cli.ExitError {
		t.Errorf("exit status %d, want %d", res.Code, cli.ExitError)
	}
	results, plan := parseTAP(t, res.Stdout)
	if plan != fixtureTests || len(results) != plan {
		t.Errorf("plan 1..%d, %d test lines; want %d", plan, len(results), fixtureTests)
	}
	failed, skipped := 0, 0
	for i, r := range results {
		if r.n != i+1 {
			t.Errorf("test line %d is numbered %d", i+1, r.n)
		}
		if !r.ok {
			failed++
		}
		if r.skip {
			skipped++
		}
	}
	if failed != fixtureFailed || skipped != fixtureSkipped {
		t.Errorf("%d not ok, %d skipped; want %d and %d", failed, skipped, fixtureFailed, fixtureSkipped)
	}
	contains(t, res.Stdout, "not ok", " - "+fixtures+"runner/syntax_test.lua\n", "# 5 passed, 9 failed, 1 skipped\n")
}

// The JUnit schema, as a CI system reads it.
type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name    string    `xml:"name,attr"`
			Time    float64   `xml:"time,attr"`
			Failure *struct{} `xml:"failure"`
			Error   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"error"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	file := filepath.Join(t.TempDir(), "junit.xml")
	res := testlab.Run(t, "", "test", "--junit", file, fixtures+"runner")
	if res.Code != cli.ExitError {
		t.Errorf("exit status %d, want %d", res.Code, cli.ExitError)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("junit XML: %v\n%s", err, data)
	}
	if doc.Tests != fixtureTests || doc.Failures+doc.Errors != fixtureFailed || doc.Errors != fixtureErrors || doc.Skipped != fixtureSkipped {
		t.Errorf("tests %d failures %d errors %d skipped %d; want %d, %d in all, %d, %d",
			doc.Tests, doc.Failures, doc.Errors, doc.Skipped, fixtureTests, fixtureFailed, fixtureErrors, fixtureSkipped)
	}
	cases, problems := 0, 0
	for _, s := range doc.Suites {
		var f, e, sk int
		for _, c := range s.Cases {
			f, e, sk = f+btoi(c.Failure != nil), e+btoi(c.Error != nil), sk+btoi(c.Skipped != nil)
			if c.Name == "throws" && (c.Error == nil || !strings.Contains(c.Error.Text, "error_test.lua:4: boom")) {
				t.Errorf("error text lacks the message: %q", c.Error.Text)
			}
		}
		if len(s.Cases) != s.Tests || f != s.Failures || e != s.Errors || sk != s.Skipped {
			t.Errorf("suite %s: counts %d/%d/%d/%d, testcases say %d/%d/%d/%d", s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, len(s.Cases), f, e, sk)
		}
		cases += len(s.Cases)
		problems += f + e
	}
	if cases != doc.Tests || problems != fixtureFailed {
		t.Errorf("%d testcases with %d problems, want %d and %d", cases, problems, doc.Tests, fixtureFailed)
	}
	contains(t, res.Stdout, "5 passed, 9 failed, 1 skipped")
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
