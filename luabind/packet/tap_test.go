package packet

import (
	"bytes"
	"context"
	"encoding/binary"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// The tests of Socket.Capture in Go: frames from the socket's queue and
// from the tap's ring, in order, none lost or repeated at the handover.

// seqFrame is labtest.Frame from a to b with the sequence number i in its
// first four payload bytes.
func seqFrame(a, b *lab.End, i int) []byte {
	f := labtest.Frame(a, b, 0)
	binary.BigEndian.PutUint32(f[14:], uint32(i))
	return f
}

// seqOf is the sequence number of a seqFrame.
func seqOf(f []byte) int { return int(binary.BigEndian.Uint32(f[14:])) }

// record is a frame as a capture wrote it.
type record struct {
	data   []byte
	ts     time.Time
	length int
}

// memWriter is a FrameWriter that keeps records in memory; each write
// calls hook first, if set.
type memWriter struct {
	mu   sync.Mutex
	recs []record
	hook func(n int)
}

func (w *memWriter) WriteFrame(data []byte, ts time.Time, length int) error {
	if w.hook != nil {
		w.hook(w.len())
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.recs = append(w.recs, record{bytes.Clone(data), ts, length})
	return nil
}

func (w *memWriter) len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.recs)
}

// sendSeq sends the frames from to from+n-1 from sa in a goroutine,
// after waiting for wait and pausing after every 64 frames. The channel
// closes when it is done, which the test waits for.
func sendSeq(t *testing.T, sa *Socket, a, b *lab.End, from, n int, wait, pause time.Duration) <-chan struct{} {
	done := make(chan struct{})
	t.Cleanup(func() { <-done })
	go func() {
		defer close(done)
		pinToOneCPU(t)
		time.Sleep(wait)
		sendFrames(t, sa, a, b, from, n, pause)
	}()
	return done
}

// pinToOneCPU keeps the calling goroutine on one CPU until it ends (its
// thread ends with it). A veth hands each frame to the backlog of the CPU
// that sent it: a sender that moves between CPUs can have its frames
// overtake each other, which a test of order must not see.
func pinToOneCPU(t *testing.T) {
	runtime.LockOSThread() // never unlocked: the thread goes with the goroutine
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		t.Error(err)
		return
	}
	for cpu := 0; cpu < 1024; cpu++ {
		if set.IsSet(cpu) {
			set.Zero()
			set.Set(cpu)
			break
		}
	}
	if err := unix.SchedSetaffinity(0, &set); err != nil {
		t.Error(err)
	}
}

func sendFrames(t *testing.T, sa *Socket, a, b *lab.End, from, n int, pause time.Duration) {
	for i := from; i < from+n; i++ {
		if _, err := sa.Send(context.Background(), seqFrame(a, b, i)); err != nil {
			t.Error(err)
			return
		}
		if pause > 0 && i%64 == 63 {
			time.Sleep(pause)
		}
	}
}

// A capture that starts while frames flow gets them all, in order, once:
// those queued before it and those of the ring, whose timestamps are the
// kernel's. Afterwards the socket receives again.
func TestCaptureHandsOver(t *testing.T) {
	a, b := pair(t)
	sa, sb := openOn(t, a, Config{Proto: 0x88b6}), openOn(t, b, Config{Proto: exp})
	start := time.Now()
	done := sendSeq(t, sa, a, b, 0, 30000, 0, 200*time.Microsecond)
	time.Sleep(20 * time.Millisecond) // some queue in sb first
	w := &memWriter{}
	st, err := sb.Capture(context.Background(), w, Limits{Count: 20000, Duration: time.Minute})
	end := time.Now()
	if err != nil || st.Captured != 20000 {
		t.Fatalf("capture: %+v, %v, want 20000 frames", st, err)
	}
	// A frame may be missing only where the kernel counted a drop: a ring
	// whose reader a loaded machine starves fills up. Any other gap, or a
	// frame twice, is the hand-over's fault.
	want, gaps := 0, uint64(0)
	for i, r := range w.recs {
		seq := seqOf(r.data)
		if seq < want || r.length != 64 || !bytes.Equal(r.data, seqFrame(a, b, seq)) {
			t.Fatalf("record %d: frame %d of %d bytes (length %d), want frame %d or later", i, seq, len(r.data), r.length, want)
		}
		gaps += uint64(seq - want)
		want = seq + 1
		if r.ts.Before(start) || r.ts.After(end) || (i > 0 && r.ts.Before(w.recs[i-1].ts)) {
			t.Fatalf("record %d: time %v, out of order or outside the capture's %v to %v", i, r.ts, start, end)
		}
	}
	if gaps > st.Dropped {
		t.Fatalf("%d frames missing from the capture, %d counted as dropped", gaps, st.Dropped)
	} else if st.Dropped > 0 {
		t.Logf("%d frames dropped by a ring the machine's load kept its reader from", st.Dropped)
	}
	<-done
	data, _, err := sb.Recv(context.Background(), time.Second)
	if err != nil || seqOf(data) < 20000 {
		t.Errorf("recv after the capture: %v, frame %d", err, seqOf(data))
	}
}

