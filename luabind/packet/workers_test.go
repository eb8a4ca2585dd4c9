package packet

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// nftCount counts, in e's namespace, the frames of EtherType 0x88b5
// that pass e's interface on hook ("ingress" or "egress"); the function
// it returns reads the count.
func nftCount(t *testing.T, e *lab.End, hook string) func() uint64 {
	t.Helper()
	testlab.NeedTool(t, "nft", "nftables")
	rules := fmt.Sprintf("table netdev count_%[1]s {\n chain c {\n  type filter hook %[1]s device %[2]s priority 0;\n  ether type 0x88b5 counter\n }\n}\n", hook, e.Ifname)
	labtest.Run(t, e, rules, "nft", "-f", "-")
	return func() uint64 {
		out := labtest.NFT(t, e.NetNS(), "list", "table", "netdev", "count_"+hook)
		m := regexp.MustCompile(`counter packets (\d+)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no counter in:\n%s", out)
		}
		n, _ := strconv.ParseUint(m[1], 10, 64)
		return n
	}
}

// A blast with workers sends exactly its count, whatever the count's
// remainder by the workers (and with more workers than CPUs, or than
// frames), and its workers' figures add up to it: the kernel's
// counters on the sender's way out and the receiver's way in (nft, in
// each end's namespace) count the same.
func TestBlastWorkersCount(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	out, in := nftCount(t, a, "egress"), nftCount(t, b, "ingress")
	for _, c := range []struct{ workers, count int }{{2, 1}, {2, 1001}, {3, 100_001}, {5, 3}} {
		tx0, rx0 := out(), in()
		st, err := sa.Blast(context.Background(), labtest.Frame(a, b, 0), BlastOptions{Limits: Limits{Count: c.count}, Workers: c.workers})
		if err != nil || st.Sent+st.Errors != c.count {
			t.Fatalf("%+v: %+v, %v", c, st, err)
		}
		if want := min(c.workers, c.count); len(st.Workers) != want {
			t.Errorf("%+v: %d workers' figures, want %d", c, len(st.Workers), want)
		}
		sum := 0
		for _, w := range st.Workers {
			sum += w.Sent + w.Errors
		}
		if sum != c.count {
			t.Errorf("%+v: the workers sent %d in all, want %d: %+v", c, sum, c.count, st.Workers)
		}
		tx1, rx1 := out(), waitCount(t, in, rx0+uint64(st.Sent))
		if tx1-tx0 != uint64(st.Sent) || rx1-rx0 != uint64(st.Sent) {
			t.Errorf("%+v: sent %d; nft counts %d going out of a, %d coming into b", c, st.Sent, tx1-tx0, rx1-rx0)
		}
	}
}

// waitCount waits up to a second for count() to reach want (frames may
// still sit in the peer's backlog) and returns it.
func waitCount(t *testing.T, count func() uint64, want uint64) uint64 {
	for end := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
		if n := count(); n >= want || time.Now().After(end) {
			return n
		}
	}
}

// With workers, counted vary fields are split so that no two frames are
// alike: tcpdump, on the receiver, sees every (ipv4.id, udp.sport) pair
// that one sender would send, i from 0 to count-1 giving id 7+i and sport
// 1000 + i%500, each exactly once.
func TestBlastWorkersVaryUnique(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	const count = 20_000
	frame := udpFrameOf(t, []byte("payload of 18 byte"))
	copy(frame[0:6], b.MAC)
	wire := tcpdumpFile(t, b, "udp")
	vary := []VaryField{{Field: "ipv4.id", FromFrame: true}, {Field: "udp.sport", Lo: 1000, Hi: 1499}}
	// Paced, so that tcpdump keeps up on a busy machine: the split is the same at any rate.
	st, err := sa.Blast(context.Background(), frame, BlastOptions{Limits: Limits{Count: count}, Vary: vary, Workers: 3, Rate: 200_000})
	if err != nil || st.Sent != count {
		t.Fatalf("%+v, %v", st, err)
	}
	recs := wire(count)
	seen := map[[2]uint16]int{}
	for i, r := range recs {
		key := [2]uint16{binary.BigEndian.Uint16(r.data[18:]), binary.BigEndian.Uint16(r.data[34:])}
		if n, dup := seen[key]; dup {
			t.Fatalf("frames %d and %d are alike: id %d, sport %d", n, i, key[0], key[1])
		}
		seen[key] = i
	}
	for i := range count {
		if _, ok := seen[[2]uint16{uint16(7 + i), uint16(1000 + i%500)}]; !ok {
			t.Fatalf("frame %d of one sender (id %d, sport %d) was not sent", i, 7+i, 1000+i%500)
		}
	}
}

// tcpdumpFile starts tcpdump -w on e's interface with expr, with a buffer
// that holds a fast blast; the function it returns waits until tcpdump
// has count frames, stops it and returns them.
func tcpdumpFile(t *testing.T, e *lab.End, expr string) (wait func(count int) []record) {
	t.Helper()
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	file := filepath.Join(t.TempDir(), "tcpdump.pcap")
	cmd, lines := labtest.Tcpdump(t, e, tcpdump, "-n", "-U", "-Z", "root", "-B", "65536", "-w", file, expr)
	return func(count int) []record {
		t.Helper()
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			if fi, err := os.Stat(file); err == nil && fi.Size() >= int64(24+count*(16+60)) {
				break
			}
		}
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		recs := readPcap(t, file)
		if len(recs) != count {
			t.Fatalf("tcpdump wrote %d frames, want %d\n%s", len(recs), count, lines)
		}
		return recs
	}
}

// A blast's workers run on threads pinned each to its own CPU, and no
// pinned thread is left once the blast returns, ended by its time or by
// its context.
func TestBlastWorkersPinnedThreads(t *testing.T) {
	cpus, err := AllowedCPUs()
	if err != nil {
		t.Fatal(err)
	}
	if len(cpus) < 2 {
		t.Skipf("the process may use %d CPU: no thread can be pinned to fewer", len(cpus))
	}
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan BlastStats, 1)
	go func() {
		st, err := sa.Blast(ctx, labtest.Frame(a, b, 0), BlastOptions{Limits: Limits{Duration: 20 * time.Second}, Workers: len(cpus)})
		if err != nil {
			t.Error(err)
		}
		done <- st
	}()
	var pinned map[string]bool
	for end := time.Now().Add(5 * time.Second); len(pinned) < len(cpus) && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		pinned = pinnedThreads(t)
	}
	for _, cpu := range cpus {
		if !pinned[strconv.Itoa(cpu)] {
			t.Errorf("no thread pinned to CPU %d during the blast: %v", cpu, pinned)
		}
	}
	begun := time.Now()
	cancel()
	st := <-done
	if time.Since(begun) > 2*time.Second || len(st.Workers) != len(cpus) {
		t.Errorf("the blast took %v to end after its context, with %d workers' figures", time.Since(begun), len(st.Workers))
	}
	if left := pinnedThreads(t); len(left) > 0 {
		t.Errorf("threads still pinned after the blast: %v", left)
	}
}

// pinnedThreads lists the CPUs that threads of this process are pinned to
// alone.
func pinnedThreads(t *testing.T) map[string]bool {
	cpus := map[string]bool{}
	for _, cpu := range pinnedOf(os.Getpid()) {
		cpus[cpu] = true
	}
	return cpus
}

// pinnedOf maps the threads of process pid pinned to one CPU to that
// CPU, from each thread's Cpus_allowed_list.
func pinnedOf(pid int) map[string]string {
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	pinned := map[string]string{}
	for _, task := range tasks {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/status", pid, task.Name()))
		if err != nil {
			continue // the thread ended
		}
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
				if v = strings.TrimSpace(v); !strings.ContainsAny(v, "-,") {
					pinned[task.Name()] = v
				}
			}
		}
	}
	return pinned
}
