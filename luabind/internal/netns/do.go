package netns

import (
	"errors"
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
	return reported(onThread([]kind{netKind}, ns.enter, fn))
}

// DoWithPID is Do on a thread whose new processes are also born in the
// PID namespace pidns: a descriptor of that namespace, or a pidfd of a
// process in it, as setns(2) takes. Only the thread's children go there
// (the thread keeps its own PID namespace), and the thread's setting is
// restored with its network namespace.
func (ns *NS) DoWithPID(pidns int, fn func() error) error {
	enter := func() error {
		if err := ns.enter(); err != nil {
			return err
		}
		return os.NewSyscallError("setns pid", unix.Setns(pidns, unix.CLONE_NEWPID))
	}
	return reported(onThread([]kind{netKind, pidKind}, enter, fn))
}

// reported is fn's error as it is, or failing to enter or to come back
// as a netns.do error.
func reported(fnErr, nsErr error) error {
	if nsErr != nil {
		return fmt.Errorf("netns.do: %w", nsErr)
	}
	return fnErr
}

// enter moves the calling thread into the namespace.
func (ns *NS) enter() error {
	ns.mu.RLock()
	defer ns.mu.RUnlock()
	if ns.fd < 0 {
		return ErrClosed
	}
	return os.NewSyscallError("setns", unix.Setns(ns.fd, unix.CLONE_NEWNET))
}

// A kind is a namespace setting of a thread that onThread saves and
// restores: its file under /proc/thread-self/ns and its setns type.
type kind struct {
	file   string
	nstype int
}

var (
	netKind = kind{"net", unix.CLONE_NEWNET}
	pidKind = kind{"pid_for_children", unix.CLONE_NEWPID}
)

// onThread runs enter then fn on a new goroutine locked to its thread,
// and restores the thread's namespaces of kinds afterwards, even when
// enter failed half way. fn runs only if enter succeeds. When restoring
// fails the goroutine exits locked, so the Go runtime kills the thread
// instead of reusing it in the wrong namespace.
func onThread(kinds []kind, enter, fn func() error) (fnErr, nsErr error) {
	type result struct{ fn, ns error }
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		homes, err := openHomes(kinds)
		if err != nil {
			runtime.UnlockOSThread()
			done <- result{ns: err}
			return
		}
		defer closeAll(homes)
		var r result
		if r.ns = enter(); r.ns == nil {
			r.fn = fn()
		}
		if err := goHome(kinds, homes); err != nil {
			done <- result{fn: r.fn, ns: errors.Join(r.ns, fmt.Errorf("restore: %w", err))}
			return // still locked: the thread dies with this goroutine
		}
		runtime.UnlockOSThread()
		done <- r
	}()
	r := <-done
	return r.fn, r.ns
}

// openHomes opens the calling thread's namespaces of kinds.
func openHomes(kinds []kind) ([]int, error) {
	var homes []int
	for _, k := range kinds {
		path := "/proc/thread-self/ns/" + k.file
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			closeAll(homes)
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
		homes = append(homes, fd)
	}
	return homes, nil
}

// goHome moves the calling thread back into homes, where it is not there
// already: a thread whose enter failed never left, and setns back would
// fail the same way (it needs CAP_SYS_ADMIN even to go home).
func goHome(kinds []kind, homes []int) error {
	for i, k := range kinds {
		if at(k, homes[i]) {
			continue
		}
		if err := unix.Setns(homes[i], k.nstype); err != nil {
			return os.NewSyscallError("setns", err)
		}
	}
	return nil
}

// at reports whether the calling thread's namespace of kind k is the one
// home holds. When either cannot be read it says no, so goHome tries.
func at(k kind, home int) bool {
	var now, want unix.Stat_t
	if unix.Stat("/proc/thread-self/ns/"+k.file, &now) != nil || unix.Fstat(home, &want) != nil {
		return false
	}
	return now.Dev == want.Dev && now.Ino == want.Ino
}

func closeAll(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}
