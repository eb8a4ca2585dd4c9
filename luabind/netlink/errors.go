package netlink

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/netns"
	"golang.org/x/sys/unix"
)

// A kernelError is the kernel's refusal of a request, in the words of the
// request: "198.18.0.1/24 is already there" rather than "file exists".
type kernelError struct {
	msg string
	err error // the netlink error, for errors.Is
}

// Error implements error.
func (e *kernelError) Error() string { return e.msg }

// Unwrap returns the netlink error, so errors.Is(err, os.ErrPermission) works.
func (e *kernelError) Unwrap() error { return e.err }

// Meanings of errnos, per request: what the kernel's terse text means
// when adding or deleting that thing.
var (
	addrMeanings = map[unix.Errno]string{
		unix.EEXIST:        "is already there",
		unix.EADDRNOTAVAIL: "is not there",
	}
	linkNameMeanings = map[unix.Errno]string{
		unix.EEXIST: "is taken by another interface",
	}
	routeMeanings = map[unix.Errno]string{
		unix.EEXIST: "is already there",
		unix.ESRCH:  "is not there",
	}
)

// explain rewrites err, the kernel's answer to a request about what
// ("198.18.0.1/24"), in words: the meaning of its errno from meanings, or
// the errno's text, and the kernel's extended acknowledgement if any.
func explain(err error, what string, meanings map[unix.Errno]string) error {
	if err == nil {
		return nil
	}
	var errno unix.Errno
	if !errors.As(err, &errno) {
		return err
	}
	msg := errno.Error()
	if m, ok := meanings[errno]; ok {
		msg = fmt.Sprintf("%s %s (%s)", what, m, errno.Error())
	}
	var op *netlink.OpError
	if errors.As(err, &op) && op.Message != "" {
		msg += " (kernel: " + op.Message + ")"
	}
	return &kernelError{msg: msg, err: err}
}

// gone reports whether err says that what an undo would act on no longer
// exists (its namespace was closed, its link deleted), so that there is
// nothing left to undo.
func gone(err error) bool {
	return errors.Is(err, netns.ErrClosed) || errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, unix.ENODEV) || errors.Is(err, unix.ESRCH) ||
		errors.Is(err, unix.EADDRNOTAVAIL) || errors.Is(err, unix.EEXIST)
}

// Undo returns a ledger entry's function that runs fn in ns, treating
// "already gone" as done: a lab torn down early took the change with it.
func Undo(ns *netns.NS, fn func(c *Client) error) func() error {
	return func() error {
		if err := In(ns, fn); err != nil && !gone(err) {
			return err
		}
		return nil
	}
}
