package testrun

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind/testlab"
)

const fixtures = "cmd/netlua/internal/testrun/testdata/"

// contains fails the test for each of wants that out lacks.
func contains(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestRunnerOnFixtures(t *testing.T) {
	res := testlab.Run(t, "", "test", "-v", fixtures+"runner")
	if res.Code != cli.ExitError {
		t.Errorf("exit status %d, want %d\nstderr: %s", res.Code, cli.ExitError, res.Stderr)
	}
	dir := fixtures + "runner/"
	contains(t, res.Stdout,
		"--- FAIL: "+dir+"fail_test.lua: eq on numbers (",
		dir+"fail_test.lua:5: ttl\n        got:  63\n        want: 64\n",
		dir+"fail_test.lua:6: t:ok: got false",
		dir+"fail_test.lua:10: t:eq: not equal at a[2]",
		dir+"fail_test.lua:14: t:match: no match for \"^HTTP\"",
		dir+"fail_test.lua:15: cannot go on",
		dir+"fail_test.lua:22: t:bytes: first difference at byte 22 (ipv4.ttl)",
		"--- FAIL: "+dir+"error_test.lua: throws (",
		dir+"error_test.lua:4: boom",
		"stack traceback:",
		"--- PASS: "+dir+"error_test.lua: runs after the error (",
		"--- FAIL: "+dir+"error_test.lua: cleanup fails (",
		"cleanup: "+dir+"error_test.lua:16: undo failed",
		"--- FAIL: "+dir+"toplevel_test.lua (",
		dir+"toplevel_test.lua:2: setup failed",
		"--- SKIP: "+dir+"skip_test.lua: skips (",
		dir+"skip_test.lua:2: needs a kernel with frobnication",
		"--- FAIL: "+dir+"skip_test.lua: fails before skipping (",
		"--- FAIL: "+dir+"syntax_test.lua (",
		dir+"syntax_test.lua:7: 'end' expected (to close 'if' at line 5) near '<eof>'",
		"--- PASS: "+dir+"isolation_test.lua: sets a global (",
		"--- PASS: "+dir+"isolation_test.lua: does not see it (",
		"--- PASS: "+dir+"pass_test.lua: bytes (",
		"    built\t43\tbytes\n",
	)
	if strings.Contains(res.Stdout, "never reached") {
		t.Errorf("a check ran after t:fatal:\n%s", res.Stdout)
	}
	if n := strings.Count(res.Stdout, "toplevel_test.lua ("); n != 1 {
		t.Errorf("the file whose top level fails is reported %d times, want once", n)
	}
	if !strings.HasSuffix(res.Stdout, "\n5 passed, 9 failed, 1 skipped\n") {
		t.Errorf("output does not end with the counts:\n%s", res.Stdout)
	}
	testlab.NoGoTrace(t, res.Stdout+res.Stderr)
}

func TestRunnerQuietShowsOnlyFailures(t *testing.T) {
	res := testlab.Run(t, "", "test", fixtures+"runner/pass_test.lua", fixtures+"runner/isolation_test.lua")
	if res.Code != cli.ExitOK || res.Stdout != "4 passed, 0 failed, 0 skipped\n" {
		t.Errorf("exit status %d, output %q; want 0 and only the counts", res.Code, res.Stdout)
	}
}

func TestRunSelectsTests(t *testing.T) {
	res := testlab.Run(t, "", "test", "-v", "--run", "see it$", fixtures+"runner/isolation_test.lua")
	if res.Code != cli.ExitOK {
		t.Errorf("exit status %d, want 0\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	if strings.Contains(res.Stdout, "sets a global") || !strings.Contains(res.Stdout, "does not see it") {
		t.Errorf("--run ran the wrong tests:\n%s", res.Stdout)
	}
	contains(t, res.Stdout, "1 passed, 0 failed, 0 skipped")
}

func TestUsageErrors(t *testing.T) {
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "helper.lua"), []byte("return {}\n"), 0o644)
	absent := testlab.AbsentPath(t)
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no such path", []string{absent}, "netlua test: " + absent + ": no such file or directory"},
		{"no test files", []string{empty}, "netlua test: no *_test.lua files in " + empty},
		{"unknown option", []string{"--frobnicate"}, "flag provided but not defined: -frobnicate"},
		{"bad pattern", []string{"--run", "(", fixtures + "runner"}, "--run: error parsing regexp"},
		{"bad timeout", []string{"--timeout", "-1", fixtures + "runner"}, "--timeout -1"},
		{"nothing selected", []string{"--run", "no such test", fixtures + "runner/pass_test.lua"}, `no test matches --run "no such test"`},
		{"junit in no directory", []string{"--junit", absent + "/x.xml", fixtures + "runner"}, "--junit: open " + absent + "/x.xml: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := testlab.Run(t, "", append([]string{"test"}, tt.args...)...)
			if res.Code != cli.ExitUsage {
				t.Errorf("exit status %d, want %d", res.Code, cli.ExitUsage)
			}
			contains(t, res.Stderr, tt.stderr)
		})
	}
}

