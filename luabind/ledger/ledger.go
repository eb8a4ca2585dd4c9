// Package ledger records how to undo what a script changed in the kernel,
// and undoes it, newest first. It knows nothing of Lua: modules register an
// undo as soon as they create a kernel object, and the runtime unwinds the
// ledger on every way out.
package ledger

import (
	"errors"
	"fmt"
	"sync"

	"github.com/netlua/netlua/luabind/internal/gopanic"
)

// A Ledger records how to undo every change a script made in the kernel
// (a namespace, a rule, a queue). The runtime unwinds it, newest first, on
// every way out: normal end, error, SIGINT or SIGTERM.
type Ledger struct {
	mu      sync.Mutex
	entries []*Undo
}

// An Undo is one entry of the ledger.
type Undo struct {
	what   string
	fn     func() error
	ledger *Ledger
	done   bool
}

// Add records fn as the way to undo what, and returns its entry. Register
// the undo as soon as the object exists, before anything else can fail.
func (l *Ledger) Add(what string, fn func() error) *Undo {
	u := &Undo{what: what, fn: fn, ledger: l}
	l.mu.Lock()
	l.entries = append(l.entries, u)
	l.mu.Unlock()
	return u
}

// Run undoes the entry now and drops it from the ledger. It is idempotent:
// only the first call does anything, so Close methods can call it freely.
// A Go panic in the undo function is returned as an error, so that the
// rest of the ledger still unwinds.
func (u *Undo) Run() error {
	l := u.ledger
	l.mu.Lock()
	if u.done {
		l.mu.Unlock()
		return nil
	}
	u.done = true
	for i, e := range l.entries {
		if e == u {
			l.entries = append(l.entries[:i], l.entries[i+1:]...)
			break
		}
	}
	l.mu.Unlock()
	return gopanic.Catch("undo "+u.what, func() error {
		if err := u.fn(); err != nil {
			return fmt.Errorf("undo %s: %w", u.what, err)
		}
		return nil
	})
}

// Len is the number of changes not yet undone.
func (l *Ledger) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// Unwind undoes every entry, newest first, and reports all failures.
func (l *Ledger) Unwind() error {
	var errs []error
	for {
		l.mu.Lock()
		n := len(l.entries)
		if n == 0 {
			l.mu.Unlock()
			return errors.Join(errs...)
		}
		u := l.entries[n-1]
		l.mu.Unlock()
		if err := u.Run(); err != nil {
			errs = append(errs, err)
		}
	}
}
