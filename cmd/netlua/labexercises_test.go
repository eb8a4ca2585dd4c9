package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// The lab exercises of scripts/lab: their given solutions pass every
// test, and the exercises as handed out (with the work left to do) fail
// every one, so each test can tell a solution from none.
func TestLabExercises(t *testing.T) {
	testlab.Privileged(t)
	dir := filepath.Join(testlab.Root(), "scripts", "lab")
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.lua"))
	if len(files) < 6 {
		t.Fatalf("%d exercises in %s, want at least 6", len(files), dir)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), "_test.lua")
		if _, err := os.Stat(filepath.Join(dir, "solutions", name+".lua")); err != nil {
			t.Errorf("exercise %s has no solution: %v", name, err)
		}
	}

	out, code := runExercises(t, dir, "1")
	last := lastLine(out)
	passed, _ := strconv.Atoi(strings.Fields(last + " x")[0])
	if code != 0 || last != strconv.Itoa(passed)+" passed, 0 failed, 0 skipped" || passed < 2*len(files) {
		t.Errorf("solutions: exit %d, last line %q\n%s", code, last, out)
	}
	out, code = runExercises(t, dir, "")
	if want := "0 passed, " + strconv.Itoa(passed) + " failed, 0 skipped"; code != 1 || lastLine(out) != want {
		t.Errorf("exercises without solutions: exit %d, last line %q, want %q\n%s", code, lastLine(out), want, out)
	}
}

// runExercises runs netlua test on dir with NETLUA_LAB_SOLUTIONS set to
// solutions and returns its output and exit status.
func runExercises(t *testing.T, dir, solutions string) (string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, testlab.Binary(t), "test", dir)
	cmd.Env = append(os.Environ(), "NETLUA_LAB_SOLUTIONS="+solutions)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("netlua test %s: %v\n%s", dir, err, out)
	}
	return string(out), cmd.ProcessState.ExitCode()
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
