package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// suiteLimit is what the whole of scripts/tcp may take (issue 21).
const suiteLimit = 60 * time.Second

// mutantsAtOnce is how many mutated runs go on at a time: the tests are
// timing checks, and the CI machine has two cores.
const mutantsAtOnce = 2

// The ported packetdrill tests of scripts/tcp pass within the suite's time
// limit, every one of them carries a `-- mutate: A => B` marker, and every
// marker's change, made to a copy of its file, fails its test: no ported
// test that cannot fail.
func TestTCPSuite(t *testing.T) {
	testlab.Privileged(t)
	dir := filepath.Join(testlab.Root(), "scripts", "tcp")
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.lua"))
	if len(files) == 0 {
		t.Fatalf("no *_test.lua in %s", dir)
	}
	var mutations []mutation
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := parseMutations(filepath.Base(f), string(src))
		if err != nil {
			t.Fatal(err)
		}
		mutations = append(mutations, ms...)
	}

	start := time.Now()
	out, code := runTCPTests(t, "", "-v", dir)
	took := time.Since(start)
	if code != 0 || !regexp.MustCompile(`^[1-9]\d* passed, 0 failed, 0 skipped$`).MatchString(lastLine(out)) {
		t.Fatalf("scripts/tcp: exit %d, last line %q\n%s", code, lastLine(out), out)
	}
	t.Logf("scripts/tcp: %s in %.1f s", lastLine(out), took.Seconds())
	if took > suiteLimit {
		t.Errorf("scripts/tcp took %.1f s, want under %v", took.Seconds(), suiteLimit)
	}
	checkEveryTestMarked(t, testResults(out, "PASS"), mutations)

	sem := make(chan struct{}, mutantsAtOnce)
	var wg sync.WaitGroup
	for _, m := range mutations {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			checkMutantFails(t, dir, m)
		}()
	}
	wg.Wait()
}

// checkEveryTestMarked fails for each test that passed (file → names) with
// no marker of its own.
func checkEveryTestMarked(t *testing.T, passed map[string][]string, mutations []mutation) {
	marked := map[string]bool{}
	for _, m := range mutations {
		marked[m.File+": "+m.Test] = true
	}
	for file, names := range passed {
		for _, name := range names {
			if !marked[file+": "+baseName(name)] {
				t.Errorf("%s: test %q has no -- mutate: marker", file, name)
			}
		}
	}
}

// checkMutantFails applies m to a copy of scripts/tcp and requires its
// test to fail there. The copy holds the directory's other files too, so
// that a test file may require a helper beside it.
func checkMutantFails(t *testing.T, dir string, m mutation) {
	copyDir := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Error(err)
		return
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil && e.Name() == m.File {
			src = []byte(m.apply(string(src)))
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(copyDir, e.Name()), src, 0o644)
		}
		if err != nil {
			t.Error(err)
			return
		}
	}
	out, code := runTCPTests(t, copyDir, "--run", m.runPattern(), m.File)
	failed := false
	for _, name := range testResults(out, "FAIL")[m.File] {
		failed = failed || baseName(name) == m.Test
	}
	if code != 1 || !failed {
		t.Errorf("mutant %v: exit %d, want 1 with %q failed; its test cannot fail\n%s", m, code, m.Test, out)
	}
}

// runTCPTests runs netlua test with args in dir (the repository's top
// directory if empty) and returns its output and exit status.
func runTCPTests(t *testing.T, dir string, args ...string) (string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*suiteLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, testlab.Binary(t), append([]string{"test"}, args...)...)
	cmd.Dir = dir
	if dir == "" {
		cmd.Dir = testlab.Root()
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Errorf("netlua test %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), cmd.ProcessState.ExitCode()
}

// resultRE reads a test's result line: --- PASS: file: name (12.3 ms).
var resultRE = regexp.MustCompile(`(?m)^--- (PASS|FAIL|SKIP): (.+?): (.+) \([^()]*\)$`)

// testResults are the names of the tests whose result is status in a
// netlua test -v output, by file base name.
func testResults(out, status string) map[string][]string {
	names := map[string][]string{}
	for _, m := range resultRE.FindAllStringSubmatch(out, -1) {
		if m[1] == status {
			file := filepath.Base(m[2])
			names[file] = append(names[file], m[3])
		}
	}
	return names
}
