package packet

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

// A capture with workers keeps every frame of a bounded blast, which
// nft counts going out of a and coming into b; the workers' counts add
// up, and with spread by CPU, as many workers as CPUs and the blast's
// senders pinned one to a CPU, every worker gets frames. The merged file
// holds them all in time order, as tcpdump reads it.
func TestCaptureWorkersKeepsEveryFrame(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	cpus, err := AllowedCPUs()
	if err != nil {
		t.Fatal(err)
	}
	a, b := pair(t)
	out, in := nftCount(t, a, "egress"), nftCount(t, b, "ingress")
	sa := openOn(t, a, Config{Proto: benchProto})
	sb := openOn(t, b, Config{Proto: exp})
	// Fewer frames than one ring holds (some 60,000 of 64 bytes), so that
	// the verdict does not hang on how fast the workers read.
	const count = 40_000
	n := max(len(cpus), 2)
	dir := t.TempDir()
	names := make([]string, n)
	ws := make([]FrameWriter, n)
	for i := range n {
		names[i] = filepath.Join(dir, fmt.Sprintf("w%d.pcap", i))
		w, err := pcap.Create(names[i], pcap.WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		ws[i] = w
	}
	done := make(chan CaptureStats, 1)
	go func() {
		st, err := sb.CaptureWorkers(context.Background(), ws, Limits{Count: count, Duration: 20 * time.Second}, SpreadCPU)
		if err != nil {
			t.Error(err)
		}
		done <- st
	}()
	time.Sleep(100 * time.Millisecond) // not needed: frames before the capture are queued in sb, and captured
	sent, err := sa.Blast(context.Background(), labtest.Frame(a, b, 0), BlastOptions{Limits: Limits{Count: count}, Workers: len(cpus)})
	if err != nil || sent.Sent != count {
		t.Fatalf("blast: %+v, %v", sent, err)
	}
	st := <-done
	if st.Captured != count || st.Dropped != 0 || len(st.Workers) != n {
		t.Fatalf("captured %d, dropped %d, %d workers' figures; want %d, 0, %d", st.Captured, st.Dropped, len(st.Workers), count, n)
	}
	sum := 0
	for _, w := range st.Workers {
		sum += w.Captured
		if w.Captured == 0 && len(cpus) > 1 {
			t.Errorf("worker on CPU %d got no frame: %+v", w.CPU, st.Workers)
		}
	}
	if sum != count {
		t.Errorf("the workers captured %d in all, want %d: %+v", sum, count, st.Workers)
	}
	if tx, rx := out(), in(); tx != count || rx != count {
		t.Errorf("nft counts %d frames going out of a, %d coming into b; want %d", tx, rx, count)
	}
	for _, w := range ws {
		w.(*pcap.Writer).Close()
	}
	merged := filepath.Join(dir, "merged.pcap")
	if _, err := mergeInto(merged, names, pcap.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	checkTimeOrder(t, tcpdump, merged, count)
}

// checkTimeOrder reads file with tcpdump and checks that it holds count
// records whose timestamps never go back.
func checkTimeOrder(t *testing.T, tcpdump, file string, count int) {
	t.Helper()
	out, err := exec.Command(tcpdump, "-n", "-tt", "--time-stamp-precision=nano", "-r", file).Output()
	if err != nil {
		t.Fatalf("tcpdump -r %s: %v", file, err)
	}
	var lines []string // a record's line, not the hex lines of its payload
	for _, line := range strings.Split(string(out), "\n") {
		if line != "" && !strings.HasPrefix(line, "\t") {
			lines = append(lines, line)
		}
	}
	if len(lines) != count {
		t.Fatalf("tcpdump reads %d records, want %d", len(lines), count)
	}
	last := ""
	for i, line := range lines {
		ts, _, _ := strings.Cut(line, " ")
		if len(ts) != len(last) && last != "" || ts < last {
			t.Fatalf("record %d at %s comes after one at %s", i, ts, last)
		}
		last = ts
	}
}
