package sock

import (
	"context"
	"errors"
	"net"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Forever is the timeout of a receive that waits until something comes.
const Forever time.Duration = -1

// ErrClosedSocket is what calls on a closed socket fail with.
var ErrClosedSocket = errors.New("the socket is closed")

// Timeout sorts out the error of a receive: a timeout is not an error
// (true, nil); a closed socket reads as ErrClosedSocket.
func Timeout(err error) (bool, error) {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return true, nil
	case errors.Is(err, net.ErrClosed):
		return false, ErrClosedSocket
	}
	return false, err
}

// A Msg is what one receive got.
type Msg struct {
	N    int       // bytes stored in the buffer
	Len  int       // the full length of what arrived: more than N when it was truncated
	TS   time.Time // the kernel's receive time (SO_TIMESTAMPNS); zero if it gave none
	Hops int       // TTL or hop limit from an IP_TTL or IPV6_HOPLIMIT message, -1 if none
	// VLAN is the tag a packet socket's kernel took out of the frame, from
	// a PACKET_AUXDATA message; the zero Tag when it had none.
	VLAN Tag
	// From is the sender's address, valid until the next receive.
	From *unix.RawSockaddrAny
}

// oobWords sizes the control buffer in words, so that control messages
// are aligned: a timestamp, a hop limit and a packet's auxiliary data fit
// with room to spare.
const oobWords = 16

// recvState is the msghdr of recvmsg(2) and what it points to, kept in
// the Conn so that a receive allocates nothing.
type recvState struct {
	msg  unix.Msghdr
	iov  unix.Iovec
	name unix.RawSockaddrAny
	oob  [oobWords]uint64
	n    int
	err  error
}

// prepare points the msghdr at p and the Conn's own buffers.
func (r *recvState) prepare(p []byte) {
	r.iov.Base = unsafe.SliceData(p)
	r.iov.SetLen(len(p))
	r.msg.Name = (*byte)(unsafe.Pointer(&r.name))
	r.msg.Namelen = unix.SizeofSockaddrAny
	r.msg.Iov = &r.iov
	r.msg.Iovlen = 1
	r.msg.Control = (*byte)(unsafe.Pointer(&r.oob[0]))
	r.msg.SetControllen(len(r.oob) * 8)
	r.msg.Flags = 0
}

// recv is one recvmsg(2) with MSG_TRUNC, so that the result is the full
// length of a datagram longer than the buffer. It returns false when
// nothing is queued, which makes the poller wait.
func (r *recvState) recv(fd uintptr) bool {
	for {
		n, _, e := unix.Syscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&r.msg)), unix.MSG_TRUNC)
		switch e {
		case 0:
			r.n, r.err = int(n), nil
			return true
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		}
		r.n, r.err = 0, e
		return true
	}
}

// result is the Msg of the last successful recv into p.
func (r *recvState) result(p []byte) Msg {
	m := Msg{N: min(r.n, len(p)), Len: r.n, Hops: -1, From: &r.name}
	oob := unsafe.Slice((*byte)(unsafe.Pointer(&r.oob[0])), len(r.oob)*8)
	parseControl(oob[:r.msg.Controllen], &m)
	return m
}

// Recv receives one datagram into p, waiting at most timeout (forever
// when timeout is negative; a zero timeout only takes what is queued). It
// costs one system call when something is queued. A timeout returns
// os.ErrDeadlineExceeded; the end of ctx returns its cause; a closed Conn
// returns net.ErrClosed.
func (c *Conn) Recv(ctx context.Context, p []byte, timeout time.Duration) (Msg, error) {
	if len(p) == 0 {
		return Msg{}, unix.EINVAL
	}
	var end time.Time
	if timeout >= 0 {
		end = time.Now().Add(timeout)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.msg.prepare(p)
	for {
		if err := c.stopped(ctx); err != nil {
			return Msg{}, err
		}
		if c.msg.recv(uintptr(c.fd)) {
			if c.msg.err != nil {
				return Msg{}, c.msg.err
			}
			return c.msg.result(p), nil
		}
		if err := c.waitFor(ctx, &c.rx, unix.POLLIN, end); err != nil {
			return Msg{}, err
		}
	}
}
