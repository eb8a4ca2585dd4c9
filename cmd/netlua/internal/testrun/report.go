package testrun

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A testReporter writes the results of a run as they come, in one format.
type testReporter interface {
	result(r *testResult)
	end(c testCounts) error
}

// textReport is the format for people: failed tests with what failed
// (every test with -v), then the counts.
type textReport struct {
	w       io.Writer
	verbose bool
}

var statusWords = map[testStatus]string{testPassed: "PASS", testFailed: "FAIL", testSkipped: "SKIP"}

func (t *textReport) result(r *testResult) {
	if r.Status != testFailed && !t.verbose {
		return
	}
	fmt.Fprintf(t.w, "--- %s: %s (%s)\n", statusWords[r.Status], r.title(), millis(r.Elapsed))
	lines := splitLines(r.Output, "")
	if r.Skip != "" {
		lines = append(lines, r.Skip)
	}
	for _, l := range append(lines, r.text()...) {
		fmt.Fprintf(t.w, "    %s\n", l)
	}
}

func (t *textReport) end(c testCounts) error {
	_, err := fmt.Fprintln(t.w, c)
	return err
}

// tapReport writes TAP version 13 (testanything.org): a line per test,
// failures as YAML blocks, what tests printed as comments, and the plan
// at the end, since tests are only known once their files have run.
type tapReport struct {
	w io.Writer
	n int
}

func newTAPReport(w io.Writer) *tapReport {
	fmt.Fprintln(w, "TAP version 13")
	return &tapReport{w: w}
}

func (t *tapReport) result(r *testResult) {
	t.n++
	status, directive := "ok", ""
	switch r.Status {
	case testFailed:
		status = "not ok"
	case testSkipped:
		directive = " # SKIP " + tapEscape(r.Skip)
	}
	fmt.Fprintf(t.w, "%s %d - %s%s\n", status, t.n, tapEscape(r.title()), directive)
	for _, l := range splitLines(r.Output, "") {
		fmt.Fprintf(t.w, "# %s\n", l)
	}
	if r.Status != testFailed {
		return
	}
	fmt.Fprintf(t.w, "  ---\n  message: %s\n  severity: %s\n  detail: |\n", strconv.Quote(r.Failures[0].Message), severity(r))
	for _, l := range r.text() {
		fmt.Fprintf(t.w, "    %s\n", l)
	}
	fmt.Fprintln(t.w, "  ...")
}

func (t *tapReport) end(c testCounts) error {
	_, err := fmt.Fprintf(t.w, "1..%d\n# %s\n", t.n, c)
	return err
}

// severity tells a failed check from an error, as JUnit does.
func severity(r *testResult) string {
	if r.errored() {
		return "error"
	}
	return "fail"
}

// tapEscape keeps a description on one line and its # from starting a
// directive.
func tapEscape(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "#", `\#`)
}
