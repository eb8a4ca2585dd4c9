package packet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/rewrite"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/pcap"
)

// ReplayOptions say how fast a replay sends a capture, how often, and
// what it changes in the frames. With no pace set it keeps the recorded
// timing (Speed 1).
type ReplayOptions struct {
	Speed float64 // the recorded timing sped up this many times (tcpreplay -x)
	Top   bool    // as fast as the kernel takes the frames (--topspeed)
	PPS   float64 // frames a second, evenly spaced (--pps)
	Mbps  float64 // megabits a second of frames, link header included (--mbps)
	// Loop is how many times the file is sent, once when 0; less than 0
	// is over and over until Limit (tcpreplay's --loop=0).
	Loop int
	// Limit is how many frames to send at most, 0 for no limit (--limit).
	Limit    int
	Rewrite  *rewrite.Rewriter // edits each frame before it is sent; nil: none
	Progress io.Writer         // a live line and the summary, as blast's
}

// ReplayStats are what a replay did.
type ReplayStats struct {
	Sent    int   // frames the kernel took
	Bytes   int64 // their bytes
	Errors  int   // frames it refused (ENOBUFS, too big), not sent again
	Elapsed time.Duration
}

// PPS is the frames sent per second.
func (st ReplayStats) PPS() float64 { return float64(st.Sent) / max(st.Elapsed.Seconds(), 1e-9) }

// Mbps is the megabits sent per second.
func (st ReplayStats) Mbps() float64 {
	return float64(st.Bytes) * 8 / 1e6 / max(st.Elapsed.Seconds(), 1e-9)
}

// String reads as tcpreplay's summary: "Actual: 1000 packets (60000
// bytes) sent in 1.00 seconds", then "Rated: ..." and "Failed packets: ...".
func (st ReplayStats) String() string {
	return fmt.Sprintf("Actual: %d packets (%d bytes) sent in %.6f seconds\nRated: %.1f Bps, %.2f Mbps, %.2f pps\nFailed packets: %d",
		st.Sent, st.Bytes, st.Elapsed.Seconds(), float64(st.Bytes)/max(st.Elapsed.Seconds(), 1e-9), st.Mbps(), st.PPS(), st.Errors)
}

// spinTime is how long before a frame's time a paced replay stops
// sleeping and polls the clock: a wakeup comes some 10 to 90 µs late
// (timer slack, scheduling), so sleeping to the end would send late.
const spinTime = 60 * time.Microsecond

// Replay sends the frames of the capture file (pcap or pcapng, Ethernet)
// out of the interface, each at its time: the start plus its offset from
// the first frame's timestamp, divided by the speed, so that no error
// adds up over a long file. At top speed it sends sendmmsg(2) batches. An
// end of ctx ends it without error. Frames the kernel refuses (a full
// queue, a frame over the MTU) count in Errors; other errors end it. Per
// frame it allocates nothing.
func (s *Socket) Replay(ctx context.Context, file string, opt ReplayOptions) (ReplayStats, error) {
	if err := checkPace(opt); err != nil {
		return ReplayStats{}, err
	}
	p := s.newReplayer(opt)
	run, err := p.plan(ctx, file)
	if err != nil {
		return ReplayStats{}, err
	}
	defer p.close()
	if !opt.Top {
		// A thread of its own with a timer slack of 1 µs: the default
		// 50 µs would show in every frame's time.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer keepSlack()()
	}
	stop := startReplayProgress(opt.Progress, p)
	err = run(ctx)
	st := p.stats()
	stop(st)
	return st, err
}

// plan opens file and returns what replays it: at top speed from memory
// when it fits (see preloadMax), else record by record as they are read.
func (p *replayer) plan(ctx context.Context, file string) (run func(context.Context) error, err error) {
	if p.opt.Top {
		limit := 0
		if p.opt.Loop <= 1 {
			limit = p.opt.Limit
		}
		l, loaded, err := p.loadFile(ctx, file, limit)
		if err != nil {
			return nil, err
		}
		if loaded {
			return func(ctx context.Context) error { return p.runLoaded(ctx, l) }, nil
		}
	}
	if p.src, err = openSource(ctx, file, p.opt); err != nil {
		return nil, err
	}
	return p.run, nil
}

// close closes the file being read, if any.
func (p *replayer) close() {
	if p.src != nil {
		p.src.close()
	}
}

// checkPace checks that at most one pace is set, and sane.
func checkPace(opt ReplayOptions) error {
	set := 0
	for _, v := range []float64{opt.Speed, opt.PPS, opt.Mbps} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("replay pace %g is not a positive number", v)
		}
		if v > 0 {
			set++
		}
	}
	if opt.Top {
		set++
	}
	if set > 1 {
		return errors.New("replay takes one pace: speed, pps, mbps or top speed")
	}
	if opt.Loop < 0 && opt.Limit <= 0 {
		return errors.New("replay looping forever needs a limit")
	}
	return nil
}

// keepSlack sets the calling thread's timer slack to 1 µs and returns
// what restores it.
func keepSlack() func() {
	old, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
	if err != nil || unix.Prctl(unix.PR_SET_TIMERSLACK, 1000, 0, 0, 0) != nil {
		return func() {}
	}
	return func() { unix.Prctl(unix.PR_SET_TIMERSLACK, uintptr(old), 0, 0, 0) }
}

