package packet

import (
	"fmt"
	"io"
	"time"
)

// startReplayProgress shows p's progress on w, as blast's, until stop,
// which writes the summary. With w nil it shows nothing.
func startReplayProgress(w io.Writer, p *replayer) (stop func(ReplayStats)) {
	if w == nil {
		return func(ReplayStats) {}
	}
	line := &progress{w: w}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		begun := time.Now()
		last, lastAt := int64(0), begun
		for {
			select {
			case <-done:
				return
			case now := <-tick.C:
				sent := p.sent.Load()
				rate := float64(sent-last) / now.Sub(lastAt).Seconds()
				line.show(fmt.Sprintf("replay: %d sent, %.0f pps, %d errors, %.1f s", sent, rate, p.errors.Load(), now.Sub(begun).Seconds()))
				last, lastAt = sent, now
			}
		}
	}()
	return func(st ReplayStats) {
		close(done)
		<-finished
		line.show("")
		io.WriteString(w, "\r"+st.String()+"\n")
	}
}