func TestTimeoutFailsTheTest(t *testing.T) {
	testlab.Binary(t) // built before the clock starts
	start := time.Now()
	res := testlab.Run(t, "", "test", "--timeout", "0.5", fixtures+"timeout")
	took := time.Since(start)
	if res.Code != cli.ExitError {
		t.Errorf("exit status %d, want %d", res.Code, cli.ExitError)
	}
	dir := fixtures + "timeout/"
	contains(t, res.Stdout,
		"--- FAIL: "+dir+"sleep_test.lua: sleeps forever (",
		dir+"sleep_test.lua:2: test timed out after 500ms (--timeout)",
		"--- FAIL: "+dir+"sleep_test.lua: spins forever (",
		dir+"sleep_test.lua:6: test timed out after 500ms (--timeout)",
		"1 passed, 2 failed, 0 skipped",
	)
	// Two tests stopped after 0.5 s each, and a quick one: the run cannot
	// be shorter. How much longer a loaded machine makes it is no verdict;
	// the messages above say each test was stopped, not left behind.
	if took < time.Second {
		t.Errorf("the run took %v, less than the two timeouts", took)
	}
}

// The runner in this process, so that go test -race sees its goroutines:
// a state per test, interrupted on time.
func TestRunnerInProcess(t *testing.T) {
	var out strings.Builder
	r := &testRunner{ctx: context.Background(), timeout: 200 * time.Millisecond, grace: time.Second,
		reports: []testReporter{&textReport{w: &out}}, modules: modules.All()}
	r.runFile(filepath.Join(testlab.Root(), fixtures+"timeout/sleep_test.lua"))
	r.runFile(filepath.Join(testlab.Root(), fixtures+"runner/isolation_test.lua"))
	if want := (testCounts{passed: 3, failed: 2}); r.counts != want {
		t.Errorf("counts %v, want %v\n%s", r.counts, want, out.String())
	}
}

// A test blocked in a call that ignores interrupts is left behind after
// the grace period, reported failed, and the run goes on.
func TestRunnerLeavesAHungTestBehind(t *testing.T) {
	r := &testRunner{ctx: context.Background(), timeout: 100 * time.Millisecond, grace: 200 * time.Millisecond}
	s := newTestState("hang_test.lua", modules.All())
	release := make(chan struct{})
	defer close(release)
	s.rt.L.SetGlobal("block", s.rt.L.NewFunction(func(*lua.LState) int { <-release; return 0 }))
	start := time.Now()
	res := r.inState(s, []byte(`test("hangs", function(t) block() end)`), func([]string) int { return 0 })
	// 300 ms of timeout and grace; the bound only tells a runner that
	// waits for the hung test (forever) from one that leaves it.
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the runner waited %v", took)
	}
	if res == nil || res.Status != testFailed || res.Name != "hangs" || s.ran() != 0 {
		t.Fatalf("result %+v, want the test hangs failed", res)
	}
	contains(t, res.Failures[0].Message, "hang_test.lua: timed out after 100ms, and still running 200ms later: left behind")
}
