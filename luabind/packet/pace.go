package packet

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// A paced blast sends in bursts of about burstTime worth of frames (1 to
// a batch), and sleeps in between: at 10 kpps that is 10 frames a
// millisecond, a thousand wakeups a second, not a core spinning. Waking
// costs: measured here, sleeping 200 µs at a time (and waking some 90 µs
// late: timer slack and wakeup) took 19% of a core, 1 ms at a time 5%.
// At 500 kpps a burst is a full batch every 128 µs. The bucket makes up
// for late wakeups in the next burst.
const burstTime = time.Millisecond

// catchUp is how far behind a paced blast may fall (a stall, the machine
// busy) and still make it up, at full speed. Past that the bucket is full
// and the frames are lost to the rate, as a token bucket does.
const catchUp = 20 * time.Millisecond

// A bucket paces a blast: tokens come at rate per second up to depth, and
// each frame takes one. It starts with one token, so that frame k goes out
// at k/rate seconds from the start.
type bucket struct {
	rate          float64
	burst         int // frames per send
	depth, tokens float64
	last          time.Time // when tokens was counted
}

func newBucket(rate float64, batch int) *bucket {
	burst := int(min(max(rate*burstTime.Seconds(), 1), float64(batch)))
	return &bucket{rate: rate, burst: burst, depth: max(float64(burst), rate*catchUp.Seconds()), tokens: 1}
}

// take returns how many of want frames may go now, at most the tokens
// held, and takes their tokens.
func (k *bucket) take(now time.Time, want int) int {
	if !k.last.IsZero() {
		k.tokens = min(k.depth, k.tokens+now.Sub(k.last).Seconds()*k.rate)
	}
	k.last = now
	n := int(min(float64(want), k.tokens)) // tokens may be past int's range
	k.tokens -= float64(n)
	return n
}

// wake is when the bucket will hold a burst of want frames (or fewer when
// want is less), or end if that is sooner and not zero.
func (k *bucket) wake(want int, end time.Time) time.Time {
	need := float64(min(want, k.burst)) - k.tokens
	t := k.last.Add(time.Duration(need / k.rate * float64(time.Second)))
	if !end.IsZero() && end.Before(t) {
		return end
	}
	return t
}

// progressEvery is how often the progress line changes.
const progressEvery = 250 * time.Millisecond

// A progress line shows a blast's rate on one line of w (a terminal's
// standard error) that each update rewrites with a carriage return.
type progress struct {
	w     io.Writer
	width int // of the line last written, so a shorter one blanks it out
}

// startProgress shows the progress of a blast that began at start on w,
// from the counts it gives, until stop, which writes the summary on the
// line and ends it. With w nil it shows nothing.
func startProgress(w io.Writer, start time.Time, counts func() (sent, errors int64)) (stop func(BlastStats)) {
	if w == nil {
		return func(BlastStats) {}
	}
	p := &progress{w: w}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		last, lastAt := int64(0), start
		for {
			select {
			case <-done:
				return
			case now := <-tick.C:
				sent, errs := counts()
				rate := float64(sent-last) / now.Sub(lastAt).Seconds()
				p.show(fmt.Sprintf("blast: %d sent, %.0f pps, %d errors, %.1f s", sent, rate, errs, now.Sub(start).Seconds()))
				last, lastAt = sent, now
			}
		}
	}()
	return func(st BlastStats) {
		close(done)
		<-finished
		p.show("blast: " + st.String())
		io.WriteString(p.w, "\n")
	}
}

// show rewrites the line with s.
func (p *progress) show(s string) {
	pad := max(p.width-len(s), 0)
	io.WriteString(p.w, "\r"+s+strings.Repeat(" ", pad))
	p.width = len(s)
}
