package nfq

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	nfqueue "github.com/florianl/go-nfqueue/v2"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/nftcore"
	"github.com/netlua/netlua/luabind/internal/nlowner"
	"github.com/netlua/netlua/luabind/internal/sock"
)

const (
	// FirstNum is the first queue number Open tries; it takes the first
	// free one from there.
	FirstNum = 1024
	maxTries = 256
	// MaxQueueLen bounds the packets waiting for a verdict; past it the
	// kernel lets packets pass (fail-open).
	MaxQueueLen = 4096
	// readBuffer is the socket's receive buffer: room for bursts.
	readBuffer = 8 << 20
)

// A Packet is one queued packet: its kernel ID, where it was taken, and
// its bytes from the IP header on.
type Packet struct {
	ID     uint32
	Hook   uint8  // netfilter hook number (NF_INET_LOCAL_IN...)
	Mark   uint32 // the packet's mark
	InDev  uint32 // the interface it came in by, 0 if none
	OutDev uint32 // the interface it leaves by, 0 if not known yet
	Data   []byte
	Came   time.Time // when the consumer received it from the kernel
}

// A Queue is an nfnetlink queue of one network namespace, with its
// consumer goroutine. Packets wait in the Queue until Take; verdicts go
// back with Accept, Drop and AcceptModified, from one goroutine.
type Queue struct {
	nf      *nfqueue.Nfqueue
	num     uint16
	ns      *netns.NS
	cancel  context.CancelFunc
	ready   chan struct{}
	done    chan struct{}
	onError func(error)

	mu      sync.Mutex
	waiting []Packet
	last    uint32 // the highest packet ID received
	closed  bool

	runTo uint32 // accepts not sent yet: every ID up to runTo
	run   bool
	names map[uint32]string
}

// Open binds the first free queue number from FirstNum in ns (nil: the
// current namespace) and starts its consumer. onError, if set, is called
// from the consumer goroutine when receiving fails for good.
//
// Two processes may choose the same free number at once: the kernel
// binds it for the first, and answers the other EPERM (or EEXIST when
// both bind at the same moment). That one then finds the number bound in
// the kernel's list and takes the next free one; an EPERM for a number
// that the list shows free is a real lack of privilege.
func Open(ns *netns.NS, onError func(error)) (*Queue, error) {
	bound := map[int]uint32{} // queue number: the peer port bound to it
	for {
		if err := boundQueues(ns, bound); err != nil {
			return nil, err
		}
		num, err := freeNum(ns, bound)
		if err != nil {
			return nil, err
		}
		q, err := open(ns, num, onError)
		if !errors.Is(err, unix.EPERM) && !errors.Is(err, unix.EEXIST) {
			return q, err
		}
		if err := boundQueues(ns, bound); err != nil {
			return nil, err
		}
		if _, taken := bound[int(num)]; !taken {
			return nil, err
		}
	}
}

// QueueList lists the bound queues of the calling thread's namespace, one
// per line: the queue number, the peer's port ID, then counters.
const QueueList = "/proc/thread-self/net/netfilter/nfnetlink_queue"

// boundQueues adds the queues bound in ns to bound, with their peers'
// ports. (The kernel answers EPERM for a number bound by another socket,
// as it does without privilege, so its answer alone cannot tell them
// apart.)
func boundQueues(ns *netns.NS, bound map[int]uint32) error {
	return sock.InNS(ns, func() error {
		data, _ := os.ReadFile(QueueList) // none yet: every number is free
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			n, err1 := strconv.Atoi(f[0])
			port, err2 := strconv.ParseUint(f[1], 10, 32)
			if err1 == nil && err2 == nil {
				bound[n] = uint32(port)
			}
		}
		return nil
	})
}

// freeNum is the first queue number from FirstNum not in bound.
func freeNum(ns *netns.NS, bound map[int]uint32) (uint16, error) {
	for num := FirstNum; num < FirstNum+maxTries; num++ {
		if _, taken := bound[num]; !taken {
			return uint16(num), nil
		}
	}
	return 0, fmt.Errorf("every queue number from %d to %d is bound, %d by %s", FirstNum, FirstNum+maxTries-1,
		FirstNum, nlowner.Name(ns, unix.NETLINK_NETFILTER, bound[FirstNum]))
}

// open binds queue num, with the kernel's nfnetlink_queue.
func open(ns *netns.NS, num uint16, onError func(error)) (*Queue, error) {
	q := &Queue{num: num, ns: ns, onError: onError, ready: make(chan struct{}, 1),
		done: make(chan struct{}), names: map[uint32]string{}}
	err := q.bind()
	if noQueues(err) && nftcore.LoadModules("nfnetlink_queue") {
		err = q.bind()
	}
	if noQueues(err) {
		err = &nftcore.KernelError{What: "nfnetlink_queue, which hands packets to userspace",
			Config: "CONFIG_NETFILTER_NETLINK_QUEUE", Module: "nfnetlink_queue", Err: err}
	}
	if errors.Is(err, os.ErrPermission) {
		return nil, unix.EPERM // the rest of the message is go-nfqueue's steps
	}
	if err != nil {
		return nil, err
	}
	return q, nil
}

// noQueues reports whether err says that the kernel has no nfnetlink_queue:
// nfnetlink answers EINVAL for a subsystem it does not have.
func noQueues(err error) bool {
	return errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP)
}

