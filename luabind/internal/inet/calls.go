package inet

import (
	"context"
	"net/netip"
	"runtime"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Forever is the timeout of a call that waits until it can go on.
const Forever time.Duration = -1

// Deadline is the end of a wait of timeout: the zero time (none) when
// timeout is negative.
func Deadline(timeout time.Duration) time.Time {
	if timeout < 0 {
		return time.Time{}
	}
	return time.Now().Add(timeout)
}

// Block runs try until it does not return ErrWouldBlock, waiting for
// events between tries, at most timeout. Errors are named errnos, a
// TimeoutError, net.ErrClosed or ctx's cause.
func (s *Socket) Block(ctx context.Context, events int16, timeout time.Duration, try func() error) error {
	end := Deadline(timeout)
	for {
		err := try()
		if err != ErrWouldBlock {
			return err
		}
		if events&unix.POLLIN != 0 && spinning {
			if done, err := spin(try); done {
				return err
			}
		}
		if err := s.conn.Await(ctx, events, end); err != nil {
			return timeoutErr(err, timeout)
		}
	}
}

// TryAccept takes a connection off the queue of a listening socket, or
// returns ErrWouldBlock. The new socket is non-blocking, in the same
// namespace and family.
func (s *Socket) TryAccept() (*Socket, netip.AddrPort, error) {
	var nfd int
	var sa unix.Sockaddr
	err := s.control(func(fd int) (err error) {
		nfd, sa, err = unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		return wouldBlock(err)
	})
	if err != nil {
		return nil, netip.AddrPort{}, err
	}
	c, err := sockNew(nfd)
	if err != nil {
		return nil, netip.AddrPort{}, err
	}
	return &Socket{conn: c, ns: s.ns, typ: s.typ, family: s.family}, addrPort(sa), nil
}

// Accept is TryAccept waiting at most timeout for a connection.
func (s *Socket) Accept(ctx context.Context, timeout time.Duration) (c *Socket, from netip.AddrPort, err error) {
	err = s.Block(ctx, unix.POLLIN, timeout, func() (err error) {
		c, from, err = s.TryAccept()
		return err
	})
	return c, from, err
}

// TryConnect starts connecting to ap, or finishes a connect it started:
// it returns ErrWouldBlock while the handshake is under way, nil once
// connected, and the connect's error if it failed (ECONNREFUSED).
func (s *Socket) TryConnect(ap netip.AddrPort) error {
	if s.connecting {
		return s.connected()
	}
	sa, err := s.sockaddr(ap)
	if err != nil {
		return err
	}
	err = s.control(func(fd int) error { return unix.Connect(fd, sa) })
	if err == (Errno{unix.EINPROGRESS}) {
		s.connecting = true
		return ErrWouldBlock
	}
	return err
}

// connected tells how the connect under way went.
func (s *Socket) connected() error {
	return s.control(func(fd int) error {
		soerr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err == nil && soerr != 0 {
			err = unix.Errno(soerr)
		}
		if err == nil {
			if _, err = unix.Getpeername(fd); err == unix.ENOTCONN {
				return ErrWouldBlock
			}
		}
		s.connecting = false
		return err
	})
}

// Connect connects to ap, waiting at most timeout for the handshake.
func (s *Socket) Connect(ctx context.Context, ap netip.AddrPort, timeout time.Duration) error {
	return s.Block(ctx, unix.POLLOUT, timeout, func() error { return s.TryConnect(ap) })
}

// TryRecv reads what is queued into p: n > 0 bytes, or 0 at the end of
// the stream (a datagram of length 0 for UDP), or ErrWouldBlock.
func (s *Socket) TryRecv(p []byte) (n int, err error) {
	err = s.control(func(fd int) error {
		r, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
		n = int(r)
		return errno(e)
	})
	return n, err
}

// Recv is TryRecv waiting at most timeout for something to read.
func (s *Socket) Recv(ctx context.Context, p []byte, timeout time.Duration) (n int, err error) {
	err = s.Block(ctx, unix.POLLIN, timeout, func() (err error) {
		n, err = s.TryRecv(p)
		return err
	})
	return n, err
}

// TrySend writes what of b fits in the send buffer: n > 0 bytes, or
// ErrWouldBlock when none does.
func (s *Socket) TrySend(b []byte) (n int, err error) {
	err = s.control(func(fd int) error {
		r, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
		n = int(r)
		return errno(e)
	})
	return n, err
}

// Send writes all of b, waiting at most timeout (in all) for room; n is
// what was written when it fails.
func (s *Socket) Send(ctx context.Context, b []byte, timeout time.Duration) (n int, err error) {
	err = s.Block(ctx, unix.POLLOUT, timeout, func() error {
		m, err := s.TrySend(b[n:])
		n += m
		if err == nil && n < len(b) {
			return ErrWouldBlock
		}
		return err
	})
	return n, err
}

// TrySendTo sends the datagram b to ap, or returns ErrWouldBlock. The
// last destination's sockaddr is kept, so that a loop allocates nothing.
func (s *Socket) TrySendTo(b []byte, ap netip.AddrPort) (n int, err error) {
	if ap != s.peer.ap || s.peer.sa == nil {
		sa, err := s.sockaddr(ap)
		if err != nil {
			return 0, err
		}
		s.peer.ap, s.peer.sa = ap, sa
	}
	err = s.control(func(fd int) (err error) {
		n, err = sendTo(fd, b, s.peer.sa)
		return err
	})
	return n, err
}

// SendTo is TrySendTo waiting at most timeout for room.
func (s *Socket) SendTo(ctx context.Context, b []byte, ap netip.AddrPort, timeout time.Duration) (n int, err error) {
	err = s.Block(ctx, unix.POLLOUT, timeout, func() (err error) {
		n, err = s.TrySendTo(b, ap)
		return err
	})
	return n, err
}

// TryRecvFrom reads one datagram into p, and its sender, or returns
// ErrWouldBlock. A datagram longer than p is cut.
func (s *Socket) TryRecvFrom(p []byte) (n int, from netip.AddrPort, err error) {
	err = s.control(func(fd int) error {
		l := uint32(unix.SizeofSockaddrAny)
		r, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)),
			0, uintptr(unsafe.Pointer(&s.from)), uintptr(unsafe.Pointer(&l)))
		n = int(r)
		return errno(e)
	})
	if err == nil {
		from = rawAddrPort(&s.from)
	}
	return n, from, err
}

