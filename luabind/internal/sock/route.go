package sock

import (
	"net/netip"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Source is the local address the kernel picks for packets to dst: the
// preferred source of the route to dst, as `ip route get` shows it. It
// connects a UDP socket, which sends nothing, and asks for its name. A
// non-empty device restricts the route to that interface.
func Source(dst netip.Addr, device string) (netip.Addr, error) {
	family := unix.AF_INET6
	if dst.Is4() {
		family = unix.AF_INET
	}
	fd, err := unix.Socket(family, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return netip.Addr{}, os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	if device != "" {
		if err := unix.BindToDevice(fd, device); err != nil {
			return netip.Addr{}, os.NewSyscallError("setsockopt SO_BINDTODEVICE", err)
		}
	}
	// A broadcast destination has a route and a source too; without
	// SO_BROADCAST connect refuses it (EACCES) before the lookup.
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_BROADCAST, 1); err != nil {
		return netip.Addr{}, os.NewSyscallError("setsockopt SO_BROADCAST", err)
	}
	if err := unix.Connect(fd, Sockaddr(dst, 9)); err != nil {
		return netip.Addr{}, os.NewSyscallError("connect", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return netip.Addr{}, os.NewSyscallError("getsockname", err)
	}
	return AddrOf(sa), nil
}

// Sockaddr is addr and port as a socket address of addr's family.
func Sockaddr(addr netip.Addr, port int) unix.Sockaddr {
	if addr.Is4() {
		return &unix.SockaddrInet4{Addr: addr.As4(), Port: port}
	}
	return &unix.SockaddrInet6{Addr: addr.As16(), Port: port, ZoneId: zoneID(addr.Zone())}
}

// zoneID is the interface index of an IPv6 zone ("veth0" or "3").
func zoneID(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if ifi, err := Lookup(zone); err == nil {
		return uint32(ifi.Index)
	}
	return 0
}

// AddrOf is the IP address of an AF_INET or AF_INET6 socket address.
func AddrOf(sa unix.Sockaddr) netip.Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrFrom4(sa.Addr)
	case *unix.SockaddrInet6:
		return netip.AddrFrom16(sa.Addr)
	}
	return netip.Addr{}
}

// RawAddr is the IP address in a raw AF_INET or AF_INET6 socket address,
// as recvmsg fills it, without allocating.
func RawAddr(raw *unix.RawSockaddrAny) netip.Addr {
	switch raw.Addr.Family {
	case unix.AF_INET:
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(raw))
		return netip.AddrFrom4(sa.Addr)
	case unix.AF_INET6:
		sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(raw))
		return netip.AddrFrom16(sa.Addr)
	}
	return netip.Addr{}
}
