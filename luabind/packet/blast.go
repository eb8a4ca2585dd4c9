package packet

import (
	"context"
	"errors"
	"time"
)

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
