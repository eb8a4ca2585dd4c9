package nftcore

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
)

// ErrClosed is the cause of errors from a Conn (or its table) after Close.
var ErrClosed = errors.New("nftables socket closed")

// answerTimeout bounds the wait for the kernel's answers to one request;
// the kernel answers at once, so reaching it means something is broken.
const answerTimeout = 10 * time.Second

// A Conn is a netlink socket of the netfilter family. The table that a
// Conn creates with the owner flag belongs to it: only it may change the
// table, and the kernel deletes the table when the Conn closes.
// A Conn is safe for use by several goroutines; requests are serialized.
type Conn struct {
	mu sync.Mutex
	nl *netlink.Conn // nil once closed
	// dialled is set for a Conn that Dial made, in namespace ns (nil for
	// the current one), where the owners of other tables can be looked up.
	dialled bool
	ns      *netns.NS
}

// Dial opens a Conn inside the namespace ns, or in the current one when
// ns is nil.
func Dial(ns *netns.NS) (*Conn, error) {
	fd, err := ns.NetlinkFD()
	if err != nil {
		return nil, err
	}
	nl, err := netlink.Dial(unix.NETLINK_NETFILTER, &netlink.Config{NetNS: fd})
	if err != nil {
		return nil, fmt.Errorf("netlink: %w", err)
	}
	c := NewConn(nl)
	c.dialled, c.ns = true, ns
	return c, nil
}

// NewConn makes a Conn of an open netlink socket, such as the fake one of
// nltest.Dial in tests.
func NewConn(nl *netlink.Conn) *Conn {
	// Extended acks add the kernel's reason to some errors; a socket that
	// cannot have them still works.
	_ = nl.SetOption(netlink.ExtendedAcknowledge, true)
	return &Conn{nl: nl}
}

// Close closes the socket; the kernel then deletes the tables it owns.
// It is idempotent.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nl == nil {
		return nil
	}
	err := c.nl.Close()
	c.nl = nil
	return err
}

// Batch sends msgs to nf_tables as one transaction, which the kernel
// applies whole or not at all, and returns the messages it echoed back
// (new rules with their handles). The error is the first the kernel
// reported.
func (c *Conn) Batch(msgs []netlink.Message) ([]netlink.Message, error) {
	return c.exchange(batch(msgs), len(msgs))
}

// Query sends one request outside any batch (a get) and returns the
// kernel's reply.
func (c *Conn) Query(m netlink.Message) ([]netlink.Message, error) {
	return c.exchange([]netlink.Message{m}, 1)
}

// exchange sends msgs, of which acks ask for an acknowledgement, and reads
// until every one has its acknowledgement or error. Reading them all,
// errors included, leaves nothing stale on the socket for the next request.
func (c *Conn) exchange(msgs []netlink.Message, acks int) ([]netlink.Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nl == nil {
		return nil, ErrClosed
	}
	if _, err := c.nl.SendMessages(msgs); err != nil {
		return nil, err
	}
	// The fake sockets of tests have no deadlines: ignore that error.
	_ = c.nl.SetReadDeadline(time.Now().Add(answerTimeout))
	return c.answers(acks)
}

// answers reads the kernel's answers to acks messages: the replies and
// echoes, and the first error as a BatchError. The kernel answers the
// messages in order, each with an acknowledgement or an error, except
// when it refuses a batch whole (no CAP_NET_ADMIN): then it answers only
// the batch's begin message, with the error.
func (c *Conn) answers(acks int) ([]netlink.Message, error) {
	var replies []netlink.Message
	var first error
	for n := 0; n < acks; {
		if first != nil && !c.queued() {
			break // the refused batch: no other answer is coming
		}
		got, err := c.nl.Receive()
		switch {
		case err != nil && !fromKernel(err):
			return nil, err
		case err != nil:
			first = cmp.Or(first, error(&BatchError{Index: n, Count: acks, Err: kernelError(err)}))
			n++
		case len(got) == 0:
			return nil, errors.New("netlink: the kernel's answer was empty")
		}
		for _, m := range got {
			if m.Header.Type == netlink.Error {
				n++
			} else if m.Header.Type != netlink.Done {
				replies = append(replies, m)
			}
		}
	}
	return replies, first
}

