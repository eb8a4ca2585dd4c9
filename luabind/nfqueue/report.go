package nfqueue

import (
	"fmt"
	"io"
	"regexp"
	"time"
)

// The limits of an errorReport: a kind of error is written at most once
// per interval, and all kinds together at most burst times; at most
// maxKinds kinds are told apart, the rest counted together.
const (
	interval = time.Second
	burst    = 5
	maxKinds = 16
)

// An errorReport writes a hook's errors, each with "(packet accepted)",
// without flooding stderr when the function fails for every packet. An
// error like one written less than an interval ago, or past burst lines
// in an interval, is only counted; the count comes with the next line
// written for its kind, or at the end: "(and 1234 more like it)".
type errorReport struct {
	w     io.Writer
	now   func() time.Time
	kinds map[string]*errorKind
	order []string // the kinds, first seen first

	since time.Time // the start of the current interval
	lines int       // the lines written in it
}

// An errorKind is the errors alike (see kindOf) and what was written of them.
type errorKind struct {
	written time.Time // when a line of this kind was last written
	held    int       // errors counted since, not written
	last    string    // the last of those
}

func newErrorReport(w io.Writer) *errorReport {
	return &errorReport{w: w, now: time.Now, kinds: map[string]*errorKind{}}
}

// report writes msg, or counts it.
func (r *errorReport) report(msg string) {
	now := r.now()
	k := r.kind(msg)
	if now.Sub(k.written) < interval || !r.budget(now) {
		k.held++
		k.last = msg
		return
	}
	r.write(k, msg, k.held, now)
}

// tick writes the counts of the kinds that have waited an interval, as
// the budget allows; the hook calls it after each run of packets.
func (r *errorReport) tick() {
	now := r.now()
	for _, key := range r.order {
		k := r.kinds[key]
		if k.held > 0 && now.Sub(k.written) >= interval && r.budget(now) {
			r.write(k, k.last, k.held-1, now)
		}
	}
}

// flush writes every count not written yet, at the end.
func (r *errorReport) flush() {
	for _, key := range r.order {
		if k := r.kinds[key]; k.held > 0 {
			r.write(k, k.last, k.held-1, r.now())
		}
	}
}

// budget reports whether a line may be written at now.
func (r *errorReport) budget(now time.Time) bool {
	if now.Sub(r.since) >= interval {
		r.since, r.lines = now, 0
	}
	return r.lines < burst
}

// write writes msg as the error of kind k, with n more like it.
func (r *errorReport) write(k *errorKind, msg string, n int, now time.Time) {
	more := ""
	if n > 0 {
		more = fmt.Sprintf(" (and %d more like it)", n)
	}
	fmt.Fprintf(r.w, "nfqueue.hook: %s (packet accepted)%s\n", msg, more)
	k.written, k.held = now, 0
	r.lines++
}

// kind returns the kind of msg, making it on first sight.
func (r *errorReport) kind(msg string) *errorKind {
	key := kindOf(msg)
	if _, ok := r.kinds[key]; !ok && len(r.kinds) >= maxKinds {
		key = "" // one kind for the rest
	}
	k, ok := r.kinds[key]
	if !ok {
		k = &errorKind{}
		r.kinds[key] = k
		r.order = append(r.order, key)
	}
	return k
}

var (
	// position is where a Lua error was raised: "script.lua:12:".
	position = regexp.MustCompile(`^[^\n:]+:\d+:`)
	digits   = regexp.MustCompile(`\d+`)
)

// kindOf is what alike errors share: the place in the script that raised
// them, or else their text with numbers left out (packet IDs, lengths).
func kindOf(msg string) string {
	if p := position.FindString(msg); p != "" {
		return p
	}
	return digits.ReplaceAllString(msg, "#")
}
