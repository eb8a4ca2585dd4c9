package packet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/xsk"
)

// The AF_XDP engine of blast and capture (engine = "xdp"): an AF_XDP
// socket on queue 0 of the socket's interface, opened for the run and
// closed after it. Frames skip the AF_PACKET path; on a veth, which has
// only copy mode, the kernel still copies each into an skb on send.

// xdpQueue is the queue the engine binds to. A veth has one; on a
// multi-queue NIC a capture sees only the frames RSS steers to queue 0,
// the others go on to the kernel's stack.
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

// openXSK opens an AF_XDP socket on the socket's interface.
func (s *Socket) openXSK(rx, tx bool) (*xsk.Socket, error) {
	var x *xsk.Socket
	err := s.inNS(func() (err error) {
		x, err = xsk.Open(xsk.Options{Ifindex: s.ifi.Index, Queue: xdpQueue, RX: rx, TX: tx})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("engine xdp on %s: %w", s.ifi.Name, err)
	}
	return x, nil
}

// BlastXDP is Blast through an AF_XDP socket: the frame is written once
// into every UMEM frame (each varied in turn when opt varies it) and
// the tx ring is fed descriptors, so no frame is copied from Go to the
// kernel. Sent counts the frames the kernel completed, less those the
// device dropped (Errors).
func (s *Socket) BlastXDP(ctx context.Context, frame []byte, opt BlastOptions) (BlastStats, error) {
	if opt.Count <= 0 && opt.Duration <= 0 {
		return BlastStats{}, errors.New("blast needs a count or a duration")
	}
	if len(frame) > xsk.FrameSize {
		return BlastStats{}, fmt.Errorf("blast: engine xdp sends frames of up to %d bytes, this one has %d", xsk.FrameSize, len(frame))
	}
	x, err := s.openXSK(false, true)
	if err != nil {
		return BlastStats{}, err
	}
	defer x.Close()
	b := &xdpBlaster{x: x, size: len(frame), count: opt.Count, end: deadline(opt.Duration), batch: opt.Batch}
	if b.batch <= 0 {
		b.batch = DefaultBatch
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
	stop := startProgress(opt.Progress, &b.counts)
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
				sleep(ctx, b.pace.wake(want, b.end))
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

// sleep waits until t or the end of ctx.
func sleep(ctx context.Context, t time.Time) {
	tm := time.NewTimer(time.Until(t))
	defer tm.Stop()
	select {
	case <-ctx.Done():
	case <-tm.C:
	}
}

// CaptureXDP is Capture through an AF_XDP socket, which an XDP program on
// the interface feeds (see xsk.Redirect): the frames it takes do not reach
// the kernel's stack, nor other sockets. Frames are stamped when read.
// Dropped counts the frames the kernel had no room for (the socket's
// XDP_STATISTICS).
func (s *Socket) CaptureXDP(ctx context.Context, w FrameWriter, lim Limits) (st CaptureStats, err error) {
	x, err := s.openXSK(true, false)
	if err != nil {
		return st, err
	}
	defer x.Close()
	var prog *xsk.Redirect
	err = s.inNS(func() (err error) {
		prog, err = xsk.NewRedirect(s.ifi.Index, xdpQueue+1)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("engine xdp on %s: %w", s.ifi.Name, err)
	}
	defer func() { err = errors.Join(err, prog.Close()) }()
	if err := prog.Add(xdpQueue, x); err != nil {
		return st, err
	}
	x.Fill(0, x.Frames())
	c := &xdpCapture{w: w}
	err = c.run(ctx, x, deadline(lim.Duration), lim.Count)
	xs, serr := x.Stats()
	st = CaptureStats{Captured: c.n, Dropped: xs.Rx_dropped + xs.Rx_ring_full}
	return st, errors.Join(ignoreEnd(ctx, err), serr)
}

// An xdpCapture writes the frames of an AF_XDP socket.
type xdpCapture struct {
	w   FrameWriter
	now time.Time // the stamp of the frames of one read
	n   int
}

func (c *xdpCapture) write(data []byte) error { return c.w.WriteFrame(data, c.now, len(data)) }

func (c *xdpCapture) run(ctx context.Context, x *xsk.Socket, end time.Time, count int) error {
	write := c.write
	for ctx.Err() == nil && (count == 0 || c.n < count) {
		c.now = time.Now()
		if !end.IsZero() && !c.now.Before(end) {
			return nil
		}
		left := 0
		if count > 0 {
			left = count - c.n
		}
		k, err := x.Receive(left, write)
		c.n += k
		if err != nil {
			return err
		}
		if k == 0 {
			wait := xdpWait
			if !end.IsZero() {
				wait = min(wait, time.Until(end)+time.Millisecond)
			}
			if err := x.Wait(unix.POLLIN, wait); err != nil {
				return fmt.Errorf("capture: poll: %w", err)
			}
		}
	}
	return nil
}
