package lab

import (
	"testing"
	"time"
)

// netem's chances are what tc writes: "loss 1%" is 42949673, as go-tc's
// example of "tc qdisc replace dev tcDev root netem loss 1% ecn" has it,
// and 100% is every packet.
func TestChanceAsTcWritesIt(t *testing.T) {
	for _, tt := range []struct {
		percent float64
		want    uint32
	}{{1, 42949673}, {100, 0xffffffff}, {0, 0}} {
		if got := chance(tt.percent); got != tt.want {
			t.Errorf("chance(%g) = %d, want %d", tt.percent, got, tt.want)
		}
	}
}

// Rates take tc's units (tc-rate(8)): bit, kbit, mbit, gbit in bits per
// second, bps, kbps, mbps in bytes.
func TestParseRateAsTc(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"10mbit", 10e6, true}, {"512kbit", 512e3, true}, {"1gbit", 1e9, true}, {"9600bit", 9600, true},
		{"100kbps", 800e3, true}, {"1mbps", 8e6, true}, {"125bps", 1000, true}, {"1.5Mbit", 1.5e6, true},
		{"fast", 0, false}, {"10", 0, false}, {"-1mbit", 0, false},
	} {
		got, ok := parseRate(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseRate(%q) = %g, %v; want %g, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// netem gets times in nanoseconds and tc's default reorder gap.
func TestNetemOf(t *testing.T) {
	n := netemOf(Shape{Delay: 10 * time.Millisecond, Jitter: time.Millisecond, Loss: 1, Reorder: 25, Queue: 100})
	if *n.Latency64 != 10e6 || *n.Jitter64 != 1e6 || n.Qopt.Loss != 42949673 || n.Qopt.Limit != 100 {
		t.Errorf("netem %+v, latency %d, jitter %d", n.Qopt, *n.Latency64, *n.Jitter64)
	}
	if n.Reorder == nil || n.Reorder.Probability != chance(25) || n.Qopt.Gap != 1 {
		t.Errorf("reorder %+v gap %d", n.Reorder, n.Qopt.Gap)
	}
	if n.Corrupt != nil || n.Qopt.Duplicate != 0 {
		t.Errorf("corrupt %+v duplicate %d not asked for", n.Corrupt, n.Qopt.Duplicate)
	}
}
