package packet

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

// replayFrames writes n frames from a to b, numbered in their last two
// bytes, gap apart, to a capture file, and returns it with the frames.
func replayFrames(t *testing.T, a, b *lab.End, n int, gap time.Duration) (string, [][]byte) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "in.pcap")
	return file, replayFramesTo(t, file, a, b, n, gap)
}

// replayFramesTo writes replayFrames' frames to file.
func replayFramesTo(t testing.TB, file string, a, b *lab.End, n int, gap time.Duration) [][]byte {
	t.Helper()
	w, err := pcap.Create(file, pcap.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var frames [][]byte
	for i := range n {
		f := labtest.Frame(a, b, 0)
		binary.BigEndian.PutUint16(f[len(f)-2:], uint16(i))
		if err := w.WriteFrame(f, t0.Add(time.Duration(i)*gap), len(f)); err != nil {
			t.Fatal(err)
		}
		frames = append(frames, f)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return frames
}

// stamped is a frame the peer's tcpdump captured, with the kernel's
// receive time.
type stamped struct {
	data []byte
	ts   time.Time
}

// peerCapture runs tcpdump on b for the frames expr takes, at nanosecond
// precision, until stop, which returns what it captured.
func peerCapture(t *testing.T, b *lab.End, expr string) (stop func() []stamped) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "peer.pcap")
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	cmd, lines := labtest.Tcpdump(t, b, tcpdump, "-U", "-Z", "root", "-n", "-B", "16384",
		"--immediate-mode", "--time-stamp-precision=nano", "-w", file, expr)
	return func() []stamped {
		t.Helper()
		time.Sleep(100 * time.Millisecond) // frames still in the peer's backlog
		interruptTcpdump(t, cmd, lines)
		r, err := pcap.Open(context.Background(), file)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var got []stamped
		for {
			data, rec, err := r.Next(context.Background())
			if errors.Is(err, io.EOF) {
				return got
			} else if err != nil {
				t.Fatal(err)
			}
			got = append(got, stamped{bytes.Clone(data), rec.TS})
		}
	}
}

// sameFrames checks that the peer got want, every frame, in order.
func sameFrames(t *testing.T, got []stamped, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		var seqs []uint16
		for _, g := range got {
			seqs = append(seqs, binary.BigEndian.Uint16(g.data[len(g.data)-2:]))
		}
		t.Fatalf("the peer got %d frames, want %d: %v", len(got), len(want), seqs)
	}
	for i := range want {
		if !bytes.Equal(got[i].data, want[i]) {
			t.Fatalf("frame %d:\n got %x\nwant %x", i, got[i].data, want[i])
		}
	}
}

// A replay sends every frame of the file, in order, as it is, at top
// speed (200 frames: the peer's veth ring holds 256 and loses the rest of
// a longer burst at top speed, whatever sends it) and paced;
// loop and limit send the file again and stop at the limit.
func TestReplayEveryFrame(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	file, frames := replayFrames(t, a, b, 200, time.Millisecond)
	stop := peerCapture(t, b, "ether proto 0x88b5")
	st, err := sa.Replay(context.Background(), file, ReplayOptions{Top: true})
	if err != nil || st.Sent != 200 || st.Errors != 0 || st.Bytes != 64*200 {
		t.Fatalf("replay: %+v, %v; want 200 frames of 64 bytes", st, err)
	}
	st, err = sa.Replay(context.Background(), file, ReplayOptions{PPS: 20000, Loop: 3, Limit: 500})
	if err != nil || st.Sent != 500 {
		t.Fatalf("replay, loop 3, limit 500: %+v, %v", st, err)
	}
	want := append(append(append(frames, frames...), frames...), frames...)[:700]
	sameFrames(t, stop(), want)
}

