package testrun

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// junitReport writes JUnit XML, as CI systems (Jenkins, GitLab, GitHub
// actions) read it, when the run ends: a testsuite per file, a testcase
// per test. A failed check is a <failure>, an error or a timeout an
// <error>; a file that did not load is an errored testcase named (load).
type junitReport struct {
	w      io.WriteCloser
	suites []*junitSuite
}

type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Suites []*junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Cases   []*junitCase `xml:"testcase"`
	elapsed time.Duration
}

// junitCounts are the totals a suite, and all of them, carry.
type junitCounts struct {
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      string        `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func (j *junitReport) result(r *testResult) {
	if len(j.suites) == 0 || j.suites[len(j.suites)-1].Name != r.File {
		j.suites = append(j.suites, &junitSuite{Name: r.File})
	}
	s := j.suites[len(j.suites)-1]
	c := &junitCase{Name: r.Name, Classname: r.File, Time: junitTime(r.Elapsed), SystemOut: r.Output}
	if c.Name == "" {
		c.Name = "(load)"
	}
	if _, line, ok := strings.Cut(r.Where, r.File+":"); ok {
		c.File, c.Line = r.File, line
	}
	s.Tests++
	s.elapsed += r.Elapsed
	switch {
	case r.Status == testSkipped:
		s.Skipped++
		c.Skipped = &junitProblem{Message: r.Skip}
	case r.Status == testFailed && r.errored():
		s.Errors++
		c.Error = junitText(r)
	case r.Status == testFailed:
		s.Failures++
		c.Failure = junitText(r)
	}
	s.Cases = append(s.Cases, c)
}

func junitText(r *testResult) *junitProblem {
	return &junitProblem{Message: r.Failures[0].Message, Text: strings.Join(r.text(), "\n")}
}

func (j *junitReport) end(testCounts) error {
	all := junitSuites{Name: "netlua test", Suites: j.suites}
	var elapsed time.Duration
	for _, s := range j.suites {
		s.Time = junitTime(s.elapsed)
		elapsed += s.elapsed
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		all.Skipped += s.Skipped
	}
	all.Time = junitTime(elapsed)
	if _, err := io.WriteString(j.w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(j.w)
	enc.Indent("", "  ")
	err := enc.Encode(all)
	if err == nil {
		_, err = io.WriteString(j.w, "\n")
	}
	if cerr := j.w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	return nil
}

// junitTime is a duration in seconds, to the millisecond.
func junitTime(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
