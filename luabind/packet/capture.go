package packet

import (
	"context"
	"errors"
	"os"
	"time"
)

// A FrameWriter stores received frames; *pcap.Writer is one.
type FrameWriter interface {
	WriteFrame(data []byte, ts time.Time, length int) error
}

// Limits bound bulk work: it ends at whichever comes first. Zero values
// mean no bound; the end of the context always ends it.
type Limits struct {
	Count    int           // frames
	Duration time.Duration // time from the start
}

// CaptureStats are what a capture did.
type CaptureStats struct {
	Captured int    // frames written
	Dropped  uint64 // frames the kernel dropped meanwhile, for want of buffer room
	// Workers are each worker's own figures, for a capture with workers.
	Workers []WorkerCaptureStats
}

// Capture writes the frames the socket receives to w: those queued in it,
// then those that come, until a limit is reached or ctx ends, which stops
// it early without error: as with tcpdump, ^C ends a capture and keeps
// what it got. No Lua runs per frame.
//
// Frames come through a TPACKET_V3 ring on a second socket (see tap),
// which costs under a tenth of the CPU time of recvmmsg(2) per frame and holds
// more frames in less memory. The ring's frames carry the kernel's receive
// time; frames queued before the capture are stamped when they are read
// (see captureQueued), unless the socket has asked for timestamps (see
// Recv). Frames that come during a capture after it has its count are lost
// to the socket.
func (s *Socket) Capture(ctx context.Context, w FrameWriter, lim Limits) (st CaptureStats, err error) {
	before, err := s.Stats()
	if err != nil {
		return CaptureStats{}, err
	}
	end := deadline(lim.Duration)
	t, err := s.openTap()
	if err != nil {
		return CaptureStats{}, err
	}
	// Deferred, so that a panic in w (which the runtime turns into a Lua
	// error, the script going on) leaves no tap in the group.
	defer func() {
		dropped, cerr := t.close()
		after, serr := s.Stats()
		st.Dropped = after.Dropped - before.Dropped + dropped
		err = errors.Join(err, cerr, serr)
	}()
	return t.capture(ctx, end, w, lim.Count)
}

// CaptureQueued writes the frames queued in the socket to w, up to count
// (no limit when 0), and returns without waiting for more: a capture of
// no duration. It needs no tap.
func (s *Socket) CaptureQueued(ctx context.Context, w FrameWriter, count int) (CaptureStats, error) {
	before, err := s.Stats()
	if err != nil {
		return CaptureStats{}, err
	}
	var st CaptureStats
	err = s.captureQueued(ctx, w, count, time.Now(), &st)
	after, serr := s.Stats()
	st.Dropped = after.Dropped - before.Dropped
	return st, errors.Join(ignoreEnd(ctx, err), serr)
}

// capture writes up to count frames (no limit when 0) to w until end:
// those queued in the socket once the tap gets the frames, then those of
// the ring.
func (t *tap) capture(ctx context.Context, end time.Time, w FrameWriter, count int) (CaptureStats, error) {
	var st CaptureStats
	switched := time.Now()
	if err := t.switchTo(toTap); err != nil {
		return st, err
	}
	if err := t.s.captureQueued(ctx, w, count, switched, &st); err != nil || full(st, count) {
		return st, ignoreEnd(ctx, err)
	}
	for !full(st, count) {
		n, err := t.ring.read(ctx, end, w, left(st, count))
		st.Captured += n
		if err != nil {
			if err = ignoreEnd(ctx, err); err != nil {
				return st, err
			}
			break
		}
	}
	if full(st, count) {
		return st, nil
	}
	// Ended by time or ctx: what the ring holds came before the end.
	if err := t.switchTo(toSocket); err != nil {
		return st, err
	}
	n, err := t.ring.flush(w)
	st.Captured += n
	return st, err
}

// full reports whether st has count frames (never when count is 0).
func full(st CaptureStats, count int) bool { return count > 0 && st.Captured >= count }

// left is how many frames st lacks to have count, 0 for no limit.
func left(st CaptureStats, count int) int {
	if count == 0 {
		return 0
	}
	return count - st.Captured
}

// ignoreEnd is err unless it only says that the capture's time or ctx
// has ended.
func ignoreEnd(ctx context.Context, err error) error {
	if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
		return nil
	}
	return err
}

// captureQueued writes the frames queued in the socket to w, until st
// has count (no limit when 0), without waiting for more. Frames the kernel
// did not stamp on arrival (see Recv) are stamped when read, but no later
// than latest: the time the tap took over, which frames in the ring come
// after.
func (s *Socket) captureQueued(ctx context.Context, w FrameWriter, count int, latest time.Time, st *CaptureStats) error {
	for !full(*st, count) {
		frame, m, err := s.recvFrame(ctx, 0)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil
		} else if err != nil {
			return err
		}
		ts := m.TS
		if ts.IsZero() {
			if ts = time.Now(); ts.After(latest) {
				ts = latest
			}
		}
		if err := w.WriteFrame(frame, ts, m.Len); err != nil {
			return err
		}
		st.Captured++
	}
	return nil
}

// deadline is when a run of d ends; the zero time for no end.
func deadline(d time.Duration) time.Time {
	if d <= 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}
