package packet

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/ethtool"
	"github.com/netlua/netlua/luabind/internal/xsk"
)

// The AF_XDP engine of blast and capture (engine = "xdp"): an AF_XDP
// socket on queue 0 of the socket's interface, opened for the run and
// closed after it. Frames skip the AF_PACKET path; on a veth, which has
// only copy mode, the kernel still copies each into an skb on send.

// xdpBatch is how many frames an unpaced blast hands the kernel per
// sendto(2) in copy mode: measured best on a veth pair (see
// BenchmarkBlastXDP).
var xdpBatch = 1024

// xdpCaptureFrames is the frames of a capture's UMEM and rx ring, per
// queue, where the locked memory limit allows (32 MiB): room for the
// bursts the kernel receives while the writer is busy. With 4096, a
// capture of trafgen -P1 at full speed on a loaded 2-core machine lost 4%.
const xdpCaptureFrames = 16384

// xdpQueue is the queue a blast sends on, unless given one.
const xdpQueue = 0

// xdpWait bounds each wait of the engine for the kernel, so that the end
// of ctx or of the run is seen soon.
const xdpWait = 50 * time.Millisecond

// xdpDrain bounds the wait for the kernel to complete the last frames of
// a blast.
const xdpDrain = time.Second

// inNS runs fn in the socket's network namespace.
func (s *Socket) inNS(fn func() error) error {
	if s.ns == nil {
		return fn()
	}
	return s.ns.Do(fn)
}

