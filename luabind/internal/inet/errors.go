package inet

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// ErrWouldBlock is what a Try call returns when the call would have to
// wait: nothing to accept or read, no room to send, a connect under way.
var ErrWouldBlock = errors.New("the call would block (EAGAIN)")

// An Errno is a system call's error number that reads with its name:
// "connection refused (ECONNREFUSED)". errors.Is matches the plain errno,
// and os.ErrPermission for EPERM and EACCES.
type Errno struct{ unix.Errno }

// Error implements error.
func (e Errno) Error() string {
	if name := unix.ErrnoName(e.Errno); name != "" {
		return e.Errno.Error() + " (" + name + ")"
	}
	return e.Errno.Error()
}

// Unwrap returns the plain errno.
func (e Errno) Unwrap() error { return e.Errno }

// named turns an errno (bare or inside an os.SyscallError) into an Errno;
// other errors pass unchanged. EAGAIN from a Try call stays ErrWouldBlock.
func named(err error) error {
	var e unix.Errno
	if err == nil || errors.Is(err, ErrWouldBlock) || !errors.As(err, &e) {
		return err
	}
	return Errno{e}
}

// A TimeoutError is a blocking call's timeout: "timed out after 1 s (EAGAIN)".
type TimeoutError struct{ After time.Duration }

// Error implements error.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("timed out after %s s (EAGAIN)", strconv.FormatFloat(e.After.Seconds(), 'g', -1, 64))
}

// Unwrap makes errors.Is(err, os.ErrDeadlineExceeded) true.
func (e *TimeoutError) Unwrap() error { return os.ErrDeadlineExceeded }

// Timeout is what a call whose wait ended at its deadline returns.
func timeoutErr(err error, timeout time.Duration) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return &TimeoutError{After: timeout}
	}
	return err
}
