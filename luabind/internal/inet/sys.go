package inet

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/sock"
)

// sockNew takes over an accepted descriptor.
func sockNew(fd int) (*sock.Conn, error) { return sock.New(fd) }

// errno is the error of a raw system call: nil, ErrWouldBlock for EAGAIN,
// else the errno.
func errno(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return wouldBlock(e)
}

// wouldBlock turns EAGAIN into ErrWouldBlock.
func wouldBlock(err error) error {
	if err == unix.EAGAIN {
		return ErrWouldBlock
	}
	return err
}

// sendTo is sendto(2) of b to sa, an IPv4 or IPv6 sockaddr, without the
// allocation of unix.Sendto.
func sendTo(fd int, b []byte, sa unix.Sockaddr) (int, error) {
	var r4 unix.RawSockaddrInet4
	var r6 unix.RawSockaddrInet6
	ptr, l := unsafe.Pointer(&r4), uintptr(unix.SizeofSockaddrInet4)
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		r4 = unix.RawSockaddrInet4{Family: unix.AF_INET, Port: sock.Htons(uint16(a.Port)), Addr: a.Addr}
	case *unix.SockaddrInet6:
		r6 = unix.RawSockaddrInet6{Family: unix.AF_INET6, Port: sock.Htons(uint16(a.Port)), Addr: a.Addr}
		ptr, l = unsafe.Pointer(&r6), unix.SizeofSockaddrInet6
	}
	r, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), 0, uintptr(ptr), l)
	return int(r), errno(e)
}

// rawAddrPort reads a raw IPv4 or IPv6 sockaddr; IPv4-mapped addresses
// read as IPv4.
func rawAddrPort(r *unix.RawSockaddrAny) netip.AddrPort {
	switch r.Addr.Family {
	case unix.AF_INET:
		a := (*unix.RawSockaddrInet4)(unsafe.Pointer(r))
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), sock.Htons(a.Port))
	case unix.AF_INET6:
		a := (*unix.RawSockaddrInet6)(unsafe.Pointer(r))
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr).Unmap(), sock.Htons(a.Port))
	}
	return netip.AddrPort{}
}
