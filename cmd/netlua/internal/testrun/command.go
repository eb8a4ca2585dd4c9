package testrun

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/cmd/netlua/internal/run"
	"github.com/netlua/netlua/luabind"
)

const testUsage = `usage: netlua test [options] [PATH...]

Runs the tests of every *_test.lua file under PATH (files or directories,
searched recursively, leaving out directories named testdata or starting
with . or _ below them; default: the current directory). Each test runs in
a fresh Lua state after the file's top level, and what it made is undone
when it ends.

options:
  -v                 list every test with its time, and what it printed
  --run PATTERN      only tests whose name matches PATTERN, a Go regular
                     expression (RE2), unanchored as go test -run is
  --tap              write TAP version 13 to standard output
  --junit FILE       also write JUnit XML to FILE
  --timeout SECONDS  fail a test that runs longer (default 30; 0: no limit)

Exit status: 0 all passed (or skipped), 1 a test or file failed, 2 usage
error or nothing to run, 130 after SIGINT, 143 after SIGTERM, 129 after
SIGHUP, 141 when standard output is a pipe its reader closed.
`

// testInvocation is what `netlua test` is asked to do.
type testInvocation struct {
	paths   []string
	verbose bool
	run     *regexp.Regexp
	tap     bool
	junit   string
	timeout time.Duration
}

// parseTestArgs reads the options of netlua test, which may come before,
// between or after the paths.
func parseTestArgs(args []string) (testInvocation, error) {
	var inv testInvocation
	var run string
	var timeout float64
	fs := cli.NewFlagSet("test")
	fs.BoolVar(&inv.verbose, "v", false, "")
	fs.StringVar(&run, "run", "", "")
	fs.BoolVar(&inv.tap, "tap", false, "")
	fs.StringVar(&inv.junit, "junit", "", "")
	fs.Float64Var(&timeout, "timeout", 30, "")
	// Flags may come after paths, as with go test; after "--" all is paths.
	for {
		if err := fs.Parse(args); err != nil {
			return inv, err
		}
		rest := fs.Args()
		if fs.Terminated(args) {
			inv.paths = append(inv.paths, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		inv.paths = append(inv.paths, rest[0])
		args = rest[1:]
	}
	if timeout < 0 || timeout > 1e6 {
		return inv, fmt.Errorf("--timeout %g: want seconds from 0 (no limit) to 1000000", timeout)
	}
	inv.timeout = time.Duration(timeout * float64(time.Second))
	if run != "" {
		re, err := regexp.Compile(run)
		if err != nil {
			return inv, fmt.Errorf("--run: %w", err)
		}
		inv.run = re
	}
	if len(inv.paths) == 0 {
		inv.paths = []string{"."}
	}
	return inv, nil
}

// Main is `netlua test`; it returns the exit status.
func Main(args []string, mods []*luabind.Module, stdout, stderr io.Writer) int {
	inv, err := parseTestArgs(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, testUsage)
		return cli.ExitOK
	case err != nil:
		fmt.Fprintf(stderr, "netlua test: %v\n\n%s", err, testUsage)
		return cli.ExitUsage
	}
	files, err := testFiles(inv.paths)
	if err != nil {
		fmt.Fprintf(stderr, "netlua test: %v\n", err)
		return cli.ExitUsage
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "netlua test: no *_test.lua files in %s\n", strings.Join(inv.paths, ", "))
		return cli.ExitUsage
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	r := &testRunner{ctx: ctx, run: inv.run, timeout: inv.timeout, grace: testGrace, modules: mods}
	// The first signal ends the run (inState interrupts the state running);
	// later ones go to the state, to stop a deferred function that blocks.
	interrupt := func(sig os.Signal) bool {
		if ctx.Err() == nil {
			cancel(&luabind.Interrupt{Signal: sig})
			return true
		}
		return r.interruptState(sig)
	}
	out := run.NewPipeWriter(stdout, func() { interrupt(syscall.SIGPIPE) })
	reports, err := testReports(inv, out)
	if err != nil {
		fmt.Fprintf(stderr, "netlua test: %v\n", err)
		return cli.ExitUsage
	}
	r.reports = reports
	stop := run.OnSignals(interrupt, stderr)
	defer stop()
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		r.runFile(f)
	}
	return testStatusOf(r, r.end(), inv, stderr)
}

// testReports are the reports a run writes: text or TAP on stdout, and
// JUnit XML in a file, created now so that a bad path fails at once.
func testReports(inv testInvocation, stdout io.Writer) ([]testReporter, error) {
	var reports []testReporter
	if inv.tap {
		reports = append(reports, newTAPReport(stdout))
	} else {
		reports = append(reports, &textReport{w: stdout, verbose: inv.verbose})
	}
	if inv.junit != "" {
		f, err := os.Create(inv.junit)
		if err != nil {
			return nil, fmt.Errorf("--junit: %w", err)
		}
		reports = append(reports, &junitReport{w: f})
	}
	return reports, nil
}

// testStatusOf is the exit status of a finished run.
func testStatusOf(r *testRunner, reportErr error, inv testInvocation, stderr io.Writer) int {
	intr := r.interrupted()
	if reportErr != nil && !(intr != nil && errors.Is(reportErr, syscall.EPIPE)) {
		fmt.Fprintf(stderr, "netlua test: %v\n", reportErr)
	}
	switch {
	case intr != nil:
		return run.InterruptStatus(intr)
	case reportErr != nil:
		return cli.ExitError
	}
	switch {
	case r.counts.failed > 0:
		return cli.ExitError
	case r.counts.total() == 0 && inv.run != nil:
		fmt.Fprintf(stderr, "netlua test: no test matches --run %q\n", inv.run)
		return cli.ExitUsage
	case r.counts.total() == 0:
		fmt.Fprintf(stderr, "netlua test: no tests in %s\n", strings.Join(inv.paths, ", "))
		return cli.ExitUsage
	}
	return cli.ExitOK
}
