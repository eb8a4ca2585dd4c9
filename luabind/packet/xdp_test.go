package packet

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/rtnl"
	"github.com/netlua/netlua/luabind/internal/xsk"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

// xdpProgram is the id of the XDP program attached to e's interface, 0
// for none, as the kernel reports it over netlink (IFLA_XDP).
func xdpProgram(t *testing.T, e *lab.End) uint32 {
	t.Helper()
	c, err := rtnl.Dial(e.NetNS(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	l, err := rtnl.LinkByName(c, e.Ifname)
	if err != nil {
		t.Fatal(err)
	}
	if l.Attributes.XDP == nil {
		return 0
	}
	return l.Attributes.XDP.ProgID
}

// xskHeld reports whether an AF_XDP socket holds queue 0 of e's
// interface: the kernel refuses a second socket there with EBUSY. (ss
// --xdp would list them, but needs CONFIG_XDP_SOCKETS_DIAG, which not
// every kernel has.)
func xskHeld(t *testing.T, e *lab.End) bool {
	t.Helper()
	err := e.NetNS().Do(func() error {
		x, err := xsk.Open(xsk.Options{Ifindex: e.Ifindex, Queue: 0, Mode: xsk.Copy, RX: true, Frames: 64})
		if err == nil {
			x.Close()
		}
		return err
	})
	if err != nil && !errors.Is(err, unix.EBUSY) {
		t.Fatalf("probe AF_XDP socket on %s: %v", e.Ifname, err)
	}
	return err != nil
}

// eventually polls cond every 10 ms for up to d and reports whether it held.
func eventually(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); ; time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// A blast through AF_XDP delivers the frames intact and in order, and
// exactly as many as it says: each frame numbered in two bytes of its
// payload by vary, read back by a packet socket on the peer.
func TestBlastXDPArrives(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	sb := openOn(t, b, Config{Proto: exp})
	const n = 300
	base := labtest.Frame(a, b, 0)
	st, err := sa.Blast(context.Background(), base, BlastOptions{Engine: EngineXDP, Limits: Limits{Count: n},
		Vary: []VaryField{{Offset: 20, Width: 2, Lo: 1, Hi: n}}})
	if err != nil || st.Sent != n || st.Errors != 0 {
		t.Fatalf("blast: %+v, %v; want %d sent", st, err, n)
	}
	for i := 1; i <= n; i++ {
		got, _, err := sb.Recv(context.Background(), 2*time.Second)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		want := append([]byte(nil), base...)
		binary.BigEndian.PutUint16(want[20:], uint16(i))
		if !bytes.Equal(got, want) {
			t.Fatalf("frame %d:\n% x\nwant\n% x", i, got, want)
		}
	}
	if got, _, err := sb.Recv(context.Background(), 100*time.Millisecond); err == nil {
		t.Errorf("a frame more than the %d sent: % x", n, got)
	}
	// Many more, unvaried: the receiver's kernel counts every one.
	const many = 100_001
	before := received(t, sb, 0)
	st, err = sa.Blast(context.Background(), base, BlastOptions{Engine: EngineXDP, Limits: Limits{Count: many}})
	if err != nil || st.Sent+st.Errors != many {
		t.Fatalf("blast: %+v, %v; want %d frames", st, err, many)
	}
	if got := received(t, sb, before+uint64(st.Sent)) - before; got != uint64(st.Sent) {
		t.Errorf("b received %d frames, blast says %d sent", got, st.Sent)
	}
}

// A paced blast through AF_XDP keeps to its rate, as TestBlastRate
// checks the AF_PACKET one: no faster than the rate by its own clock,
// nor crawling; the receiver counts every frame.
func TestBlastXDPRate(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	sb := openOn(t, b, Config{Proto: exp})
	const rate, count = 20_000, 10_000
	st, err := sa.Blast(context.Background(), labtest.Frame(a, b, 0), BlastOptions{Engine: EngineXDP, Rate: rate, Limits: Limits{Count: count}})
	if err != nil || st.Sent+st.Errors != count {
		t.Fatalf("blast: %+v, %v; want %d frames", st, err, count)
	}
	least := time.Duration(float64(count-1) / rate * float64(time.Second))
	if st.Elapsed < least || st.Elapsed > 2*least+time.Second {
		t.Errorf("%d frames at %d/s took %v, want from %v to %v", count, rate, st.Elapsed, least, 2*least+time.Second)
	}
	if got := received(t, sb, uint64(st.Sent)); got != uint64(st.Sent) {
		t.Errorf("b received %d frames, blast says %d sent", got, st.Sent)
	}
}

// A capture of duration 0 writes what is queued, and AF_XDP sockets
// made for it hold nothing: it returns at once, with an empty file.
func TestCaptureXDPNoDuration(t *testing.T) {
	_, b := pair(t)
	file := filepath.Join(t.TempDir(), "empty.pcap")
	start := time.Now()
	out := testlab.MustLua(t, fmt.Sprintf(`
		local s = require("packet").open("veth0", { netns = %q })
		local r = s:capture{ file = %q, duration = 0, engine = "xdp" }
		print(r.captured, r.dropped)
		local n = 0
		for _ in require("pcap").read(%q) do n = n + 1 end
		print(n)
	`, labtest.NSPath(b), file, file), luaModules()...)
	if d := time.Since(start); out != "0\t0\n0\n" || d > 5*time.Second {
		t.Errorf("capture: %q in %v", out, d)
	}
}

// A frame over a UMEM frame's size is refused with its size named.
func TestBlastXDPTooBig(t *testing.T) {
	a, _ := pair(t)
	sa := openOn(t, a, Config{Proto: benchProto})
	_, err := sa.Blast(context.Background(), make([]byte, 3000), BlastOptions{Engine: EngineXDP, Limits: Limits{Count: 1}})
	if err == nil || !strings.Contains(err.Error(), "up to 2048 bytes, this one has 3000") {
		t.Errorf("blast of 3000 bytes: %v", err)
	}
}

// countingWriter counts the frames of EtherType exp it writes.
type countingWriter struct {
	FrameWriter
	n atomic.Int64
}

func (w *countingWriter) WriteFrame(data []byte, ts time.Time, length int) error {
	if len(data) >= 14 && binary.BigEndian.Uint16(data[12:]) == exp {
		w.n.Add(1)
	}
	return w.FrameWriter.WriteFrame(data, ts, length)
}

// A capture through AF_XDP gets every frame of a bounded trafgen send,
// into a pcap file that tcpdump reads back byte for byte; the program is
// attached while it runs and gone after.
func TestCaptureXDPTrafgen(t *testing.T) {
	trafgen := testlab.NeedTool(t, "trafgen", "netsniff-ng")
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	a, b := pair(t)
	sb := openOn(t, b, Config{Proto: exp})
	file := filepath.Join(t.TempDir(), "xdp.pcap")
	pw, err := pcap.Create(file, pcap.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := &countingWriter{FrameWriter: pw}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		st  CaptureStats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := sb.CaptureXDP(ctx, w, Limits{Duration: time.Minute})
		done <- result{st, err}
	}()
	if !eventually(10*time.Second, func() bool { return xdpProgram(t, b) != 0 }) {
		t.Fatal("no XDP program on b after 10 s")
	}
	const n = 20_000
	frame := labtest.Frame(a, b, 7)
	var cfg strings.Builder
	cfg.WriteString("{ ")
	for _, c := range frame {
		fmt.Fprintf(&cfg, "0x%02x, ", c)
	}
	cfg.WriteString("}\n")
	labtest.Run(t, a, cfg.String(), trafgen, "-P1", "--no-sock-mem", "-i", "-", "-o", a.Ifname, "-n", fmt.Sprint(n))
	if !eventually(10*time.Second, func() bool { return w.n.Load() >= n }) {
		t.Errorf("captured %d frames of trafgen's %d after 10 s", w.n.Load(), n)
	}
	cancel()
	r := <-done
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	if r.err != nil || r.st.Dropped != 0 {
		t.Errorf("capture: %+v, %v", r.st, r.err)
	}
	if id := xdpProgram(t, b); id != 0 {
		t.Errorf("XDP program %d still on b after the capture", id)
	}
	// The kernel lets go of the queue in a work queue, after close.
	if !eventually(2*time.Second, func() bool { return !xskHeld(t, b) }) {
		t.Error("an AF_XDP socket still holds b's queue 0 after the capture")
	}
	frames := tcpdumpFrames(t, tcpdump, file, "ether", "proto", fmt.Sprint(exp))
	if len(frames) != n {
		t.Fatalf("tcpdump read %d frames of EtherType %#x, want %d", len(frames), exp, n)
	}
	for i, f := range frames {
		if !bytes.Equal(f, frame) {
			t.Fatalf("frame %d:\n% x\nwant\n% x", i+1, f, frame)
		}
	}
}

// Whatever ends netlua, the XDP program it attached and its AF_XDP
// sockets are gone: the kernel's netlink and its bind say so.
func TestXDPEndings(t *testing.T) {
	for _, e := range []struct {
		name, call string
		sig        syscall.Signal
		want       string
	}{
		{"capture normal end", `s:capture{ file = os.tmpname(), engine = "xdp", duration = 1 }`, 0, "<nil>"},
		{"capture SIGINT", `s:capture{ file = os.tmpname(), engine = "xdp", duration = 60 }`, syscall.SIGINT, "exit status 130"},
		{"capture SIGTERM", `s:capture{ file = os.tmpname(), engine = "xdp", duration = 60 }`, syscall.SIGTERM, "exit status 143"},
		{"capture SIGKILL", `s:capture{ file = os.tmpname(), engine = "xdp", duration = 60 }`, syscall.SIGKILL, "signal: killed"},
		{"blast SIGINT", `s:blast(("\255"):rep(12) .. "\136\181" .. ("x"):rep(46), { engine = "xdp", duration = 60, rate = 1000 })`, syscall.SIGINT, "exit status 130"},
		{"blast SIGKILL", `s:blast(("\255"):rep(12) .. "\136\181" .. ("x"):rep(46), { engine = "xdp", duration = 60, rate = 1000 })`, syscall.SIGKILL, "signal: killed"},
	} {
		t.Run(e.name, func(t *testing.T) {
			a, b := pair(t)
			sa := openOn(t, a, Config{Proto: exp})
			// The script's own namespace is b, where the test looks.
			path := filepath.Join(t.TempDir(), "xdp.lua")
			script := fmt.Sprintf("local s = require(\"packet\").open(%q)\n%s\n", b.Ifname, e.call)
			if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			n := labtest.StartNetlua(t, b, path)
			// Under way: the program is attached (capture), a frame came (blast).
			running := func() bool { st, err := sa.Stats(); return err == nil && st.Received > 0 }
			if strings.HasPrefix(e.name, "capture") {
				running = func() bool { return xdpProgram(t, b) != 0 }
			}
			if !eventually(10*time.Second, running) {
				t.Fatalf("netlua's engine xdp never got under way\n%s", n.Stderr)
			}
			if !xskHeld(t, b) {
				t.Errorf("no AF_XDP socket holds b's queue 0 while netlua runs")
			}
			if e.sig != 0 {
				n.Cmd.Process.Signal(e.sig)
			}
			if err := n.Cmd.Wait(); fmt.Sprint(err) != e.want {
				t.Errorf("netlua exited with %v, want %s\n%s", err, e.want, n.Stderr)
			}
			if !eventually(2*time.Second, func() bool { return xdpProgram(t, b) == 0 }) {
				t.Errorf("XDP program %d still attached", xdpProgram(t, b))
			}
			if !eventually(2*time.Second, func() bool { return !xskHeld(t, b) }) {
				t.Error("an AF_XDP socket still holds b's queue 0")
			}
		})
	}
}
