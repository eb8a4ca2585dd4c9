package packet

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

// captureFrames is how many frames trafgen sends to each capture.
const captureFrames = 1_000_000

// captureFilter is the filter of the captures that BenchmarkCapture
// compares: trafgen's frames only.
const captureFilter = "ether proto 0x88b5"

// BenchmarkCapture measures captures of captureFrames 60-byte frames that
// trafgen -P1 sends from a as fast as it can, with b dropping them at
// ingress after the packet sockets have seen them. (The receive side runs
// in the sender's softirq on a veth, so a capture slows trafgen from its
// 0.7 Mpps to 0.4 to 0.5 Mpps here, tcpdump's as much as ours.) It runs
// side by side, in rounds:
//
//	Recvmmsg  the socket read with recvmmsg(2), mmsgBatch frames a call
//	Ring      Socket.Capture's way: a TPACKET_V3 ring on a tap
//	Tcpdump   tcpdump -w, for reference
//
// Each reports the share of the frames sent that reached the file
// (%captured), the rate they were captured at (pps: frames over the time
// between the first and last timestamps in the file), the share the
// kernel dropped (%dropped), trafgen's rate (sender-pps) and the CPU time
// the capture took per frame (cpu-ns/frame: the reading thread's, or
// tcpdump's user and system time), pcap writing included.
func BenchmarkCapture(b *testing.B) {
	testlab.NeedTool(b, "trafgen", "netsniff-ng")
	tcpdump := testlab.NeedTool(b, "tcpdump", "tcpdump")
	a, peer := pair(b)
	labtest.DropAtIngress(b, peer)
	frame := labtest.Frame(a, peer, 0)[:60]
	for range sendRounds {
		b.Run("Recvmmsg", func(b *testing.B) { benchCapture(b, a, peer, frame, openMmsg) })
		b.Run("Ring", func(b *testing.B) { benchCapture(b, a, peer, frame, openTapCapturer) })
		b.Run("Tcpdump", func(b *testing.B) { benchTcpdump(b, tcpdump, a, peer, frame) })
	}
}

// captureRun is what one capture got, or the totals of runs of them.
type captureRun struct {
	runs                    int
	sent, captured, dropped int
	sendRate                float64
	elapsed                 time.Duration // from the first timestamp in the file to the last
	cpu                     time.Duration // the capture's CPU time
}

// add adds the run r to the totals in t.
func (t *captureRun) add(r captureRun) {
	t.runs++
	t.sent += r.sent
	t.captured += r.captured
	t.dropped += r.dropped
	t.sendRate += r.sendRate
	t.elapsed += r.elapsed
	t.cpu += r.cpu
}

// report reports the totals.
func (t *captureRun) report(b *testing.B) {
	n := t.runs
	b.ReportMetric(100*float64(t.captured)/float64(t.sent), "%captured")
	b.ReportMetric(float64(t.captured-n)/t.elapsed.Seconds(), "pps")
	b.ReportMetric(100*float64(t.dropped)/float64(t.sent), "%dropped")
	b.ReportMetric(t.sendRate/float64(n), "sender-pps")
	b.ReportMetric(float64(t.cpu.Nanoseconds())/float64(t.captured), "cpu-ns/frame")
}

// span is a FrameWriter that passes frames on and notes the first and
// last timestamps.
type span struct {
	w           FrameWriter
	n           int
	first, last time.Time
}

func (s *span) WriteFrame(data []byte, ts time.Time, length int) error {
	if s.n == 0 {
		s.first = ts
	}
	s.n++
	s.last = ts
	return s.w.WriteFrame(data, ts, length)
}

// A capturer is a way of capturing that BenchmarkCapture compares.
type capturer interface {
	// run captures count frames, or fewer if ctx ends first.
	run(ctx context.Context, w FrameWriter, count int) error
	// close ends the capture and returns the frames it dropped beyond
	// those the socket's statistics count.
	close() (uint64, error)
}

func benchCapture(b *testing.B, a, peer *lab.End, frame []byte, open func(*Socket) (capturer, error)) {
	// Every frame, as tcpdump asks: frames of one EtherType would reach
	// the socket after the ingress chain has dropped them.
	s := openOn(b, peer, Config{Filter: filter.MustCompile(captureFilter).Raw()})
	captureRuns(b, func() captureRun { return captureOnce(b, s, a, frame, open) })
}

