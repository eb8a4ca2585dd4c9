// Package gopanic turns a Go panic in netlua's own code (a binding, a loop
// job, an undo function, a reader goroutine) into the error users read, so
// that a bug ends the script with a message instead of a Go trace.
package gopanic

import "fmt"

// Error is the error users read for a Go panic r recovered in netlua's own
// code: what panicked (name), the panic's value, and what to do about it.
// Goroutines that recover a panic post it to the loop, so that the script
// ends with it through its cleanup.
func Error(name string, r any) error {
	return fmt.Errorf("%s: internal error: %v (a bug in netlua; please report it with the script)", name, r)
}

// Catch calls f and returns its error; a Go panic in f is returned as
// Error(name, value).
func Catch(name string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Error(name, r)
		}
	}()
	return f()
}
