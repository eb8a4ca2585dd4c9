package netns

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// ErrClosed is the cause of errors from a namespace that was closed.
var ErrClosed = errors.New("network namespace closed")

// A Holder is anything that stands for a network namespace, such as a lab
// host or one end of a lab link. Modules taking a `netns` option accept it.
type Holder interface {
	NetNS() *NS
}

// An NS is a network namespace held open by a file descriptor.
type NS struct {
	mu     sync.RWMutex
	fd     int    // -1 once closed
	pinned string // where Pin mounted it, "" if not pinned
}

// New makes an anonymous network namespace. The calling thread never
// leaves its own namespace: a throwaway locked thread unshares, opens its
// new namespace and goes back.
func New() (*NS, error) {
	fd := -1
	unshare := func() error {
		return os.NewSyscallError("unshare", unix.Unshare(unix.CLONE_NEWNET))
	}
	grab := func() (err error) {
		fd, err = openNS("/proc/thread-self/ns/net")
		return err
	}
	fnErr, nsErr := onThread([]kind{netKind}, unshare, grab)
	if err := errors.Join(nsErr, fnErr); err != nil {
		if fd >= 0 {
			unix.Close(fd)
		}
		return nil, fmt.Errorf("netns.new: %w", err)
	}
	return &NS{fd: fd}, nil
}

// Open opens the network namespace at path, such as /run/netns/NAME or
// /proc/PID/ns/net.
func Open(path string) (*NS, error) {
	fd, err := openNS(path)
	if err != nil {
		return nil, fmt.Errorf("netns.open: %w", err)
	}
	return &NS{fd: fd}, nil
}

// openNS opens path and checks that it is a network namespace. The
// descriptor is at least 3: netlink.Config treats NetNS 0 as "none".
func openNS(path string) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, &os.PathError{Op: "open", Path: path, Err: err}
	}
	if fd < 3 {
		nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 3)
		unix.Close(fd)
		if err != nil {
			return -1, os.NewSyscallError("fcntl", err)
		}
		fd = nfd
	}
	kind, err := unix.IoctlRetInt(fd, unix.NS_GET_NSTYPE)
	if err != nil || kind != unix.CLONE_NEWNET {
		unix.Close(fd)
		return -1, fmt.Errorf("%s: not a network namespace", path)
	}
	return fd, nil
}

// FD returns the namespace's file descriptor, or -1 once it is closed.
// The descriptor stays owned by the NS.
func (ns *NS) FD() int {
	ns.mu.RLock()
	defer ns.mu.RUnlock()
	return ns.fd
}

// NetlinkFD is what the NetNS setting of a netlink socket's config
// (netlink.Config, nfqueue.Config) holds to dial inside ns: 0, which
// netlink takes for the current namespace, when ns is nil, else ns's
// descriptor; ErrClosed once ns is closed.
func (ns *NS) NetlinkFD() (int, error) {
	if ns == nil {
		return 0, nil
	}
	fd := ns.FD()
	if fd < 0 {
		return 0, ErrClosed
	}
	return fd, nil
}

// Inode identifies the namespace, as in the "net:[4026531840]" links of
// /proc/PID/ns/net.
func (ns *NS) Inode() (uint64, error) {
	ns.mu.RLock()
	defer ns.mu.RUnlock()
	if ns.fd < 0 {
		return 0, fmt.Errorf("netns.inode: %w", ErrClosed)
	}
	var st unix.Stat_t
	if err := unix.Fstat(ns.fd, &st); err != nil {
		return 0, fmt.Errorf("netns.inode: %w", os.NewSyscallError("fstat", err))
	}
	return st.Ino, nil
}

// String names the namespace as /proc does: net:[4026532001].
func (ns *NS) String() string {
	ino, err := ns.Inode()
	if err != nil {
		return "net:[closed]"
	}
	return fmt.Sprintf("net:[%d]", ino)
}

// Close releases the descriptor. An anonymous namespace vanishes once
// nothing else (a socket, a process, a pin) holds it. Close does not
// remove a pin; it is idempotent.
func (ns *NS) Close() error {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	if ns.fd < 0 {
		return nil
	}
	err := unix.Close(ns.fd)
	ns.fd = -1
	if err != nil {
		return fmt.Errorf("netns.close: %w", os.NewSyscallError("close", err))
	}
	return nil
}