// queued reports whether an answer waits on the socket. The kernel
// handles a netlink request inside the sendmsg that carries it, so every
// answer it will give is queued by the time SendMessages returns: once
// the queue is empty, the wait for more would be for nothing. Sockets
// without raw access (the fakes of tests) always say yes.
func (c *Conn) queued() bool {
	rc, err := c.nl.SyscallConn()
	if err != nil {
		return true
	}
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		_, _, rerr = unix.Recvfrom(int(fd), nil, unix.MSG_PEEK|unix.MSG_DONTWAIT)
		return true // never wait
	})
	return err == nil && rerr != unix.EAGAIN
}

// kernelError is the errno of a netlink error message, with the kernel's
// extended-ack text when it gave one, without netlink's "receive" prefix.
func kernelError(err error) error {
	var op *netlink.OpError
	if !errors.As(err, &op) {
		return err
	}
	if op.Message != "" {
		return fmt.Errorf("%w (%s)", op.Err, op.Message)
	}
	return op.Err
}

// A BatchError is the kernel refusing message Index of the Count sent
// together.
type BatchError struct {
	Index, Count int
	Err          error
}

// Error is the kernel's error.
func (e *BatchError) Error() string { return e.Err.Error() }

// Unwrap returns the kernel's error.
func (e *BatchError) Unwrap() error { return e.Err }

// fromKernel reports whether err is an error message from the kernel, an
// answer to a request, rather than a failure of the socket (which
// mdlayher/netlink wraps in an os.SyscallError) or a timeout.
func fromKernel(err error) bool {
	var errno unix.Errno
	var sys *os.SyscallError
	return errors.As(err, &errno) && !errors.As(err, &sys)
}

// queryRaw sends m and reads the answer by hand, for nft_compat: it marks
// its reply multipart and never ends it, which mdlayher/netlink's Receive
// would wait on forever. It returns the kernel's error for m, if any.
// Sockets without raw access (the fakes of tests) answer through Query.
func (c *Conn) queryRaw(m netlink.Message) error {
	c.mu.Lock()
	if c.nl == nil {
		c.mu.Unlock()
		return ErrClosed
	}
	rc, err := c.nl.SyscallConn()
	if err != nil {
		c.mu.Unlock()
		_, err := c.Query(m)
		return kernelCause(err)
	}
	defer c.mu.Unlock()
	req, err := c.nl.Send(m)
	if err != nil {
		return err
	}
	_ = c.nl.SetReadDeadline(time.Now().Add(answerTimeout))
	buf := make([]byte, 1<<16)
	for {
		n, err := recvRaw(rc, buf)
		if err != nil {
			return err
		}
		if done, err := ackOf(buf[:n], req.Header.Sequence); done {
			return err
		}
	}
}

// recvRaw reads one datagram from the socket without blocking a thread.
func recvRaw(rc syscall.RawConn, buf []byte) (int, error) {
	var n int
	var rerr error
	err := rc.Read(func(fd uintptr) bool {
		n, _, rerr = unix.Recvfrom(int(fd), buf, unix.MSG_DONTWAIT)
		return rerr != unix.EAGAIN
	})
	if err != nil {
		return 0, fmt.Errorf("netlink: %w", err)
	}
	if rerr != nil {
		return 0, os.NewSyscallError("recvfrom", rerr)
	}
	return n, nil
}

// ackOf looks through the netlink messages in b for the acknowledgement
// of the request seq, and returns its error.
func ackOf(b []byte, seq uint32) (found bool, err error) {
	const hdr = 16 // struct nlmsghdr
	for len(b) >= hdr {
		n := int(binary.NativeEndian.Uint32(b[0:4]))
		typ := netlink.HeaderType(binary.NativeEndian.Uint16(b[4:6]))
		if n < hdr || n > len(b) {
			return true, errors.New("netlink: malformed message")
		}
		if typ == netlink.Error && binary.NativeEndian.Uint32(b[8:12]) == seq && n >= hdr+4 {
			if code := int32(binary.NativeEndian.Uint32(b[hdr : hdr+4])); code != 0 {
				return true, unix.Errno(-code)
			}
			return true, nil
		}
		b = b[min((n+3)&^3, len(b)):]
	}
	return false, nil
}