// bind opens the socket, binds the queue and starts the consumer.
func (q *Queue) bind() error {
	cfg := &nfqueue.Config{
		NfQueue:      q.num,
		MaxPacketLen: 0xffff,
		MaxQueueLen:  MaxQueueLen,
		Copymode:     nfqueue.NfQnlCopyPacket,
		Flags:        nfqueue.NfQaCfgFlagFailOpen,
		AfFamily:     unix.AF_INET,
	}
	var err error
	if cfg.NetNS, err = q.ns.NetlinkFD(); err != nil {
		return err
	}
	nf, err := nfqueue.Open(cfg)
	if err != nil {
		return fmt.Errorf("nfnetlink: %w", err)
	}
	tune(nf.Con)
	ctx, cancel := context.WithCancel(context.Background())
	if err := nf.RegisterWithErrorFunc(ctx, q.receive, q.receiveError); err != nil {
		cancel()
		nf.Close()
		return fmt.Errorf("queue %d: %w", q.num, err)
	}
	q.nf, q.cancel = nf, cancel
	return nil
}

// tune sizes the socket for bursts and keeps a full socket from ending
// the consumer: the kernel lets packets it cannot deliver pass
// (fail-open) and need not report it with ENOBUFS.
func tune(c *netlink.Conn) {
	_ = c.SetOption(netlink.NoENOBUFS, true)
	if rc, err := c.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) {
			// SO_RCVBUFFORCE goes past rmem_max; it needs the CAP_NET_ADMIN we have.
			if unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, readBuffer) != nil {
				_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, readBuffer)
			}
		})
	}
}

// Num is the queue number, which the queue rule names.
func (q *Queue) Num() uint16 { return q.num }

// Ready has a value when packets wait for Take.
func (q *Queue) Ready() <-chan struct{} { return q.ready }

// Done is closed when the queue closes.
func (q *Queue) Done() <-chan struct{} { return q.done }

// receive runs on the consumer goroutine for each packet: it only files
// the packet, so the consumer never waits for Lua.
func (q *Queue) receive(a nfqueue.Attribute) (ret int) {
	defer func() {
		if r := recover(); r != nil {
			q.fail(fmt.Errorf("consumer: internal error: %v (a bug in netlua; please report it)", r))
			ret = 0
		}
	}()
	if a.PacketID == nil || a.Payload == nil {
		return 0
	}
	p := Packet{ID: *a.PacketID, Hook: value(a.Hook), Mark: value(a.Mark),
		InDev: value(a.InDev), OutDev: value(a.OutDev), Data: *a.Payload, Came: time.Now()}
	q.mu.Lock()
	if !q.closed {
		q.waiting = append(q.waiting, p)
		q.last = p.ID
	}
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return 0
}

// value is *p, or the zero value for a nil p.
func value[T any](p *T) T {
	var v T
	if p != nil {
		v = *p
	}
	return v
}

// receiveError decides whether the consumer carries on after err.
func (q *Queue) receiveError(err error) int {
	var op *netlink.OpError
	switch {
	case q.isClosed():
		return 1
	case errors.As(err, &op) && (op.Timeout() || op.Temporary()), errors.Is(err, unix.ENOBUFS):
		return 0
	}
	q.fail(fmt.Errorf("receive: %w", err))
	return 1
}

func (q *Queue) fail(err error) {
	if q.onError != nil {
		q.onError(err)
	}
}

func (q *Queue) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// Take hands over the packets waiting, in the order they came, and takes
// buf to file the next ones in: the caller gets the Queue's slice and
// must not keep it past its next Take.
func (q *Queue) Take(buf []Packet) []Packet {
	clear(buf)
	q.mu.Lock()
	defer q.mu.Unlock()
	got := q.waiting
	q.waiting = buf[:0]
	return got
}

// Accept lets packet id pass. Accepts are sent together by Flush, or
// before the next drop: the kernel's batch verdict accepts every packet
// up to an ID, and packets are judged in the order their IDs were given.
func (q *Queue) Accept(id uint32) { q.runTo, q.run = id, true }

// Drop drops packet id.
func (q *Queue) Drop(id uint32) error {
	if err := q.Flush(); err != nil {
		return err
	}
	return q.nf.SetVerdict(id, nfqueue.NfDrop)
}

// AcceptModified lets packet id pass with data for its bytes.
func (q *Queue) AcceptModified(id uint32, data []byte) error {
	if err := q.Flush(); err != nil {
		return err
	}
	return q.nf.SetVerdictWithOption(id, nfqueue.NfAccept, nfqueue.WithAlteredPacket(data))
}

// Flush sends the accepts not sent yet.
func (q *Queue) Flush() error {
	if !q.run {
		return nil
	}
	q.run = false
	return q.nf.SetVerdictBatch(q.runTo, nfqueue.NfAccept)
}

// Ifname names the interface index in the queue's namespace, "" for 0 or
// an index gone; names are looked up once.
func (q *Queue) Ifname(index uint32) string {
	if index == 0 {
		return ""
	}
	if name, ok := q.names[index]; ok {
		return name
	}
	var name string
	lookup := func() error {
		if ifi, err := net.InterfaceByIndex(int(index)); err == nil {
			name = ifi.Name
		}
		return nil
	}
	_ = sock.InNS(q.ns, lookup)
	q.names[index] = name
	return name
}

// Close accepts every packet still queued, stops the consumer and closes
// the socket; it never waits on the kernel. It is idempotent.
func (q *Queue) Close() error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	last := q.last
	q.waiting = nil
	q.mu.Unlock()
	close(q.done)
	// IDs are consecutive and at most MaxQueueLen packets wait, so every
	// packet queued, handed out or still on its way has an ID up to this.
	err := q.nf.SetVerdictBatch(last+MaxQueueLen, nfqueue.NfAccept)
	// Cancel first: go-nfqueue's Close waits for a goroutine that only
	// ends with the context.
	q.cancel()
	return errors.Join(err, q.nf.Close())
}
