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

// BlastStats are what a blast did.
type BlastStats struct {
	Sent    int
	Elapsed time.Duration
}

// Blast sends frame over and over, in Go, until a limit is reached or ctx
// ends, at rate frames per second (as fast as it can when rate is 0).
// Pacing sleeps when ahead by more than 200 µs, so short bursts carry it.
func (s *Socket) Blast(ctx context.Context, frame []byte, rate float64, lim Limits) (BlastStats, error) {
	if lim.Count <= 0 && lim.Duration <= 0 {
		return BlastStats{}, errors.New("blast needs a count or a duration")
	}
	s.Watch(ctx)
	start := time.Now()
	end := deadline(lim.Duration)
	var st BlastStats
	for lim.Count <= 0 || st.Sent < lim.Count {
		if (rate > 0 || st.Sent%256 == 0) && (ctx.Err() != nil || (!end.IsZero() && time.Now().After(end))) {
			break
		}
		if rate > 0 && !pace(start, st.Sent, rate, end) {
			break
		}
		if _, err := s.Send(frame); err != nil {
			st.Elapsed = time.Since(start)
			return st, err
		}
		st.Sent++
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// pace sleeps until frame number i is due at rate per second from start,
// when that is more than 200 µs ahead. It reports false when the frame is
// due after end (if not zero): the blast is over. (Waiting until end and
// sending anyway would send at full speed in the last 200 µs.)
func pace(start time.Time, i int, rate float64, end time.Time) bool {
	due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
	if !end.IsZero() && due.After(end) {
		return false
	}
	if ahead := time.Until(due); ahead > 200*time.Microsecond {
		time.Sleep(ahead)
	}
	return true
}
