package packet

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/sock"
)

// A tap is what a capture reads from: a second packet socket on the
// socket's interface, with its protocol and filter and a receive ring.
//
// Setting the ring on the socket itself would lose frames: the kernel
// empties the socket's queue, and stops delivering to it for an RCU grace
// period while it sets a ring up (8 to 20 ms in all here). Instead the
// socket and the tap share a fanout group whose classic BPF program sends
// each frame to exactly one of them; switching the program moves the
// stream from one to the other without losing or repeating a frame, as
// the kernel waits for frames on their way under the old program before
// it returns. The socket stays in its group, alone between captures,
// until it is closed.
type tap struct {
	conn *sock.Conn
	ring *ring
	s    *Socket
	to   int // the member the group's program sends frames to
}

// Members of the socket's fanout group: the socket makes the group and
// stays, a tap joins it for a capture and leaves.
const (
	toSocket = 0
	toTap    = 1
)

// openTap opens a tap for s, getting nothing yet: the fanout program still
// sends every frame to s.
func (s *Socket) openTap() (*tap, error) {
	group, err := s.fanoutGroup()
	if err != nil {
		return nil, fmt.Errorf("fanout group: %w", err)
	}
	var addr unix.Sockaddr
	var prog []bpf.RawInstruction
	err = s.conn.Control(func(fd int) (err error) {
		if addr, err = unix.Getsockname(fd); err != nil {
			return sock.SyscallError("getsockname", err)
		}
		prog, err = getFilter(fd)
		return err
	})
	if err != nil {
		return nil, err
	}
	t := &tap{s: s}
	err = sock.InNS(s.ns, func() (err error) {
		t.conn, err = sock.Open(unix.AF_PACKET, unix.SOCK_RAW, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := t.setup(addr, group, prog); err != nil {
		t.conn.Close()
		return nil, err
	}
	return t, nil
}

// setup gives the tap its ring, binds it as the socket is bound and joins
// it to the socket's group. Until it has joined, a filter that takes
// nothing keeps it from receiving frames the socket gets too.
func (t *tap) setup(addr unix.Sockaddr, group int, prog []bpf.RawInstruction) (err error) {
	if err := attachFilter(t.conn, dropAll); err != nil {
		return err
	}
	if t.ring, err = mapRing(t.conn); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			t.ring.unmap()
		}
	}()
	err = t.conn.Control(func(fd int) error {
		if err := unix.Bind(fd, addr); err != nil {
			return sock.SyscallError("bind", err)
		}
		return sock.SyscallError("setsockopt PACKET_FANOUT", unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_FANOUT, group))
	})
	if err != nil {
		return err
	}
	if len(prog) == 0 {
		return t.conn.Control(removeFilter)
	}
	return attachFilter(t.conn, prog)
}

// fanoutGroup is the PACKET_FANOUT value that joins s's fanout group,
// which s makes on its first capture and stays in until it is closed.
func (s *Socket) fanoutGroup() (int, error) {
	var group int
	err := s.conn.Control(func(fd int) error {
		v, err := unix.GetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_FANOUT)
		if err != nil {
			return sock.SyscallError("getsockopt PACKET_FANOUT", err)
		}
		if v == 0 {
			// The kernel picks an id that is free in the namespace. It
			// swaps the socket's own receive hook for the group's with
			// no atomic step between: a frame arriving in that instant,
			// once in the socket's life, can miss it.
			err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_FANOUT, (unix.PACKET_FANOUT_CBPF|unix.PACKET_FANOUT_FLAG_UNIQUEID)<<16)
			if err != nil {
				return sock.SyscallError("setsockopt PACKET_FANOUT", err)
			}
			if v, err = unix.GetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_FANOUT); err != nil {
				return sock.SyscallError("getsockopt PACKET_FANOUT", err)
			}
			// A program from the start, so that every switch has one
			// to replace, and waits for the frames it sent on.
			if err := setFanout(fd, toSocket); err != nil {
				return err
			}
		}
		group = v&0xffff | unix.PACKET_FANOUT_CBPF<<16
		return nil
	})
	return group, err
}

// switchTo makes the fanout program send every frame to member to. When
// it returns, frames the old program sent elsewhere have arrived there.
func (t *tap) switchTo(to int) error {
	err := t.conn.Control(func(fd int) error { return setFanout(fd, to) })
	if err == nil {
		t.to = to
	}
	return err
}

// setFanout sets the program of fd's fanout group to "ret #member".
func setFanout(fd, member int) error {
	ret := unix.SockFilter{Code: 0x06, K: uint32(member)} // BPF_RET|BPF_K
	prog := unix.SockFprog{Len: 1, Filter: &ret}
	return sock.SyscallError("setsockopt PACKET_FANOUT_DATA", unix.SetsockoptSockFprog(fd, unix.SOL_PACKET, unix.PACKET_FANOUT_DATA, &prog))
}

// close sends frames back to the socket and closes the tap, which leaves
// the group. It returns the frames the tap dropped for want of room.
func (t *tap) close() (uint64, error) {
	var err error
	if t.to != toSocket { // each switch waits out an RCU grace period, 8 to 16 ms
		err = t.switchTo(toSocket)
	}
	drops, derr := t.ring.drops()
	return drops, errors.Join(err, derr, t.ring.unmap(), t.conn.Close())
}

// getFilter returns the classic BPF program attached to fd, if any
// (SO_GET_FILTER, which counts in instructions rather than bytes).
func getFilter(fd int) ([]bpf.RawInstruction, error) {
	n, err := getFilterInto(fd, nil)
	if err != nil || n == 0 {
		return nil, err
	}
	prog := make([]bpf.RawInstruction, n)
	n, err = getFilterInto(fd, prog)
	return prog[:n], err
}

func getFilterInto(fd int, prog []bpf.RawInstruction) (int, error) {
	n := uint32(len(prog))
	var p unsafe.Pointer
	if len(prog) > 0 {
		p = unsafe.Pointer(&prog[0])
	}
	_, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.SOL_SOCKET, unix.SO_GET_FILTER, uintptr(p), uintptr(unsafe.Pointer(&n)), 0)
	if e != 0 {
		return 0, sock.SyscallError("getsockopt SO_GET_FILTER", e)
	}
	return int(n), nil
}
