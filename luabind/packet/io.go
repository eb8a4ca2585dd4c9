package packet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/sock"
)

// Send sends one frame, link header included, out of the interface. It
// returns the bytes sent. A frame over the MTU fails with a
// *sock.SizeError naming the sizes; nothing is sent. A full socket buffer
// makes it wait for room, until the end of ctx.
func (s *Socket) Send(ctx context.Context, frame []byte) (int, error) {
	n, err := s.conn.Write(ctx, frame)
	if err != nil {
		return 0, s.sendError(len(frame), err)
	}
	return n, nil
}

// sendError explains the kernel's size errors with the sizes.
func (s *Socket) sendError(n int, err error) error {
	switch {
	case errors.Is(err, unix.EMSGSIZE):
		return &sock.SizeError{What: "frame", Len: n, Limit: s.ifi.MTU + s.header,
			Why: fmt.Sprintf("MTU %d + %d-byte link header", s.ifi.MTU, s.header)}
	case errors.Is(err, unix.EINVAL) && n < s.header:
		return &sock.SizeError{What: "frame", Len: n, Limit: s.header, Short: true, Why: "the link header"}
	}
	return err
}

// PktType is the kernel's classification of a received frame.
type PktType uint8

// The packet types of a received frame (sll_pkttype).
const (
	Host      PktType = unix.PACKET_HOST      // addressed to this host
	Broadcast PktType = unix.PACKET_BROADCAST // link-layer broadcast
	Multicast PktType = unix.PACKET_MULTICAST // link-layer multicast
	OtherHost PktType = unix.PACKET_OTHERHOST // to another host, seen in promiscuous mode
	Outgoing  PktType = unix.PACKET_OUTGOING  // sent by this host
)

var pktTypeNames = [...]string{"host", "broadcast", "multicast", "otherhost", "outgoing", "loopback", "user", "kernel"}

// String is the name scripts see: host, broadcast, multicast, otherhost,
// outgoing.
func (t PktType) String() string {
	if int(t) < len(pktTypeNames) {
		return pktTypeNames[t]
	}
	return fmt.Sprintf("pkttype%d", t)
}

// Info is what the kernel says of a received frame.
type Info struct {
	Ifindex int       // interface it came in on (or went out of)
	Proto   uint16    // its EtherType, at byte 12: a VLAN tag's TPID for a tagged frame
	PktType PktType   // host, broadcast, multicast, otherhost, outgoing
	TS      time.Time // the kernel's receive time
	Len     int       // its full length, more than the bytes returned when truncated
	src     [8]byte
	srcLen  uint8
}

// Src is the frame's source hardware address.
func (i *Info) Src() net.HardwareAddr { return net.HardwareAddr(i.src[:i.srcLen]) }

// Recv waits at most timeout (forever when negative, see sockbind.Recv) for a
// frame and returns it with its Info. The bytes are the socket's own
// buffer, valid until the next Recv. A timeout returns
// os.ErrDeadlineExceeded; the end of ctx returns its cause. Only one
// goroutine may receive at a time.
//
// The first Recv turns the kernel's timestamps on (see
// sock.Conn.EnableTimestamps): frames queued before it are stamped when
// they are read, later ones when they arrive.
func (s *Socket) Recv(ctx context.Context, timeout time.Duration) ([]byte, Info, error) {
	if err := s.conn.EnableTimestamps(); err != nil {
		return nil, Info{}, err
	}
	frame, m, err := s.recvFrame(ctx, timeout)
	if err != nil {
		return nil, Info{}, err
	}
	sll := (*unix.RawSockaddrLinklayer)(unsafe.Pointer(m.From))
	info := Info{
		Ifindex: int(sll.Ifindex),
		Proto:   uint16(sll.Protocol>>8 | sll.Protocol<<8),
		PktType: PktType(sll.Pkttype),
		TS:      m.TS,
		Len:     m.Len,
		src:     sll.Addr,
		srcLen:  min(sll.Halen, 8),
	}
	if m.VLAN.TPID != 0 { // the kernel names the protocol inside the tag
		info.Proto = m.VLAN.TPID
	}
	return frame, info, nil
}

// dropAll is a filter that takes no frame: "ret #0" (BPF_RET|BPF_K).
var dropAll = []bpf.RawInstruction{{Op: 0x06, K: 0}}

// SetFilter replaces the socket's filter with prog (none when prog is
// empty). Frames queued under the old filter are dropped first, as libpcap
// does, so that every frame Recv returns afterwards passed prog.
func (s *Socket) SetFilter(prog []bpf.RawInstruction) error {
	if err := s.attach(dropAll); err != nil {
		return err
	}
	s.drain()
	if len(prog) == 0 {
		return s.conn.Control(removeFilter)
	}
	return s.attach(prog)
}

// drain drops the frames queued in the socket. It reads the descriptor
// itself, into a byte of its own (the rest of each frame is discarded),
// rather than with Recv: an on() reader may be in Recv meanwhile, with the
// Conn's receive state and s.buf.
func (s *Socket) drain() {
	s.conn.Control(func(fd int) error {
		var b [1]byte
		for {
			if _, err := unix.Read(fd, b[:]); err != nil && err != unix.EINTR {
				return nil // EAGAIN: the queue is empty
			}
		}
	})
}

// removeFilter detaches the filter; having none is fine.
func removeFilter(fd int) error {
	err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DETACH_FILTER, 0)
	if err != nil && err != unix.ENOENT {
		return fmt.Errorf("setsockopt SO_DETACH_FILTER: %w", err)
	}
	return nil
}
