package testlab

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// AbsentPath is a path that does not exist, in a directory of the test's
// own, checked: a test of "no such file" then rests on nothing elsewhere on
// the machine (as /nonexistent would: it may exist).
func AbsentPath(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "absent")
	if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s: %v, want it absent", p, err)
	}
	return p
}
