// Package caps names the Linux capability that a permission error lacked,
// so that netlua's messages say which one to grant, and reads the
// capabilities the process holds.
//
// The capability comes from the error itself where the failed call says
// it (setns, unshare and mount need CAP_SYS_ADMIN, whichever module made
// them; an Error names its own), and otherwise from the module that asks.
// A file's permissions are no capability: such errors name the file.
package caps

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// The capabilities netlua names, as capabilities(7) writes them.
const (
	NetRaw      = "CAP_NET_RAW"      // packet and raw IP sockets
	NetAdmin    = "CAP_NET_ADMIN"    // rtnetlink changes, nftables, nfqueue, /proc/sys/net
	SysAdmin    = "CAP_SYS_ADMIN"    // entering and making namespaces (setns, unshare, mount)
	DACOverride = "CAP_DAC_OVERRIDE" // writing files that are root's, such as /run/netns
	IPCLock     = "CAP_IPC_LOCK"     // locking memory past RLIMIT_MEMLOCK, such as an AF_XDP UMEM
	BPF         = "CAP_BPF"          // loading BPF programs and maps (CAP_SYS_ADMIN includes it)
)

// numbers are the kernel's numbers of the capabilities above.
var numbers = map[string]int{
	NetRaw:      unix.CAP_NET_RAW,
	NetAdmin:    unix.CAP_NET_ADMIN,
	SysAdmin:    unix.CAP_SYS_ADMIN,
	DACOverride: unix.CAP_DAC_OVERRIDE,
	IPCLock:     unix.CAP_IPC_LOCK,
	BPF:         unix.CAP_BPF,
}

// base is what every setcap line netlua suggests grants: the sockets and
// netlink. A line adds CAP_SYS_ADMIN when that is what was missing.
var base = []string{NetRaw, NetAdmin}

// An Error is a permission error known to come from lacking Need.
type Error struct {
	Need string // a capability above: CAP_DAC_OVERRIDE
	Err  error
}

// Error is the cause's text: the capability is for the hint.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the cause, so errors.Is(err, os.ErrPermission) works.
func (e *Error) Unwrap() error { return e.Err }

// namespaceCalls are the system calls (and their os.PathError ops) that
// need CAP_SYS_ADMIN when they fail for want of permission.
var namespaceCalls = map[string]bool{"setns": true, "setns pid": true, "unshare": true, "mount": true, "umount": true}

// Need returns the capability whose lack caused the permission error err.
// known is false when err does not say (the caller's default applies);
// it is true with an empty need when err is a file's own permissions.
func Need(err error) (need string, known bool) {
	walk(err, func(e error) bool {
		if !errors.Is(e, os.ErrPermission) {
			return false
		}
		var call string
		switch x := e.(type) {
		case *Error:
			need, known = x.Need, true
			return true
		case *os.SyscallError:
			call = x.Syscall
		case *fs.PathError:
			call, known = x.Op, true // a file, unless a mount
		default:
			return false
		}
		if namespaceCalls[call] {
			need, known = SysAdmin, true
		}
		return known
	})
	return need, known
}

// walk calls fn on err and the errors it wraps, outermost first and
// depth first, until fn returns true.
func walk(err error, fn func(error) bool) bool {
	if err == nil {
		return false
	}
	if fn(err) {
		return true
	}
	switch x := err.(type) {
	case interface{ Unwrap() error }:
		return walk(x.Unwrap(), fn)
	case interface{ Unwrap() []error }:
		for _, e := range x.Unwrap() {
			if walk(e, fn) {
				return true
			}
		}
	}
	return false
}

// Have reports whether the process holds capability c in its effective
// set. When the set cannot be read it says yes, leaving the verdict to
// the kernel.
func Have(c string) bool {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return true
	}
	n := numbers[c]
	return data[n/32].Effective&(1<<(n%32)) != 0
}

// Check is nil when the process holds c, else an Error for what, which
// matches os.ErrPermission: "network namespaces: operation not permitted".
func Check(c, what string) error {
	if Have(c) {
		return nil
	}
	return &Error{Need: c, Err: fmt.Errorf("%s: %w", what, unix.EPERM)}
}

// SetcapList is the capability list of the setcap line that gives
// netlua need as well: "cap_net_raw,cap_net_admin,cap_sys_admin" for
// CAP_SYS_ADMIN. It is "" for a capability netlua never suggests to set
// on its binary: CAP_DAC_OVERRIDE would let anyone who runs it write any
// file.
func SetcapList(need string) string {
	list := base
	switch need {
	case NetRaw, NetAdmin:
	case SysAdmin:
		list = append(list[:len(list):len(list)], need)
	default:
		return ""
	}
	return strings.ToLower(strings.Join(list, ","))
}
