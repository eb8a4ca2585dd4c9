package packet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// A Spread says which worker of a capture with workers gets a frame.
type Spread int

const (
	// SpreadCPU gives a frame to the worker of the CPU that received it
	// (PACKET_FANOUT_CPU's rule): worker k of n takes the frames of CPUs
	// k, k+n..., and its thread is pinned to the k-th CPU the process may
	// use, so on a machine whose CPUs count from 0 each worker reads, on
	// its own CPU, what that CPU received.
	SpreadCPU Spread = iota
	// SpreadHash gives a frame to a worker by a hash of the 12 bytes at
	// offset 26 (an untagged IPv4 frame's addresses and ports), so a flow
	// stays with one worker (as PACKET_FANOUT_HASH keeps flows); shorter
	// frames go to the first worker.
	SpreadHash
)

// WorkerCaptureStats are one worker's part of a capture.
type WorkerCaptureStats struct {
	CaptureStats
	CPU int // the CPU its thread was pinned to
}

// CaptureWorkers is Capture spread over len(ws) workers, worker k writing
// the frames it gets to ws[k] from its own TPACKET_V3 ring, on its own
// thread pinned to a CPU. The frames queued in the socket go to ws[0]
// first. The workers' sockets join the socket's fanout group, whose
// classic BPF program, switched as for one tap (see tap), sends each
// frame to one of them by spread; lim's count is of all workers' frames.
// The stats sum the workers' and list each one's.
//
// Each writer gets its frames in the order its ring holds them: a frame's
// timestamp may come before the one of a frame another worker wrote
// earlier (see pcap.Merge for one time-ordered file).
func (s *Socket) CaptureWorkers(ctx context.Context, ws []FrameWriter, lim Limits, spread Spread) (st CaptureStats, err error) {
	cpus, err := AllowedCPUs()
	if err != nil {
		return CaptureStats{}, err
	}
	before, err := s.Stats()
	if err != nil {
		return CaptureStats{}, err
	}
	f := &fanout{s: s, quota: lim.Count}
	defer func() {
		st.Dropped, st.Workers = 0, f.stats(cpus)
		for _, w := range st.Workers {
			st.Dropped += w.Dropped
		}
		after, serr := s.Stats()
		st.Dropped += after.Dropped - before.Dropped
		err = errors.Join(err, f.close(), serr)
	}()
	if err := f.open(ws); err != nil {
		return CaptureStats{}, err
	}
	err = f.capture(ctx, deadline(lim.Duration), spread, cpus)
	for _, w := range f.ws {
		st.Captured += w.n
	}
	return st, err
}

// A fanout is a capture with workers under way.
type fanout struct {
	s     *Socket
	taps  []*tap
	ws    []*quotaWriter
	quota int          // frames in all; 0 for no limit
	taken atomic.Int64 // frames the workers have taken of the quota
	drops []uint64     // each tap's ring drops, once closed
}

// open opens a tap per writer. The socket is member 0 of its group and
// the taps join it in turn: tap k is member k+1.
func (f *fanout) open(ws []FrameWriter) error {
	for _, w := range ws {
		t, err := f.s.openTap()
		if err != nil {
			return fmt.Errorf("worker %d: %w", len(f.taps)+1, err)
		}
		f.taps = append(f.taps, t)
		f.ws = append(f.ws, &quotaWriter{w: w, f: f})
	}
	return nil
}

// capture switches the group's program to spread the frames over the
// taps, writes the socket's queue, runs the workers until their end and,
// when the end is not the count, switches frames back to the socket and
// writes what the rings still hold.
func (f *fanout) capture(ctx context.Context, end time.Time, spread Spread, cpus []int) error {
	switched := time.Now()
	if err := setSpread(f.taps[0], len(f.taps), spread); err != nil {
		return err
	}
	var st CaptureStats
	if err := f.s.captureQueued(ctx, f.ws[0], 0, switched, &st); err != nil && !errors.Is(err, errQuota) {
		return ignoreEnd(ctx, err)
	}
	if f.full() {
		return nil
	}
	if err := f.run(ctx, end, cpus); err != nil || f.full() {
		return err
	}
	if err := f.taps[0].switchTo(toSocket); err != nil {
		return err
	}
	for i, t := range f.taps {
		if _, err := t.ring.flush(f.ws[i]); err != nil && !errors.Is(err, errQuota) {
			return err
		}
	}
	return nil
}