// A second capture on the socket works as the first: the socket keeps its
// fanout group, and a new tap joins it.
func TestCaptureTwice(t *testing.T) {
	a, b := pair(t)
	sa, sb := openOn(t, a, Config{Proto: 0x88b6}), openOn(t, b, Config{Proto: exp})
	for round := range 2 {
		done := sendSeq(t, sa, a, b, round*1000, 1000, 0, 100*time.Microsecond)
		w := &memWriter{}
		st, err := sb.Capture(context.Background(), w, Limits{Count: 1000, Duration: time.Minute})
		<-done
		if err != nil || st.Captured != 1000 || seqOf(w.recs[0].data) != round*1000 || seqOf(w.recs[999].data) != round*1000+999 {
			t.Fatalf("round %d: %+v, %v", round, st, err)
		}
	}
}

// Frames the ring has no room for are counted as dropped: with the writer
// stalled until the sender is done, every frame is either captured or
// dropped.
func TestCaptureCountsDrops(t *testing.T) {
	a, b := pair(t)
	sa, sb := openOn(t, a, Config{Proto: 0x88b6}), openOn(t, b, Config{Proto: exp})
	const sent = 100000 // more than the ring holds
	done := make(chan struct{})
	w := &memWriter{hook: func(n int) {
		if n == 0 {
			<-done
		}
	}}
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan CaptureStats, 1)
	go func() {
		st, err := sb.Capture(ctx, w, Limits{})
		if err != nil {
			t.Error(err)
		}
		result <- st
	}()
	time.Sleep(50 * time.Millisecond)
	sendFrames(t, sa, a, b, 0, sent, 0)
	close(done)
	for w.len() < sent && waitGrowth(w) {
	}
	cancel()
	st := <-result
	if st.Dropped == 0 || st.Captured+int(st.Dropped) != sent || st.Captured != w.len() {
		t.Errorf("capture: %+v with %d records, want some dropped and %d in all", st, w.len(), sent)
	}
}

// waitGrowth waits up to 200 ms for w to get more records, and reports
// whether it did.
func waitGrowth(w *memWriter) bool {
	n := w.len()
	for range 20 {
		time.Sleep(10 * time.Millisecond)
		if w.len() > n {
			return true
		}
	}
	return false
}

// Cancelling the context ends a capture with no limits, which keeps what
// it got and returns no error.
func TestCaptureCancelled(t *testing.T) {
	a, b := pair(t)
	sa, sb := openOn(t, a, Config{Proto: 0x88b6}), openOn(t, b, Config{Proto: exp})
	ctx, cancel := context.WithCancel(context.Background())
	w := &memWriter{}
	result := make(chan error, 1)
	var st CaptureStats
	go func() {
		var err error
		st, err = sb.Capture(ctx, w, Limits{})
		result <- err
	}()
	time.Sleep(50 * time.Millisecond)
	sendFrames(t, sa, a, b, 0, 50, 0)
	for w.len() < 50 && waitGrowth(w) {
	}
	cancel()
	if err := <-result; err != nil || st.Captured != 50 || w.len() != 50 {
		t.Errorf("cancelled capture: %+v with %d records, %v; want 50 and no error", st, w.len(), err)
	}
}

// evenSeq takes the seqFrames of even numbers.
var evenSeq = []bpf.RawInstruction{
	{Op: 0x30, K: 17},       // ldb [17]: the low byte of the sequence number
	{Op: 0x45, Jt: 1, K: 1}, // jset #1, drop, take
	{Op: 0x06, K: 0x40000},  // ret #262144
	{Op: 0x06, K: 0},        // ret #0
}

