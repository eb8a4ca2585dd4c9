package nfqueue

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// clockedReport is an errorReport writing to a buffer, on a clock the
// test moves.
func clockedReport() (*errorReport, *strings.Builder, *time.Time) {
	var out strings.Builder
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	r := newErrorReport(&out)
	r.now = func() time.Time { return now }
	return r, &out, &now
}

func TestErrorReport(t *testing.T) {
	tests := []struct {
		name string
		run  func(r *errorReport, now *time.Time)
		want string
	}{
		{"one error", func(r *errorReport, _ *time.Time) {
			r.report("x.lua:3: boom")
		}, "nfqueue.hook: x.lua:3: boom (packet accepted)\n"},
		{"the same place, other texts", func(r *errorReport, _ *time.Time) {
			for i := range 10000 {
				r.report(fmt.Sprintf("x.lua:3: bad packet %d", i))
			}
		}, "nfqueue.hook: x.lua:3: bad packet 0 (packet accepted)\n" +
			"nfqueue.hook: x.lua:3: bad packet 9999 (packet accepted) (and 9998 more like it)\n"},
		{"no place, other numbers", func(r *errorReport, _ *time.Time) {
			for i := range 3 {
				r.report(fmt.Sprintf("the function returned %d bytes", 70000+i))
			}
		}, "nfqueue.hook: the function returned 70000 bytes (packet accepted)\n" +
			"nfqueue.hook: the function returned 70002 bytes (packet accepted) (and 1 more like it)\n"},
		{"two kinds", func(r *errorReport, _ *time.Time) {
			r.report("x.lua:3: boom")
			r.report("x.lua:4: bang")
			r.report("x.lua:3: boom")
		}, "nfqueue.hook: x.lua:3: boom (packet accepted)\n" +
			"nfqueue.hook: x.lua:4: bang (packet accepted)\n" +
			"nfqueue.hook: x.lua:3: boom (packet accepted)\n"},
		{"a second later", func(r *errorReport, now *time.Time) {
			for range 4 {
				r.report("x.lua:3: boom")
			}
			*now = now.Add(interval)
			r.report("x.lua:3: boom")
			r.report("x.lua:3: boom")
		}, "nfqueue.hook: x.lua:3: boom (packet accepted)\n" +
			"nfqueue.hook: x.lua:3: boom (packet accepted) (and 3 more like it)\n" +
			"nfqueue.hook: x.lua:3: boom (packet accepted)\n"},
		{"a tick after a second", func(r *errorReport, now *time.Time) {
			r.report("x.lua:3: boom")
			r.report("x.lua:3: boom")
			r.tick() // too early: nothing
			*now = now.Add(interval)
			r.tick()
		}, "nfqueue.hook: x.lua:3: boom (packet accepted)\n" +
			"nfqueue.hook: x.lua:3: boom (packet accepted)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, out, now := clockedReport()
			tt.run(r, now)
			r.flush()
			if out.String() != tt.want {
				t.Errorf("wrote\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

// Errors of many kinds at once: at most burst lines in the interval, and
// at the end one line per kind told apart, the rest together; every
// error is written or counted.
func TestErrorReportManyKinds(t *testing.T) {
	r, out, _ := clockedReport()
	const n = 1000
	for i := range n {
		r.report(fmt.Sprintf("x%c%c.lua:1: boom", 'a'+i%26, 'a'+i/26))
	}
	if got := strings.Count(out.String(), "\n"); got != burst {
		t.Errorf("%d lines in the first interval, want %d:\n%s", got, burst, out)
	}
	r.flush()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != maxKinds+1 {
		t.Errorf("%d lines in all, want %d:\n%s", len(lines), maxKinds+1, out)
	}
	if got := errorsTold(lines); got != n {
		t.Errorf("the lines tell of %d errors, want %d:\n%s", got, n, out)
	}
}

// errorsTold counts the errors that lines of an errorReport stand for.
func errorsTold(lines []string) int {
	total := 0
	for _, l := range lines {
		total++
		var more int
		if i := strings.LastIndex(l, "(and "); i >= 0 {
			fmt.Sscanf(l[i:], "(and %d more like it)", &more)
		}
		total += more
	}
	return total
}
