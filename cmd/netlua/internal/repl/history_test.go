package repl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHistoryPath(t *testing.T) {
	t.Setenv("HOME", "/home/student")
	t.Setenv("XDG_STATE_HOME", "/state")
	if got := historyPath(); got != "/state/netlua/history" {
		t.Errorf("with XDG_STATE_HOME: %s", got)
	}
	// The XDG spec ignores relative paths.
	t.Setenv("XDG_STATE_HOME", "state")
	if got := historyPath(); got != "/home/student/.netlua_history" {
		t.Errorf("with a relative XDG_STATE_HOME: %s", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	if got := historyPath(); got != "/home/student/.netlua_history" {
		t.Errorf("without XDG_STATE_HOME: %s", got)
	}
}

// readLines returns the lines of the file at path.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func TestHistoryKeepsLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "netlua", "history")
	h, err := loadHistory(path, 100)
	if err != nil || h.len() != 0 {
		t.Fatalf("a missing file: %d lines, %v", h.len(), err)
	}
	for _, line := range []string{"x = 1", "", "  ", "x = 1", "print(x)", "x = 1"} {
		h.add(line)
	}
	want := []string{"x = 1", "print(x)", "x = 1"}
	if got := readLines(t, path); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("file holds %q, want %q", got, want)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, %v; want private (0600)", st.Mode(), err)
	}
	h, err = loadHistory(path, 100)
	if err != nil || h.len() != 3 || h.at(0) != "x = 1" || h.at(1) != "print(x)" {
		t.Errorf("reloaded: %q, %v", h.lines, err)
	}
}

// The history keeps the newest max lines, in memory and in its file.
func TestHistoryCapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	var lines []string
	for i := range 12 {
		lines = append(lines, fmt.Sprintf("line %d", i))
	}
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	h, err := loadHistory(path, 5)
	if err != nil {
		t.Fatal(err)
	}
	if h.len() != 5 || h.at(0) != "line 7" || h.at(4) != "line 11" {
		t.Errorf("loaded %q, want lines 7 to 11", h.lines)
	}
	if got := readLines(t, path); len(got) != 5 || got[0] != "line 7" {
		t.Errorf("file not cut to the newest 5: %q", got)
	}
	for i := range 6 {
		h.add(fmt.Sprintf("new %d", i))
	}
	// The file grows to twice the cap, then is cut back.
	got := readLines(t, path)
	if len(got) > 10 || got[len(got)-1] != "new 5" {
		t.Errorf("file after 6 more lines: %q", got)
	}
	if h.len() != 5 || h.at(4) != "new 5" || h.at(0) != "new 1" {
		t.Errorf("in memory: %q", h.lines)
	}
}

// A history file that cannot be read or written does not stop the prompt.
func TestHistoryUnusable(t *testing.T) {
	dir := t.TempDir()
	h, err := loadHistory(dir, 10) // a directory
	if err == nil {
		t.Error("reading a directory as history: no error")
	}
	h.add("x = 1")
	if h.len() != 1 {
		t.Errorf("lines are still kept in memory: %q", h.lines)
	}
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o600)
	h, _ = loadHistory(filepath.Join(blocker, "history"), 10)
	h.add("y = 2")
	if h.len() != 1 || h.failure == nil {
		t.Errorf("writing under a file: lines %q, failure %v", h.lines, h.failure)
	}
	h, _ = loadHistory("", 10)
	h.add("z")
	if h.len() != 1 {
		t.Errorf("no path: %q", h.lines)
	}
}

// A history file that cannot be written is reported once, by the add
// that first fails.
func TestHistoryReportsFailureOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "netlua")
	h, err := loadHistory(filepath.Join(dir, "history"), 10)
	if err != nil {
		t.Fatalf("a missing file: %v", err)
	}
	os.WriteFile(dir, nil, 0o600) // its directory cannot be made now
	if err := h.add("x = 1"); err == nil || !strings.Contains(err.Error(), "history: ") {
		t.Errorf("first add: %v, want the history error", err)
	}
	if err := h.add("y = 2"); err != nil {
		t.Errorf("second add: %v, want nil (reported once)", err)
	}
	if h.len() != 2 {
		t.Errorf("lines are still kept in memory: %q", h.lines)
	}
}
