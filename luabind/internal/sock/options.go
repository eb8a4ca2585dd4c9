package sock

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// DefaultReceiveBuffer is the receive buffer sockets ask for: at line rate
// on a veth the kernel's default (about 200 KiB) drops ~1% of frames,
// 4 MiB drops none.
const DefaultReceiveBuffer = 4 << 20

// SetReceiveBuffer sets the socket's receive buffer to bytes, beyond the
// rmem_max limit with SO_RCVBUFFORCE when the process has CAP_NET_ADMIN,
// within it with SO_RCVBUF otherwise.
func (c *Conn) SetReceiveBuffer(bytes int) error {
	return c.Control(func(fd int) error {
		if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, bytes) == nil {
			return nil
		}
		return os.NewSyscallError("setsockopt SO_RCVBUF", unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, bytes))
	})
}

// EnableTimestamps asks the kernel for the receive time of every datagram
// (SO_TIMESTAMPNS), which Recv returns in Msg.TS. Only the first call
// does anything.
//
// Any socket asking for timestamps makes the kernel stamp every packet
// the machine receives (net_enable_timestamp), which costs a send loop on
// a veth ~90 ns a frame, since the peer's receive runs in the sender's
// softirq. So sockets that may only send ask on their first receive:
// what was queued before is stamped when it is read.
func (c *Conn) EnableTimestamps() error {
	if c.stamped.Load() {
		return nil
	}
	err := c.SetInt(unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS")
	if err == nil {
		c.stamped.Store(true)
	}
	return err
}

// SetInt sets an integer socket option; name is for the error message.
func (c *Conn) SetInt(level, opt, value int, name string) error {
	return c.Control(func(fd int) error {
		return os.NewSyscallError("setsockopt "+name, unix.SetsockoptInt(fd, level, opt, value))
	})
}

// SyscallError names the failed call, except for permission errors,
// which the runtime explains by themselves ("operation not permitted:
// needs root or CAP_NET_RAW ..."). It is nil when err is.
func SyscallError(call string, err error) error {
	if err == nil || errors.Is(err, os.ErrPermission) {
		return err
	}
	return os.NewSyscallError(call, err)
}
