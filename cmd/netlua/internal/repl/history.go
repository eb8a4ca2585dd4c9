package repl

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// historyMax is how many lines the history keeps.
const historyMax = 1000

// historyPath is the prompt's history file: $XDG_STATE_HOME/netlua/history
// when XDG_STATE_HOME is set, else ~/.netlua_history; "" when neither can
// be known.
func historyPath() string {
	if dir := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "netlua", "history")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".netlua_history")
	}
	return ""
}

// A history is the lines typed at the prompt, oldest first, kept in a file
// of one line each. The file is appended to as lines come, and cut to the
// newest max lines when it grows past twice that.
type history struct {
	path    string
	max     int
	lines   []string
	inFile  int   // lines the file holds
	failure error // the first write that failed; later ones are not tried
}

// loadHistory reads the history file at path (none is fine). On an error
// it returns an empty history that writes nothing, and the error.
func loadHistory(path string, max int) (*history, error) {
	h := &history{path: path, max: max}
	if path == "" {
		return h, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		h.failure = err
		return h, fmt.Errorf("history: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			h.lines = append(h.lines, line)
		}
	}
	h.inFile = len(h.lines)
	h.trim()
	if sc.Err() != nil {
		h.failure = sc.Err()
		return h, fmt.Errorf("history: %s: %w", path, sc.Err())
	}
	return h, h.compact()
}

func (h *history) len() int { return len(h.lines) }

// at returns entry i, 0 being the oldest.
func (h *history) at(i int) string { return h.lines[i] }

// add records a line typed, unless it is blank or repeats the last one.
// It returns the error of the first write to the file that fails; the
// lines are still kept in memory.
func (h *history) add(line string) error {
	if strings.TrimSpace(line) == "" || len(h.lines) > 0 && h.lines[len(h.lines)-1] == line {
		return nil
	}
	h.lines = append(h.lines, line)
	h.trim()
	if h.inFile >= 2*h.max {
		return h.compact()
	}
	h.inFile++
	return h.write(func(f *os.File) error {
		_, err := f.WriteString(line + "\n")
		return err
	}, os.O_APPEND)
}

// trim drops the oldest lines beyond max.
func (h *history) trim() {
	if len(h.lines) > h.max {
		h.lines = append([]string(nil), h.lines[len(h.lines)-h.max:]...)
	}
}

// compact rewrites the file with the lines kept, if it holds more.
func (h *history) compact() error {
	if h.inFile <= len(h.lines) {
		return nil
	}
	h.inFile = len(h.lines)
	return h.write(func(f *os.File) error {
		_, err := f.WriteString(strings.Join(h.lines, "\n") + "\n")
		return err
	}, os.O_TRUNC)
}

// write opens the file (made private to the user, in a private directory)
// with flag and calls fn on it. After a failure, which it returns once, it
// writes nothing more.
func (h *history) write(fn func(*os.File) error, flag int) error {
	if h.path == "" || h.failure != nil {
		return nil
	}
	err := os.MkdirAll(filepath.Dir(h.path), 0o700)
	if err == nil {
		var f *os.File
		if f, err = os.OpenFile(h.path, os.O_WRONLY|os.O_CREATE|flag, 0o600); err == nil {
			err = errors.Join(fn(f), f.Close())
		}
	}
	if err != nil {
		h.failure = fmt.Errorf("history: %w", err)
	}
	return h.failure
}