// The socket's filter applies to the capture: the tap runs it too.
func TestCaptureFilter(t *testing.T) {
	a, b := pair(t)
	sa, sb := openOn(t, a, Config{Proto: 0x88b6}), openOn(t, b, Config{Proto: exp, Filter: evenSeq})
	done := sendSeq(t, sa, a, b, 0, 100, 50*time.Millisecond, 0) // after the tap has taken over
	w := &memWriter{}
	st, err := sb.Capture(context.Background(), w, Limits{Count: 50, Duration: 10 * time.Second})
	<-done
	if err != nil || st.Captured != 50 {
		t.Fatalf("capture: %+v, %v, want 50 frames", st, err)
	}
	for i, r := range w.recs {
		if seqOf(r.data) != 2*i {
			t.Errorf("record %d: frame %d, want %d", i, seqOf(r.data), 2*i)
		}
	}
}

// A frame's VLAN tag, which the kernel keeps beside the frame, is put back
// in place.
func TestCaptureVLAN(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: 0x88b6})
	// Proto all, so that the frame comes past the kernel's VLAN code. The
	// filter sees it untagged, or tagged where the tag stays in the frame.
	sb := openOn(t, b, Config{Filter: []bpf.RawInstruction{
		{Op: 0x28, K: 12},            // ldh [12]
		{Op: 0x15, Jt: 1, K: exp},    // jeq #0x88b5, take
		{Op: 0x15, Jf: 1, K: 0x8100}, // jeq #0x8100, take, drop
		{Op: 0x06, K: 0x40000},       // ret #262144
		{Op: 0x06, K: 0},             // ret #0
	}})
	tagged := append(append(append([]byte{}, b.MAC...), a.MAC...), 0x81, 0x00, 0x20, 0x64, 0x88, 0xb5)
	tagged = append(tagged, bytes.Repeat([]byte("vlan"), 12)...)
	sent := make(chan struct{})
	t.Cleanup(func() { <-sent })
	go func() {
		defer close(sent)
		time.Sleep(50 * time.Millisecond)
		if _, err := sa.Send(context.Background(), tagged); err != nil {
			t.Error(err)
		}
	}()
	w := &memWriter{}
	st, err := sb.Capture(context.Background(), w, Limits{Count: 1, Duration: 5 * time.Second})
	if err != nil || st.Captured != 1 {
		t.Fatalf("capture: %+v, %v", st, err)
	}
	if r := w.recs[0]; !bytes.Equal(r.data, tagged) || r.length != len(tagged) {
		t.Errorf("captured % x (length %d)\nwant     % x", r.data, r.length, tagged)
	}
}

// panicWriter panics on its first frame, as a FrameWriter with a bug would.
type panicWriter struct{}

func (panicWriter) WriteFrame([]byte, time.Time, int) error { panic("writer bug") }

// A panic in the writer (which the runtime turns into a Lua error, the
// script going on) still closes the tap: frames go to the socket again.
func TestCapturePanicClosesTheTap(t *testing.T) {
	a, b := pair(t)
	sa, sb := openOn(t, a, Config{Proto: 0x88b6}), openOn(t, b, Config{Proto: exp})
	done := sendSeq(t, sa, a, b, 0, 1, 50*time.Millisecond, 0) // after the tap has taken over
	func() {
		defer func() {
			if r := recover(); r != "writer bug" {
				t.Errorf("recovered %v, want the writer's panic", r)
			}
		}()
		sb.Capture(context.Background(), panicWriter{}, Limits{Count: 1, Duration: 5 * time.Second})
	}()
	<-done
	sendFrames(t, sa, a, b, 1, 1, 0)
	if data, _, err := sb.Recv(context.Background(), time.Second); err != nil || seqOf(data) != 1 {
		t.Errorf("recv after the capture: %v, want frame 1", err)
	}
}

// A link that goes down during a capture leaves the tap's socket with a
// pending error, which poll reports to every wait: the capture takes it and
// sleeps on until its end rather than spinning.
func TestCaptureLinkDown(t *testing.T) {
	a, b := pair(t)
	sa, sb := openOn(t, a, Config{Proto: 0x88b6}), openOn(t, b, Config{Proto: exp})
	done := sendSeq(t, sa, a, b, 0, 1, 200*time.Millisecond, 0) // after the tap has taken over
	w := &memWriter{hook: func(n int) {
		if n == 0 { // the frame came through the ring: take the link down
			labtest.Run(t, b, "", "ip", "link", "set", b.Ifname, "down")
		}
	}}
	cpu, start := processCPU(), time.Now()
	st, err := sb.Capture(context.Background(), w, Limits{Count: 2, Duration: time.Second})
	used := float64(processCPU()-cpu) / float64(time.Since(start))
	<-done
	if err != nil || st.Captured != 1 || used > 0.5 {
		t.Errorf("capture: %+v, %v, using %.0f%% of a core; want 1 frame, then sleep until its end", st, err, 100*used)
	}
}
