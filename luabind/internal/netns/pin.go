package netns

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/caps"
)

// RunDir is where `ip netns` looks for named namespaces.
const RunDir = "/run/netns"

// Pin names the namespace: it bind-mounts the descriptor at
// /run/netns/NAME, so `ip netns exec NAME ...` works, and returns that
// path. The name keeps the namespace alive until Unpin, even after Close
// and after the process ends. An existing name is an error that matches
// fs.ErrExist.
func (ns *NS) Pin(name string) (string, error) {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	if err := checkName(name); err != nil {
		return "", fmt.Errorf("netns.pin: %w", err)
	}
	if ns.fd < 0 {
		return "", fmt.Errorf("netns.pin: %s: %w", name, ErrClosed)
	}
	if ns.pinned != "" {
		return "", fmt.Errorf("netns.pin: %s: already pinned at %s", name, ns.pinned)
	}
	path := filepath.Join(RunDir, name)
	if err := mountAt(ns.fd, path); err != nil {
		return "", fmt.Errorf("netns.pin: %w", err)
	}
	ns.pinned = path
	return path, nil
}

// mountAt creates the file path and bind-mounts the namespace fd on it.
// RunDir is root's: a process that may not write there lacks root or
// CAP_DAC_OVERRIDE, whatever other capabilities it has.
func mountAt(fd int, path string) error {
	if err := os.MkdirAll(RunDir, 0o755); err != nil {
		return rootsDir(err)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		return rootsDir(err)
	}
	f.Close()
	src := fmt.Sprintf("/proc/self/fd/%d", fd)
	if err := unix.Mount(src, path, "none", unix.MS_BIND, ""); err != nil {
		os.Remove(path)
		return &os.PathError{Op: "mount", Path: path, Err: err}
	}
	return nil
}

// rootsDir names CAP_DAC_OVERRIDE as the capability a permission error
// on RunDir lacked.
func rootsDir(err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return &caps.Error{Need: caps.DACOverride, Err: err}
	}
	return err
}

// checkName refuses names that are not one file name in RunDir.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
		return fmt.Errorf("%q is not a valid namespace name", name)
	}
	return nil
}

// Pinned returns the path where the namespace is pinned, or "".
func (ns *NS) Pinned() string {
	ns.mu.RLock()
	defer ns.mu.RUnlock()
	return ns.pinned
}

// Unpin removes the name Pin gave: it unmounts it (lazily, so a process
// inside `ip netns exec` keeps working) and removes the file. It is
// idempotent.
func (ns *NS) Unpin() error {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	path := ns.pinned
	if path == "" {
		return nil
	}
	ns.pinned = ""
	var errs []error
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && err != unix.EINVAL && err != unix.ENOENT {
		errs = append(errs, &os.PathError{Op: "umount", Path: path, Err: err})
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("netns.unpin: %w", err)
	}
	return nil
}