// At the recorded timing the frames reach the peer at their offsets from
// the first frame, by the peer kernel's receive time: half of them within
// 2 ms (margins a loaded machine keeps: the precise figures are
// bench/replay_timing.lua's), the whole run within 5% and 5 ms of the
// recorded length. A speed multiplier divides the offsets.
func TestReplayTiming(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	const n, gap = 200, 2 * time.Millisecond
	file, frames := replayFrames(t, a, b, n, gap)
	for _, speed := range []float64{1, 4} {
		stop := peerCapture(t, b, "ether proto 0x88b5")
		st, err := sa.Replay(context.Background(), file, ReplayOptions{Speed: speed})
		if err != nil || st.Sent != n {
			t.Fatalf("speed %g: %+v, %v", speed, st, err)
		}
		got := stop()
		sameFrames(t, got, frames)
		step := time.Duration(float64(gap) / speed)
		offs := make([]time.Duration, n)
		for i, f := range got {
			offs[i] = (f.ts.Sub(got[0].ts) - time.Duration(i)*step).Abs()
		}
		slices.Sort(offs)
		total, recorded := got[n-1].ts.Sub(got[0].ts), time.Duration(n-1)*step
		t.Logf("speed %g: %d frames over %v (recorded %v), offsets p50 %v, max %v", speed, n, total, recorded, offs[n/2], offs[n-1])
		if offs[n/2] > 2*time.Millisecond {
			t.Errorf("speed %g: half the frames came more than %v off their time", speed, offs[n/2])
		}
		if d := (total - recorded).Abs(); d > recorded/20+5*time.Millisecond {
			t.Errorf("speed %g: %v off in %v", speed, d, recorded)
		}
	}
}

// pps and mbps space the frames evenly: 200 frames at 1000 pps take about
// 0.2 s, 64-byte frames at 0.512 Mb/s the same.
func TestReplayRates(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	file, _ := replayFrames(t, a, b, 200, 0)
	for _, opt := range []ReplayOptions{{PPS: 1000}, {Mbps: 0.512}} {
		st, err := sa.Replay(context.Background(), file, opt)
		if err != nil || st.Sent != 200 {
			t.Fatalf("%+v: %+v, %v", opt, st, err)
		}
		if least := 199 * time.Millisecond; st.Elapsed < least || st.Elapsed > 2*least+time.Second {
			t.Errorf("%+v: 200 frames took %v, want about 0.2 s", opt, st.Elapsed)
		}
	}
	for _, opt := range []ReplayOptions{{PPS: 1, Top: true}, {Speed: -1}, {Loop: -1}} {
		if _, err := sa.Replay(context.Background(), file, opt); err == nil {
			t.Errorf("%+v did not fail", opt)
		}
	}
}

// ^C (the end of the context) ends a replay at once, without error,
// with what it sent.
func TestReplayInterrupted(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	file, _ := replayFrames(t, a, b, 100, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	st, err := sa.Replay(ctx, file, ReplayOptions{})
	if err != nil || st.Sent != 2 || st.Elapsed > 3*time.Second {
		t.Errorf("replay cut at 1.5 s: %+v, %v; want 2 frames", st, err)
	}
}

// A replay allocates per file, never per frame: 5000 frames at top speed
// cost what 50 do. NextShared reads records into the Reader's buffer.
func TestReplayAllocs(t *testing.T) {
	a, b := pair(t)
	labtest.DropAtIngress(t, b)
	sa := openOn(t, a, Config{Proto: benchProto})
	allocs := func(n int) float64 {
		file, _ := replayFrames(t, a, b, n, time.Microsecond)
		return testing.AllocsPerRun(3, func() {
			if _, err := sa.Replay(context.Background(), file, ReplayOptions{Top: true}); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, big := allocs(50), allocs(5000)
	t.Logf("allocations: %v for 50 frames, %v for 5000", small, big)
	if big > small+20 {
		t.Errorf("a replay of 5000 frames allocates %v times, of 50 %v: it allocates per frame", big, small)
	}
}

// A pcapng file, as Scapy writes it, replays as its pcap does.
func TestReplayPcapng(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	file, frames := replayFrames(t, a, b, 100, time.Millisecond)
	ng := filepath.Join(t.TempDir(), "in.pcapng")
	py := `import sys; from scapy.all import rdpcap, wrpcapng; wrpcapng(sys.argv[2], rdpcap(sys.argv[1]))`
	if out, err := exec.Command("/usr/bin/python3", "-c", py, file, ng).CombinedOutput(); err != nil {
		t.Fatalf("scapy: %v\n%s", err, out)
	}
	stop := peerCapture(t, b, "ether proto 0x88b5")
	st, err := sa.Replay(context.Background(), ng, ReplayOptions{Speed: 10})
	if err != nil || st.Sent != 100 {
		t.Fatalf("replay of a pcapng file: %+v, %v", st, err)
	}
	sameFrames(t, stop(), frames)
}