// A replayer is one replay under way.
type replayer struct {
	s      *Socket
	src    *source
	opt    ReplayOptions
	batch  *sock.Batch
	slots  [][]byte // the frames of the batch, each in its own room
	lens   []int    // their lengths
	n      int      // frames in the batch
	start  time.Time
	ts0    time.Time     // the first frame's timestamp
	base   time.Duration // offset of the first frame of this pass
	bytes0 int64         // bytes queued before this frame, for mbps
	frames int64         // frames queued, for pps
	sent   atomic.Int64  // read by the progress line
	errors atomic.Int64
	bytes  atomic.Int64
	last   time.Duration // offset of the last frame queued
}

// replaySlot is the room of a frame in a batch: the largest frame
// (64 KiB, GSO) is refused by the kernel anyway past the MTU.
func (s *Socket) replaySlot() int { return max(s.ifi.MTU+s.header+4, 1518) }

func (s *Socket) newReplayer(opt ReplayOptions) *replayer {
	size := DefaultBatch
	p := &replayer{s: s, opt: opt, batch: sock.NewBatch(size), slots: make([][]byte, size), lens: make([]int, size)}
	room := s.replaySlot()
	arena := make([]byte, size*room)
	for i := range size {
		p.slots[i] = arena[i*room : (i+1)*room : (i+1)*room]
	}
	return p
}

// run sends the frames until the source ends or ctx does.
func (p *replayer) run(ctx context.Context) error {
	for {
		data, rec, err := p.src.next(ctx)
		if err == io.EOF || ctx.Err() != nil {
			return p.stopped(ctx, p.flush(ctx))
		}
		if err != nil {
			p.flush(ctx)
			return err
		}
		if rec.LinkType != pcap.LinkEthernet {
			return fmt.Errorf("%s: record %d is of link type %d: replay sends Ethernet frames", p.src.name, p.src.read, rec.LinkType)
		}
		if p.src.newPass {
			p.base = p.last
			p.src.newPass = false
		}
		if err := p.queue(ctx, data, p.due(rec, len(data))); err != nil {
			return p.stopped(ctx, err)
		}
	}
}

// due is when the frame of rec goes, from the start.
func (p *replayer) due(rec pcap.Record, n int) time.Duration {
	defer func() { p.frames++; p.bytes0 += int64(n) }()
	switch {
	case p.opt.Top:
		return 0
	case p.opt.PPS > 0:
		return time.Duration(float64(p.frames) / p.opt.PPS * 1e9)
	case p.opt.Mbps > 0:
		return time.Duration(float64(p.bytes0) * 8 / p.opt.Mbps * 1e3)
	}
	if p.ts0.IsZero() {
		p.ts0 = rec.TS
	}
	speed := p.opt.Speed
	if speed == 0 {
		speed = 1
	}
	return p.base + time.Duration(float64(rec.TS.Sub(p.ts0))/speed)
}

// queue puts the frame in the batch, first sending what is queued and
// waiting when the frame is due later, and sends a full batch. A frame
// that was waited for goes when the next one is found not yet due: the
// time to read a record from the file's buffer, well under a
// microsecond.
func (p *replayer) queue(ctx context.Context, data []byte, due time.Duration) error {
	if p.start.IsZero() {
		p.start = time.Now()
	}
	p.last = max(p.last, due)
	if !p.opt.Top {
		at := p.start.Add(due)
		if time.Until(at) > 0 {
			if err := p.flush(ctx); err != nil {
				return err
			}
			if err := p.wait(ctx, at); err != nil {
				return err
			}
		}
	}
	if len(data) > len(p.slots[0]) {
		p.errors.Add(1) // over any MTU the interface may have
		return nil
	}
	f := p.slots[p.n][:len(data)]
	copy(f, data)
	if p.opt.Rewrite != nil {
		p.opt.Rewrite.Frame(f)
	}
	p.batch.Set(p.n, f)
	p.lens[p.n] = len(f)
	if p.n++; p.n == len(p.slots) {
		return p.flush(ctx)
	}
	return nil
}

// wait sleeps until spinTime before at, then polls the clock until at.
func (p *replayer) wait(ctx context.Context, at time.Time) error {
	if time.Until(at) > spinTime {
		if err := p.s.conn.Pause(ctx, at.Add(-spinTime)); err != nil {
			return err
		}
	}
	for time.Now().Before(at) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// flush sends the queued frames.
func (p *replayer) flush(ctx context.Context) error {
	for i := 0; i < p.n; {
		k, err := p.s.conn.SendBatch(ctx, p.batch, i, p.n)
		switch {
		case err == nil:
			p.sent.Add(int64(k))
			p.bytes.Add(p.batchBytes(i, i+k))
			i += k
		case passing(err) || errors.Is(err, unix.EMSGSIZE):
			p.errors.Add(1)
			i++
		default:
			p.n = 0
			return p.s.sendError(0, err)
		}
	}
	p.n = 0
	return nil
}

// batchBytes is the length of the frames queued from i to j.
func (p *replayer) batchBytes(i, j int) int64 {
	var n int64
	for k := i; k < j; k++ {
		n += int64(p.lens[k])
	}
	return n
}

// stopped is nil for err caused by the end of ctx, which ends a replay
// cleanly, and err otherwise.
func (p *replayer) stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

func (p *replayer) stats() ReplayStats {
	st := ReplayStats{Sent: int(p.sent.Load()), Bytes: p.bytes.Load(), Errors: int(p.errors.Load())}
	if !p.start.IsZero() {
		st.Elapsed = time.Since(p.start)
	}
	return st
}