// openTX opens an AF_XDP socket to send on queue of the socket's
// interface, one of n that share the locked memory limit.
func (s *Socket) openTX(queue, n int) (*xsk.Socket, error) {
	var x *xsk.Socket
	err := s.inNS(func() (err error) {
		x, err = openQueue(xsk.Options{Ifindex: s.ifi.Index, Queue: queue, TX: true, Frames: xsk.FramesFor(xsk.DefaultFrames, n)})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("engine xdp on %s: %w", s.ifi.Name, err)
	}
	return x, nil
}

// xdpRelease bounds the wait for what an AF_XDP socket just closed
// still holds: the kernel frees the socket's queue and its UMEM's share of
// the locked memory limit in a work queue, after close returns, so a
// second run right after a first may find them taken for a moment.
const xdpRelease = time.Second

// openQueue is xsk.Open, trying again for up to xdpRelease while the
// queue is busy or the locked memory limit reached.
func openQueue(opt xsk.Options) (*xsk.Socket, error) {
	end := time.Now().Add(xdpRelease)
	for {
		x, err := xsk.Open(opt)
		if !errors.Is(err, unix.EBUSY) && !errors.Is(err, unix.ENOBUFS) || time.Now().After(end) {
			return x, err
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// BlastXDP is Blast through an AF_XDP socket: the frame is written once
// into every UMEM frame (each varied in turn when opt varies it) and
// the tx ring is fed descriptors, so no frame is copied from Go to the
// kernel. Sent counts the frames the kernel completed, less those the
// device dropped (Errors). It sends on queue 0; see BlastXDPOn.
func (s *Socket) BlastXDP(ctx context.Context, frame []byte, opt BlastOptions) (BlastStats, error) {
	return s.BlastXDPOn(ctx, frame, opt, xdpQueue, 1)
}

// BlastXDPOn is BlastXDP on the interface's transmit queue, as one of n
// blasts at once (on queues of their own, each on its own thread), which
// share the locked memory limit.
func (s *Socket) BlastXDPOn(ctx context.Context, frame []byte, opt BlastOptions, queue, n int) (BlastStats, error) {
	if opt.Count <= 0 && opt.Duration <= 0 {
		return BlastStats{}, errors.New("blast needs a count or a duration")
	}
	if len(frame) > xsk.FrameSize {
		return BlastStats{}, fmt.Errorf("blast: engine xdp sends frames of up to %d bytes, this one has %d", xsk.FrameSize, len(frame))
	}
	x, err := s.openTX(queue, n)
	if err != nil {
		return BlastStats{}, err
	}
	defer x.Close()
	b := &xdpBlaster{x: x, size: len(frame), count: opt.Count, end: deadline(opt.Duration), batch: opt.Batch}
	if b.batch <= 0 {
		b.batch = xdpBatch
	}
	if err := x.SetTxBudget(min(max(b.batch, 32), x.Frames())); err != nil {
		return BlastStats{}, fmt.Errorf("blast: engine xdp: tx budget: %w", err)
	}
	if opt.Rate > 0 && opt.Rate <= MaxRate {
		b.pace = newBucket(opt.Rate, b.batch)
		b.batch = b.pace.burst
	}
	if len(opt.Vary) > 0 {
		if b.vary, err = newVarier(frame, s.header, opt.Vary); err != nil {
			return BlastStats{}, err
		}
	}
	for i := range x.Frames() {
		copy(x.Frame(i), frame)
	}
	b.counts.start = time.Now()
	stop := startProgress(opt.Progress, b.counts.start, b.counts.counts)
	err = b.run(ctx)
	b.drain()
	st := b.counts.stats()
	stop(st)
	return st, err
}

// An xdpBlaster is one blast under way on an AF_XDP socket. Frames go
// through the UMEM in turn: the k-th frame put is UMEM frame k mod its
// size, free again once the kernel completed it (completions come in
// order).
type xdpBlaster struct {
	x              *xsk.Socket
	vary           *varier
	pace           *bucket
	size, batch    int
	count          int // 0 for no bound
	end            time.Time
	put, completed int
	dropped        int
	counts         blaster // only its counters, for progress and stats
	timer          *time.Timer
}

func (b *xdpBlaster) run(ctx context.Context) error {
	frames := b.x.Frames()
	for ctx.Err() == nil {
		b.complete()
		n := min(b.batch, frames-(b.put-b.completed))
		if b.count > 0 {
			n = min(n, b.count-b.put)
		}
		now := time.Now()
		if b.count > 0 && b.put == b.count || !b.end.IsZero() && !now.Before(b.end) {
			return nil
		}
		if b.pace != nil && n > 0 {
			want := n
			if n = b.pace.take(now, want); n == 0 {
				b.sleep(ctx, b.pace.wake(want, b.end))
				continue
			}
		}
		for range n {
			i := b.put % frames
			if b.vary != nil {
				b.vary.apply(b.x.Frame(i)[:b.size])
			}
			b.x.Put(i, b.size)
			b.put++
		}
		if err := b.submit(); err != nil {
			return err
		}
		if n == 0 {
			// Every frame is in flight: wait for the kernel to complete some.
			if err := b.x.Wait(unix.POLLOUT, time.Millisecond); err != nil {
				return fmt.Errorf("blast: poll: %w", err)
			}
		}
	}
	return nil
}

// submit hands the frames put to the kernel, counting a dropped frame.
func (b *xdpBlaster) submit() error {
	err := b.x.Submit()
	if errors.Is(err, xsk.ErrDropped) {
		b.dropped++
		b.counts.errors.Add(1)
		return nil
	}
	if err != nil {
		return fmt.Errorf("blast: sendto: %w", err)
	}
	return nil
}

// complete counts the frames the kernel completed.
func (b *xdpBlaster) complete() {
	if k := b.x.Completed(); k > 0 {
		b.completed += k
		b.counts.sent.Store(int64(b.completed - b.dropped))
	}
}

// drain has the kernel send what the tx ring still holds and waits,
// up to xdpDrain, for every frame put to complete.
func (b *xdpBlaster) drain() {
	limit := time.Now().Add(xdpDrain)
	for b.completed < b.put && time.Now().Before(limit) {
		if b.x.Pending() > 0 {
			_ = b.submit()
		}
		b.complete()
		if b.completed < b.put {
			_ = b.x.Wait(unix.POLLOUT, time.Millisecond)
		}
	}
}

// sleep waits until t or the end of ctx, on one timer for the blast.
func (b *xdpBlaster) sleep(ctx context.Context, t time.Time) {
	if b.timer == nil {
		b.timer = time.NewTimer(time.Until(t))
	} else {
		b.timer.Reset(time.Until(t))
	}
	select {
	case <-ctx.Done():
		b.timer.Stop()
	case <-b.timer.C:
	}
}

// CaptureXDP is Capture through AF_XDP sockets, one on each receive
// queue of the interface, which an XDP program on it feeds (see
// xsk.Redirect): the frames they take reach neither the kernel's stack
// nor other sockets. Frames are stamped when read, so that the file
// stays in time order across queues. Dropped counts the frames the
// kernel had no room for (the sockets' XDP_STATISTICS).
func (s *Socket) CaptureXDP(ctx context.Context, w FrameWriter, lim Limits) (st CaptureStats, err error) {
	c := &xdpCapture{w: w}
	defer func() { err = errors.Join(err, c.close()) }()
	if err := s.inNS(func() error { return c.open(s.ifi) }); err != nil {
		return st, fmt.Errorf("engine xdp on %s: %w", s.ifi.Name, err)
	}
	err = c.run(ctx, deadline(lim.Duration), lim.Count)
	for _, x := range c.xs {
		xs, serr := x.Stats()
		st.Dropped += xs.Rx_dropped + xs.Rx_ring_full
		err = errors.Join(err, serr)
	}
	st.Captured = c.n
	return st, ignoreEnd(ctx, err)
}

// An xdpCapture writes the frames of AF_XDP sockets.
type xdpCapture struct {
	w    FrameWriter
	xs   []*xsk.Socket
	prog *xsk.Redirect
	pfd  []unix.PollFd
	now  time.Time // the stamp of the frames of one read
	n    int
}

// open opens a socket on each receive queue of ifi, in the calling
// thread's namespace, and the program that feeds them.
func (c *xdpCapture) open(ifi net.Interface) error {
	queues, err := ethtool.RxQueues(ifi.Name)
	if err != nil {
		return err
	}
	frames := xsk.FramesFor(xdpCaptureFrames, queues)
	for q := range queues {
		x, err := openQueue(xsk.Options{Ifindex: ifi.Index, Queue: q, RX: true, Frames: frames})
		if err != nil {
			return err
		}
		c.xs = append(c.xs, x)
		c.pfd = append(c.pfd, unix.PollFd{Fd: int32(x.FD()), Events: unix.POLLIN})
		x.Fill(0, x.Frames())
	}
	if c.prog, err = xsk.NewRedirect(ifi.Index, queues); err != nil {
		return err
	}
	for q, x := range c.xs {
		if err := c.prog.Add(q, x); err != nil {
			return err
		}
	}
	return nil
}

// close detaches the program, then closes the sockets.
func (c *xdpCapture) close() error {
	var errs []error
	if c.prog != nil {
		errs = append(errs, c.prog.Close())
	}
	for _, x := range c.xs {
		errs = append(errs, x.Close())
	}
	return errors.Join(errs...)
}

func (c *xdpCapture) write(data []byte) error { return c.w.WriteFrame(data, c.now, len(data)) }

// run writes frames until count (none: 0), end (none: zero) or ctx.
func (c *xdpCapture) run(ctx context.Context, end time.Time, count int) error {
	write := c.write
	for ctx.Err() == nil && (count == 0 || c.n < count) {
		c.now = time.Now()
		if !end.IsZero() && !c.now.Before(end) {
			return nil
		}
		got := 0
		for _, x := range c.xs {
			left := 0
			if count > 0 {
				if left = count - c.n; left == 0 {
					return nil
				}
			}
			k, err := x.Receive(left, write)
			c.n += k
			got += k
			if err != nil {
				return err
			}
		}
		if got == 0 {
			if err := c.wait(end); err != nil {
				return err
			}
		}
	}
	return nil
}

// wait waits for a frame on any socket, up to xdpWait or end.
func (c *xdpCapture) wait(end time.Time) error {
	wait := xdpWait
	if !end.IsZero() {
		wait = min(wait, time.Until(end)+time.Millisecond)
	}
	if _, err := unix.Poll(c.pfd, int(wait.Milliseconds())); err != nil && err != unix.EINTR {
		return fmt.Errorf("capture: poll: %w", err)
	}
	return nil
}
