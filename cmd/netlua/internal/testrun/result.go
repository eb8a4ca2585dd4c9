package testrun

import (
	"fmt"
	"strings"
	"time"
)

// A testStatus is how a test ended.
type testStatus int

const (
	testPassed testStatus = iota
	testFailed
	testSkipped
)

// A testResult is how one test ended, or why a test file could not run
// (then Name is empty).
type testResult struct {
	File     string
	Name     string
	Where    string // file:line of test(name, fn)
	Status   testStatus
	Elapsed  time.Duration
	Failures []testFailure
	Skip     string // "file:line: why", for a skipped test
	Output   string // what it printed
}

// A testFailure is one failed check, or the error that ended a test.
type testFailure struct {
	Message string   // "file:line: message"
	Detail  []string // got and want, a hex diff, a traceback
	Error   bool     // an error or a timeout rather than a failed check
}

// title names the test in reports: "dir/arp_test.lua: reply comes back".
func (r *testResult) title() string {
	if r.Name == "" {
		return r.File
	}
	return r.File + ": " + r.Name
}

// errored reports whether an error, rather than a check, failed the test.
func (r *testResult) errored() bool {
	for _, f := range r.Failures {
		if f.Error {
			return true
		}
	}
	return false
}

// text is the failures as reports show them: each message, then its
// detail indented below it.
func (r *testResult) text() []string {
	var lines []string
	for _, f := range r.Failures {
		lines = append(lines, f.Message)
		for _, d := range f.Detail {
			lines = append(lines, "    "+d)
		}
	}
	return lines
}

// fail adds a failure and marks the result failed.
func (r *testResult) fail(f testFailure) {
	r.Failures = append(r.Failures, f)
	r.Status = testFailed
}

// errorFailure is the failure of an error: its message, then the rest of
// the report (the traceback) as detail.
func errorFailure(report string) testFailure {
	msg, rest, _ := strings.Cut(report, "\n")
	return testFailure{Message: msg, Detail: splitLines(strings.ReplaceAll(rest, "\t", "  "), ""), Error: true}
}

// splitLines splits s into lines, each prefixed by indent; "" has none.
func splitLines(s, indent string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i := range lines {
		lines[i] = indent + lines[i]
	}
	return lines
}

// gotWant is the detail lines of a got and a want, multi-line values
// indented under their first line.
func gotWant(got, want *string) []string {
	var lines []string
	add := func(label string, v *string) {
		if v != nil {
			lines = append(lines, strings.Split(label+strings.ReplaceAll(*v, "\n", "\n      "), "\n")...)
		}
	}
	add("got:  ", got)
	add("want: ", want)
	return lines
}

// testCounts are the totals of a run.
type testCounts struct{ passed, failed, skipped int }

func (c *testCounts) add(s testStatus) {
	switch s {
	case testPassed:
		c.passed++
	case testFailed:
		c.failed++
	case testSkipped:
		c.skipped++
	}
}

func (c testCounts) total() int { return c.passed + c.failed + c.skipped }

// String is the line that ends every run.
func (c testCounts) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", c.passed, c.failed, c.skipped)
}

// millis shows a duration as reports do: "12.3 ms".
func millis(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