// run reads each tap's ring on its own pinned thread until the end, the
// quota or the first error, which stops the others.
func (f *fanout) run(ctx context.Context, end time.Time, cpus []int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(f.taps))
	var wg sync.WaitGroup
	for i, t := range f.taps {
		wg.Go(func() {
			errs[i] = onCPU(cpus[i%len(cpus)], func() error { return f.drain(ctx, end, t, f.ws[i]) })
			if errs[i] != nil || f.full() {
				cancel()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// drain writes t's frames to w until end, the end of ctx or the count,
// which end it without error.
func (f *fanout) drain(ctx context.Context, end time.Time, t *tap, w *quotaWriter) error {
	for {
		_, err := t.ring.read(ctx, end, w, 0)
		if errors.Is(err, errQuota) || f.full() {
			return nil
		}
		if err != nil {
			return ignoreEnd(ctx, err)
		}
	}
}

// full reports whether the workers have written the capture's count.
func (f *fanout) full() bool { return f.quota > 0 && f.taken.Load() >= int64(f.quota) }

// close closes the taps, the first (which set the program) first, so
// that frames go back to the socket before the group's members change.
func (f *fanout) close() error {
	var errs []error
	f.drops = make([]uint64, len(f.taps))
	for i, t := range f.taps {
		d, err := t.close()
		f.drops[i] = d
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// stats are each worker's figures, once closed.
func (f *fanout) stats(cpus []int) []WorkerCaptureStats {
	st := make([]WorkerCaptureStats, len(f.ws))
	for i, w := range f.ws {
		st[i] = WorkerCaptureStats{CaptureStats: CaptureStats{Captured: w.n}, CPU: cpus[i%len(cpus)]}
		if i < len(f.drops) {
			st[i].Dropped = f.drops[i]
		}
	}
	return st
}

// errQuota ends a worker's writing: the capture has its count.
var errQuota = errors.New("the capture has its count")

// A quotaWriter writes a worker's frames while the capture's count lasts.
type quotaWriter struct {
	w FrameWriter
	f *fanout
	n int // frames written
}

// WriteFrame writes the frame if the count has room for it.
func (q *quotaWriter) WriteFrame(data []byte, ts time.Time, length int) error {
	if q.f.quota > 0 && q.f.taken.Add(1) > int64(q.f.quota) {
		return errQuota
	}
	if err := q.w.WriteFrame(data, ts, length); err != nil {
		return err
	}
	q.n++
	return nil
}

// toSpread is a tap's to (see tap) once its program spreads the frames
// over several taps: closing it switches frames back to the socket.
const toSpread = -1

// setSpread sets the group's program, through t, to send each frame to
// one of the n taps (members 1 to n) by spread, never to the socket
// (member 0). As with switchTo, frames the old program sent have arrived
// when it returns.
func setSpread(t *tap, n int, spread Spread) error {
	prog := spreadProgram(n, spread)
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	err := t.conn.Control(func(fd int) error {
		return os.NewSyscallError("setsockopt PACKET_FANOUT_DATA", unix.SetsockoptSockFprog(fd, unix.SOL_PACKET, unix.PACKET_FANOUT_DATA, &fprog))
	})
	if err == nil {
		t.to = toSpread
	}
	return err
}

// Classic BPF opcodes and ancillary loads the spread programs use.
const (
	bpfLdAbsW  = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
	bpfLdLen   = unix.BPF_LD | unix.BPF_W | unix.BPF_LEN
	bpfJGE     = unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K
	bpfTAX     = unix.BPF_MISC | unix.BPF_TAX
	bpfXorX    = unix.BPF_ALU | unix.BPF_XOR | unix.BPF_X
	bpfModK    = unix.BPF_ALU | unix.BPF_MOD | unix.BPF_K
	bpfAddK    = unix.BPF_ALU | unix.BPF_ADD | unix.BPF_K
	bpfRetA    = unix.BPF_RET | unix.BPF_A
	bpfRetK    = unix.BPF_RET | unix.BPF_K
	skfAdCPU   = 0xfffff000 + 36 // SKF_AD_OFF (-0x1000) + SKF_AD_CPU, linux/filter.h
	hashOffset = 26              // an untagged IPv4 frame's source address
	hashEnd    = hashOffset + 12 // past its ports
)

// spreadProgram is the group's program for n taps: "member 1 + key % n",
// the key being the CPU or the hash of spread.
func spreadProgram(n int, spread Spread) []unix.SockFilter {
	tail := []unix.SockFilter{{Code: bpfModK, K: uint32(n)}, {Code: bpfAddK, K: 1}, {Code: bpfRetA}}
	if spread == SpreadCPU {
		return append([]unix.SockFilter{{Code: bpfLdAbsW, K: skfAdCPU}}, tail...)
	}
	head := []unix.SockFilter{
		{Code: bpfLdLen},
		{Code: bpfJGE, K: hashEnd, Jt: 1},
		{Code: bpfRetK, K: 1},
		{Code: bpfLdAbsW, K: hashOffset},
		{Code: bpfTAX},
		{Code: bpfLdAbsW, K: hashOffset + 4},
		{Code: bpfXorX},
		{Code: bpfTAX},
		{Code: bpfLdAbsW, K: hashOffset + 8},
		{Code: bpfXorX},
	}
	return append(head, tail...)
}