// RecvFrom is TryRecvFrom waiting at most timeout for a datagram.
func (s *Socket) RecvFrom(ctx context.Context, p []byte, timeout time.Duration) (n int, from netip.AddrPort, err error) {
	err = s.Block(ctx, unix.POLLIN, timeout, func() (err error) {
		n, from, err = s.TryRecvFrom(p)
		return err
	})
	return n, from, err
}

// spinFor is how long a blocking receive tries again before it sleeps:
// the round trip of a request and its answer over a veth to a process on
// the other CPU takes 10-20 µs, and sleeping in poll and being woken costs
// about as much again (bench/sock_echo.lua's UDP loop on a 2-core machine:
// 28k round trips/s sleeping, 80k spinning). As the kernel's busy polling
// (SO_BUSY_POLL) does for devices with NAPI, a short spin takes the
// answer without the sleep.
const spinFor = 50 * time.Microsecond

// spinning says whether spin is worth it: with one CPU the spin holds the
// CPU the answer needs.
var spinning = runtime.NumCPU() > 1

// spin tries try again for spinFor; done is whether it stopped waiting,
// with err try's result.
func spin(try func() error) (done bool, err error) {
	for start := time.Now(); time.Since(start) < spinFor; {
		if err := try(); err != ErrWouldBlock {
			return true, err
		}
	}
	return false, nil
}
