package packet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/sock"
)

// DefaultBatch is how many frames a blast hands the kernel per
// sendmmsg(2) when it is not paced: measured best on a veth pair (see
// BenchmarkBlastBatch); fewer cost more system calls a frame, more gain
// nothing and keep a bigger working set.
const DefaultBatch = 64

// BlastOptions say what a blast sends and for how long.
type BlastOptions struct {
	Limits // a count or a duration, at least one: a blast must end
	// Rate is frames per second, paced by a token bucket; 0 is as fast as
	// the kernel takes them, and so is a rate over MaxRate.
	Rate float64
	// Vary changes fields from frame to frame, checksums kept right.
	Vary []VaryField
	// Batch is frames per system call, DefaultBatch when 0. A paced blast
	// sends fewer, in bursts of about burstTime.
	Batch int
	// Progress, if set, gets a live line four times a second (see
	// progress) and the summary when the blast ends.
	Progress io.Writer
	// Workers is how many senders share the blast, each with its own
	// socket and OS thread pinned to a CPU (see blastWorkers); 0 or 1 is
	// one, on the socket itself. Engine EngineXDP takes one.
	Workers int
	// Engine is EnginePacket, this socket, or EngineXDP (see BlastXDP).
	Engine Engine
}

// MaxRate is the fastest rate a blast paces: a frame a nanosecond, more
// than any link carries (100 Gb/s Ethernet, 148.8 million frames a
// second). A blast asked for more, up to +Inf, goes at full speed: a
// token bucket at such a rate would count in tokens past float64's
// precision.
const MaxRate = 1e9

// BlastStats are what a blast did.
type BlastStats struct {
	Sent    int // frames the kernel took
	Errors  int // frames it refused for a passing cause (ENOBUFS, ENETDOWN), not sent again
	Elapsed time.Duration
	// Workers are each worker's own figures, when there were more than one.
	Workers []WorkerStats
}

// PPS is the frames sent per second.
func (st BlastStats) PPS() float64 { return float64(st.Sent) / max(st.Elapsed.Seconds(), 1e-9) }

// String reads "sent 1000000 frames in 1.20 s: 833333 pps, 0 errors".
func (st BlastStats) String() string {
	return fmt.Sprintf("sent %d frames in %.2f s: %.0f pps, %d errors", st.Sent, st.Elapsed.Seconds(), st.PPS(), st.Errors)
}

// Blast sends frame over and over, in Go, with sendmmsg(2) batches, until
// opt's count of frames were handed to the kernel, its duration passed, or
// ctx ended: an end of ctx stops it without error, as ^C ends a capture.
// Frames the kernel refuses for a passing cause are counted in Errors;
// other errors (a closed socket, a frame over the MTU, the link gone) end
// the blast. No allocation per frame.
func (s *Socket) Blast(ctx context.Context, frame []byte, opt BlastOptions) (BlastStats, error) {
	if opt.Count <= 0 && opt.Duration <= 0 {
		return BlastStats{}, errors.New("blast needs a count or a duration")
	}
	if opt.Rate < 0 || math.IsNaN(opt.Rate) {
		return BlastStats{}, fmt.Errorf("blast rate %g is not 0 or more", opt.Rate)
	}
	if opt.Engine == EngineXDP {
		return s.BlastXDP(ctx, frame, opt)
	}
	if opt.Workers > 1 {
		return s.blastWorkers(ctx, frame, opt)
	}
	b, err := newBlaster(s.conn, s.header, frame, opt)
	if err != nil {
		return BlastStats{}, err
	}
	b.start = time.Now()
	stop := startProgress(opt.Progress, b.start, b.counts)
	err = b.run(ctx)
	st := b.stats()
	stop(st)
	if err != nil {
		return st, s.sendError(len(frame), err)
	}
	return st, nil
}

// A blaster is one blast under way.
type blaster struct {
	conn   *sock.Conn
	batch  *sock.Batch
	frames [][]byte // each message's own copy of the frame, when varying
	vary   *varier
	pace   *bucket // nil when not paced
	size   int     // frames per call
	count  int     // frames to hand the kernel; 0 for no bound
	start  time.Time
	end    time.Time // zero for no bound
	// sent and errors are read by the progress line's goroutine.
	sent, errors atomic.Int64
}

// newBlaster readies a blast of frame on conn, a packet socket whose
// link header is header bytes long.
func newBlaster(conn *sock.Conn, header int, frame []byte, opt BlastOptions) (*blaster, error) {
	b := &blaster{conn: conn, size: opt.Batch, count: opt.Count, end: deadline(opt.Duration)}
	if b.size <= 0 {
		b.size = DefaultBatch
	}
	if opt.Rate > 0 && opt.Rate <= MaxRate {
		b.pace = newBucket(opt.Rate, b.size)
		b.size = b.pace.burst
	}
	b.batch = sock.NewBatch(b.size)
	if len(opt.Vary) == 0 {
		for i := range b.size {
			b.batch.Set(i, frame)
		}
		return b, nil
	}
	var err error
	if b.vary, err = newVarier(frame, header, opt.Vary); err != nil {
		return nil, err
	}
	b.frames = make([][]byte, b.size)
	for i := range b.frames {
		b.frames[i] = append([]byte(nil), frame...)
		b.batch.Set(i, b.frames[i])
	}
	return b, nil
}

// run sends batches until a limit is reached.
func (b *blaster) run(ctx context.Context) error {
	for ctx.Err() == nil {
		n := b.size
		if b.count > 0 {
			n = min(n, b.count-b.done())
		}
		now := time.Now()
		if n == 0 || (!b.end.IsZero() && !now.Before(b.end)) {
			return nil
		}
		if b.pace != nil {
			want := n
			if n = b.pace.take(now, want); n == 0 {
				if err := b.conn.Pause(ctx, b.pace.wake(want, b.end)); err != nil {
					return b.stopped(ctx, err)
				}
				continue
			}
		}
		if err := b.send(ctx, n); err != nil {
			return b.stopped(ctx, err)
		}
	}
	return nil
}

// counts are the frames sent and refused so far, for the progress line.
func (b *blaster) counts() (sent, errors int64) { return b.sent.Load(), b.errors.Load() }

// done is how many frames were handed to the kernel so far.
func (b *blaster) done() int { return int(b.sent.Load() + b.errors.Load()) }

// stopped is nil for err caused by the end of ctx, which ends a blast
// cleanly, and err otherwise.
func (b *blaster) stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// send sends the first n messages of the batch, varying them first.
func (b *blaster) send(ctx context.Context, n int) error {
	if b.vary != nil {
		for _, f := range b.frames[:n] {
			b.vary.apply(f)
		}
	}
	for i := 0; i < n; {
		k, err := b.conn.SendBatch(ctx, b.batch, i, n)
		switch {
		case err == nil:
			b.sent.Add(int64(k))
			i += k
		case passing(err):
			b.errors.Add(1)
			i++
		default:
			return err
		}
	}
	return nil
}

// passing reports whether err is a frame's failure that the next frame
// may not have: no buffer left in the device queue or the peer's backlog
// (veth), or a link that is down for now.
func passing(err error) bool {
	return errors.Is(err, unix.ENOBUFS) || errors.Is(err, unix.ENOMEM) || errors.Is(err, unix.ENETDOWN)
}

func (b *blaster) stats() BlastStats {
	return BlastStats{Sent: int(b.sent.Load()), Errors: int(b.errors.Load()), Elapsed: time.Since(b.start)}
}
