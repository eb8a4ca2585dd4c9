// Package ethtool turns an interface's offloads on and off with the
// SIOCETHTOOL ioctl, as `ethtool -K` does, without running ethtool: the
// ioctl needs only CAP_NET_ADMIN in the interface's namespace, so it works
// under setcap. It knows nothing of Lua or of namespaces: callers run it
// on a thread inside the interface's namespace (netns.NS.Do).
package ethtool

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A Feature is one offload with its ETHTOOL_G* and ETHTOOL_S* commands.
type Feature struct {
	Name     string // as ethtool -K names it: tso, gso, gro
	get, set uint32
}

// The offloads a TCP test turns off so that the kernel's segments cross a
// veth as they leave the stack (one wire segment each, as packetdrill sees
// them on its tun device) and injected ones are not merged on the way in.
var (
	TSO = Feature{"tso", unix.ETHTOOL_GTSO, unix.ETHTOOL_STSO}
	GSO = Feature{"gso", unix.ETHTOOL_GGSO, unix.ETHTOOL_SGSO}
	GRO = Feature{"gro", unix.ETHTOOL_GGRO, unix.ETHTOOL_SGRO}
)

// Features are the offloads this package knows, by name.
var Features = map[string]Feature{"tso": TSO, "gso": GSO, "gro": GRO}

// value is struct ethtool_value.
type value struct {
	cmd  uint32
	data uint32
}

// ifreq is struct ifreq with ifr_data, the form SIOCETHTOOL takes.
type ifreq struct {
	name [unix.IFNAMSIZ]byte
	data unsafe.Pointer
	_    [24 - unsafe.Sizeof(uintptr(0))]byte
}

// Set turns feature f of interface ifname on or off.
func Set(ifname string, f Feature, on bool) error {
	v := value{cmd: f.set}
	if on {
		v.data = 1
	}
	if err := ioctl(ifname, &v); err != nil {
		return fmt.Errorf("ethtool -K %s %s %s: %w", ifname, f.Name, onOff(on), err)
	}
	return nil
}

// Get reports whether feature f of interface ifname is on.
func Get(ifname string, f Feature) (bool, error) {
	v := value{cmd: f.get}
	if err := ioctl(ifname, &v); err != nil {
		return false, fmt.Errorf("ethtool -k %s (%s): %w", ifname, f.Name, err)
	}
	return v.data != 0, nil
}

// ioctl sends v for ifname on a throwaway socket of the calling thread's
// namespace.
func ioctl[T any](ifname string, v *T) error {
	if len(ifname) >= unix.IFNAMSIZ {
		return fmt.Errorf("interface name %q too long", ifname)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	var req ifreq
	copy(req.name[:], ifname)
	req.data = unsafe.Pointer(v)
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(&req)))
	runtime.KeepAlive(v)
	if errno != 0 {
		return errno
	}
	return nil
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
