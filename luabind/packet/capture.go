package packet

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/netlua/netlua/luabind/internal/sock"
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
}

// Capture receives frames and writes them to w until a limit is reached
// or ctx ends, which stops it early without error: as with tcpdump, ^C
// ends a capture and keeps what it got. No Lua runs per frame.
func (s *Socket) Capture(ctx context.Context, w FrameWriter, lim Limits) (CaptureStats, error) {
	before, _ := s.Stats()
	var st CaptureStats
	end := deadline(lim.Duration)
	for lim.Count == 0 || st.Captured < lim.Count {
		data, info, err := s.Recv(ctx, remaining(end))
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
				break
			}
			return st, err
		}
		if err := w.WriteFrame(data, info.TS, info.Len); err != nil {
			return st, err
		}
		st.Captured++
	}
	after, _ := s.Stats()
	st.Dropped = after.Dropped - before.Dropped
	return st, nil
}

// deadline is when a run of d ends; the zero time for no end.
func deadline(d time.Duration) time.Time {
	if d <= 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}

// remaining is the timeout left until end: sock.Forever for no end, and
// never 0, which would only poll.
func remaining(end time.Time) time.Duration {
	if end.IsZero() {
		return sock.Forever
	}
	return max(time.Until(end), time.Nanosecond)
}
