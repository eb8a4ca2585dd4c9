package netns

import (
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// Do runs fn on an OS thread inside the namespace, then moves the thread
// back. A process started by fn (exec.Cmd.Start) is born inside the
// namespace. fn's error is returned as it is; failing to enter the
// namespace is reported as a netns.do error.
func (ns *NS) Do(fn func() error) error {
	enter := func() error {
		ns.mu.RLock()
		defer ns.mu.RUnlock()
		if ns.fd < 0 {
			return ErrClosed
		}
		return os.NewSyscallError("setns", unix.Setns(ns.fd, unix.CLONE_NEWNET))
	}
	fnErr, nsErr := onThread(enter, fn)
	if nsErr != nil {
		return fmt.Errorf("netns.do: %w", nsErr)
	}
	return fnErr
}

// onThread runs enter then fn on a new goroutine locked to its thread,
// and restores the thread's namespace afterwards. fn runs only if enter
// succeeds. When restoring fails the goroutine exits locked, so the Go
// runtime kills the thread instead of reusing it in the wrong namespace.
func onThread(enter, fn func() error) (fnErr, nsErr error) {
	type result struct{ fn, ns error }
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		home, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			done <- result{ns: &os.PathError{Op: "open", Path: "/proc/thread-self/ns/net", Err: err}}
			return
		}
		defer unix.Close(home)
		if err := enter(); err != nil {
			// enter changes nothing when it fails: unshare and setns are atomic.
			runtime.UnlockOSThread()
			done <- result{ns: err}
			return
		}
		ferr := fn()
		if err := unix.Setns(home, unix.CLONE_NEWNET); err != nil {
			done <- result{fn: ferr, ns: fmt.Errorf("restore: %w", os.NewSyscallError("setns", err))}
			return // still locked: the thread dies with this goroutine
		}
		runtime.UnlockOSThread()
		done <- result{fn: ferr}
	}()
	r := <-done
	return r.fn, r.ns
}
