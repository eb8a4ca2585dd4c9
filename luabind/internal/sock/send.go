package sock

import (
	"context"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sendOnce is one write(2), or sendto(2) when to is set, retried on EINTR.
//
// IP destinations go to the kernel through RawSyscall, as Write does: a
// send does not block (the socket is non-blocking), and skipping the
// scheduler's syscall bookkeeping takes about a tenth off the round
// trips ping.lua measures, and most of their jitter.
func sendOnce(fd int, b []byte, to unix.Sockaddr) (int, error) {
	var (
		r4 unix.RawSockaddrInet4
		r6 unix.RawSockaddrInet6
	)
	for {
		var n int
		var err error
		switch a := to.(type) {
		case nil:
			n, err = unix.Write(fd, b)
		case *unix.SockaddrInet4:
			r4 = unix.RawSockaddrInet4{Family: unix.AF_INET, Port: Htons(uint16(a.Port)), Addr: a.Addr}
			n, err = rawSendTo(fd, b, unsafe.Pointer(&r4), unix.SizeofSockaddrInet4)
		case *unix.SockaddrInet6:
			r6 = unix.RawSockaddrInet6{Family: unix.AF_INET6, Port: Htons(uint16(a.Port)), Addr: a.Addr, Scope_id: a.ZoneId}
			n, err = rawSendTo(fd, b, unsafe.Pointer(&r6), unix.SizeofSockaddrInet6)
		default:
			n, err = len(b), unix.Sendto(fd, b, 0, to)
		}
		if err != unix.EINTR {
			return n, err
		}
	}
}

// rawSendTo is sendto(2) of b to the address at sa, of length n.
func rawSendTo(fd int, b []byte, sa unsafe.Pointer, n uintptr) (int, error) {
	r, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), 0, uintptr(sa), n)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

// Htons is v in network byte order, as the kernel's sockaddrs hold ports
// and protocol numbers.
func Htons(v uint16) uint16 { return v<<8 | v>>8 }

// Write sends b with write(2) on the bound or connected socket. It calls
// the kernel directly; when the socket buffer is full (EAGAIN) it waits
// for room, until Close or the end of ctx. Errors are errnos,
// net.ErrClosed or ctx's cause.
//
// Write is the hot path of a send loop, and it uses RawSyscall: the
// descriptor is non-blocking, so write(2) never sleeps, and skipping the
// Go scheduler's entersyscall/exitsyscall saves ~150 ns a frame, a tenth
// of a send on a veth. Everything else (a full buffer, EINTR, errors)
// goes through SendTo.
func (c *Conn) Write(ctx context.Context, b []byte) (int, error) {
	c.mu.RLock()
	if c.closing.Load() || ctx.Err() != nil {
		c.mu.RUnlock()
		return c.SendTo(ctx, b, nil)
	}
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(c.fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	c.mu.RUnlock()
	switch e {
	case 0:
		return int(n), nil
	case unix.EAGAIN, unix.EINTR:
		return c.SendTo(ctx, b, nil)
	}
	return 0, e
}

// SendTo sends b to the address to with sendto(2), or with write(2) when
// to is nil, waiting for room as Write does. to is not copied: keep it
// unchanged meanwhile.
func (c *Conn) SendTo(ctx context.Context, b []byte, to unix.Sockaddr) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for {
		if err := c.stopped(ctx); err != nil {
			return 0, err
		}
		n, err := sendOnce(c.fd, b, to)
		if err != unix.EAGAIN {
			return n, err
		}
		if err := c.waitFor(ctx, &c.tx, unix.POLLOUT, time.Time{}); err != nil {
			return 0, err
		}
	}
}

// Bytes is the bytes of a string (a Lua string's), without a copy, for system calls
// that only read them.
func Bytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
