package labtest

import (
	"bufio"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// Lines collects the lines a running program writes, for tests that wait
// for what it prints.
type Lines struct {
	mu    sync.Mutex
	lines []string
	more  chan struct{} // signalled on each line and at the end
	done  bool
}

// Collect reads r line by line in a goroutine until it ends.
func Collect(r io.Reader) *Lines {
	l := &Lines{more: make(chan struct{}, 1)}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			l.add(sc.Text())
		}
		l.mu.Lock()
		l.done = true
		l.mu.Unlock()
		l.poke()
	}()
	return l
}

func (l *Lines) add(s string) {
	l.mu.Lock()
	l.lines = append(l.lines, s)
	l.mu.Unlock()
	l.poke()
}

func (l *Lines) poke() {
	select {
	case l.more <- struct{}{}:
	default:
	}
}

// WaitFor waits until a line contains want, for at most d, and fails the
// test with everything read so far if none does.
func (l *Lines) WaitFor(t testing.TB, want string, d time.Duration) {
	t.Helper()
	deadline := time.After(d)
	for {
		l.mu.Lock()
		found, done := strings.Contains(strings.Join(l.lines, "\n"), want), l.done
		l.mu.Unlock()
		if found {
			return
		}
		if done {
			t.Fatalf("output ended without %q:\n%s", want, l.String())
		}
		select {
		case <-l.more:
		case <-deadline:
			t.Fatalf("no %q after %v:\n%s", want, d, l.String())
		}
	}
}

// Wait waits until the output ends.
func (l *Lines) Wait() {
	for {
		l.mu.Lock()
		done := l.done
		l.mu.Unlock()
		if done {
			return
		}
		<-l.more
	}
}

// String is every line read so far, each ending in a newline.
func (l *Lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) == 0 {
		return ""
	}
	return strings.Join(l.lines, "\n") + "\n"
}