// captureRuns runs once per iteration and reports the totals.
func captureRuns(b *testing.B, once func() captureRun) {
	var total captureRun
	for b.Loop() {
		total.add(once())
	}
	total.report(b)
}

// captureOnce captures what trafgen sends with the capturer that open
// makes, into a pcap file.
func captureOnce(b *testing.B, s *Socket, a *lab.End, frame []byte, open func(*Socket) (capturer, error)) captureRun {
	w, err := pcap.Create(filepath.Join(b.TempDir(), "capture.pcap"), pcap.WriterOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	before, _ := s.Stats()
	c, err := open(s)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sw := &span{w: w}
	var cpu time.Duration
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		start := threadCPU()
		err := c.run(ctx, sw, captureFrames)
		cpu = threadCPU() - start
		done <- err
	}()
	var r captureRun
	r.sent, r.sendRate = trafgenRun(b, a, frame)
	// What is left in the socket's queue or ring takes well under a second.
	select {
	case err = <-done:
	case <-time.After(time.Second):
		cancel()
		err = <-done
	}
	dropped, cerr := c.close()
	if err := errors.Join(err, cerr); err != nil {
		b.Fatal(err)
	}
	after, _ := s.Stats()
	r.captured, r.elapsed, r.cpu = sw.n, sw.last.Sub(sw.first), cpu
	r.dropped = int(after.Dropped - before.Dropped + dropped)
	return r
}

// tapCapturer captures as Socket.Capture does.
type tapCapturer struct{ *tap }

func openTapCapturer(s *Socket) (capturer, error) {
	t, err := s.openTap()
	return tapCapturer{t}, err
}

func (t tapCapturer) run(ctx context.Context, w FrameWriter, count int) error {
	_, err := t.capture(ctx, time.Time{}, w, count)
	return err
}

// trafgenRun sends captureFrames frames with trafgen and returns how many
// it sent and at what rate.
func trafgenRun(b *testing.B, a *lab.End, frame []byte) (int, float64) {
	sent, cpu := trafgen(b, a, frame, captureFrames)
	return sent, float64(sent) / cpu.Seconds()
}

// tcpdumpDrops matches what tcpdump says at the end of the kernel's drops.
var tcpdumpDrops = regexp.MustCompile(`(\d+) packets? dropped by kernel`)

func benchTcpdump(b *testing.B, tcpdump string, a, peer *lab.End, frame []byte) {
	captureRuns(b, func() captureRun { return tcpdumpOnce(b, tcpdump, a, peer, frame) })
}

// tcpdumpOnce captures what trafgen sends with tcpdump -w, stopped by
// SIGINT as a user would, a second after the sender is done.
func tcpdumpOnce(b *testing.B, tcpdump string, a, peer *lab.End, frame []byte) captureRun {
	file := filepath.Join(b.TempDir(), "tcpdump.pcap")
	cmd, log := labtest.Tcpdump(b, peer, tcpdump, "-n", "-w", file, captureFilter)
	var r captureRun
	r.sent, r.sendRate = trafgenRun(b, a, frame)
	time.Sleep(time.Second)
	cmd.Process.Signal(syscall.SIGINT)
	log.Wait()
	cmd.Wait()
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	m := tcpdumpDrops.FindStringSubmatch(log.String())
	if m == nil {
		b.Fatalf("no drop count in tcpdump's output:\n%s", log)
	}
	r.dropped, _ = strconv.Atoi(m[1])
	r.captured, r.elapsed = fileSpan(b, file)
	return r
}

// fileSpan is how many records file holds and the time from the first
// timestamp to the last.
func fileSpan(b *testing.B, file string) (n int, elapsed time.Duration) {
	var first, last time.Time
	rd, err := pcap.Open(context.Background(), file)
	if err != nil {
		b.Fatal(err)
	}
	defer rd.Close()
	for ; ; n++ {
		_, rec, err := rd.Next(context.Background())
		if err == io.EOF {
			return n, last.Sub(first)
		} else if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			first = rec.TS
		}
		last = rec.TS
	}
}
