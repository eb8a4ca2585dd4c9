package packet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/sock"
)

// WorkerStats are one worker's part of a blast.
type WorkerStats struct {
	BlastStats
	CPU int // the CPU its thread was pinned to
}

// AllowedCPUs lists the CPUs the process may run on (sched_getaffinity),
// in order: a blast's workers are pinned to them in turn.
func AllowedCPUs() ([]int, error) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil, os.NewSyscallError("sched_getaffinity", err)
	}
	var cpus []int
	for cpu := range len(set) * 64 {
		if set.IsSet(cpu) {
			cpus = append(cpus, cpu)
		}
	}
	return cpus, nil
}

// blastWorkers runs a blast on opt.Workers senders at once, each with its
// own packet socket on s's interface and its own OS thread, locked and
// pinned to one of the CPUs the process may use. Worker k of n sends
// frames k, k+n, k+2n... of the blast one sender would make: its share
// of the count (count/n, one more for k < count%n), of the rate (rate/n)
// and, for each counted vary field, every n-th value from the k-th on
// (see varier.stride). So the frames all workers send together are the
// very frames one sender would, in another order: unique across workers
// whenever one sender's would be.
func (s *Socket) blastWorkers(ctx context.Context, frame []byte, opt BlastOptions) (BlastStats, error) {
	cpus, err := AllowedCPUs()
	if err != nil {
		return BlastStats{}, err
	}
	ws, err := s.newWorkers(frame, opt, cpus)
	defer closeWorkers(ws)
	if err != nil {
		return BlastStats{}, err
	}
	start := time.Now()
	for _, w := range ws {
		w.start = start
	}
	stop := startProgress(opt.Progress, start, func() (sent, errs int64) {
		for _, w := range ws {
			sent, errs = sent+w.sent.Load(), errs+w.errors.Load()
		}
		return sent, errs
	})
	st, err := runWorkers(ctx, ws)
	st.Elapsed = time.Since(start)
	stop(st)
	if err != nil {
		return st, s.sendError(len(frame), err)
	}
	return st, nil
}

// A worker is one sender of a blast with workers.
type worker struct {
	*blaster
	cpu int
}

// newWorkers opens the workers' sockets and readies their blasts. A
// worker whose share of the count is nothing is left out.
func (s *Socket) newWorkers(frame []byte, opt BlastOptions, cpus []int) ([]*worker, error) {
	n := opt.Workers
	var ws []*worker
	for k := range n {
		wopt := share(opt, k, n)
		if opt.Count > 0 && wopt.Count == 0 {
			continue
		}
		conn, err := s.openSender()
		if err != nil {
			return ws, fmt.Errorf("worker %d: %w", k+1, err)
		}
		b, err := newBlaster(conn, s.header, frame, wopt)
		if err != nil {
			conn.Close()
			return ws, err
		}
		if b.vary != nil {
			b.vary.stride(k, n)
		}
		ws = append(ws, &worker{blaster: b, cpu: cpus[k%len(cpus)]})
	}
	return ws, nil
}

// share is worker k of n's part of opt.
func share(opt BlastOptions, k, n int) BlastOptions {
	count := opt.Count
	opt.Workers, opt.Progress = 1, nil
	opt.Count = count / n
	if k < count%n {
		opt.Count++
	}
	opt.Rate /= float64(n)
	return opt
}

// runWorkers runs each worker's blast on its own pinned thread and sums
// what they did. The first worker to fail stops the others.
func runWorkers(ctx context.Context, ws []*worker) (BlastStats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(ws))
	stats := make([]WorkerStats, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Go(func() {
			if errs[i] = onCPU(w.cpu, func() error { return w.run(ctx) }); errs[i] != nil {
				cancel()
			}
			stats[i] = WorkerStats{BlastStats: w.stats(), CPU: w.cpu}
		})
	}
	wg.Wait()
	st := BlastStats{Workers: stats}
	for _, w := range stats {
		st.Sent += w.Sent
		st.Errors += w.Errors
	}
	return st, errors.Join(errs...)
}

// onCPU runs fn on a thread of its own, pinned to cpu, and unpins the
// thread after. The goroutine never unlocks the thread, so the thread
// ends with it and never goes back to the Go runtime's pool; unpinning is
// for the one thread the runtime does not end, the main thread, which
// stays blocked instead.
func onCPU(cpu int, fn func() error) error {
	runtime.LockOSThread()
	var all, one unix.CPUSet
	if err := unix.SchedGetaffinity(0, &all); err != nil {
		return os.NewSyscallError("sched_getaffinity", err)
	}
	one.Set(cpu)
	if err := unix.SchedSetaffinity(0, &one); err != nil {
		return fmt.Errorf("worker on CPU %d: %w", cpu, os.NewSyscallError("sched_setaffinity", err))
	}
	defer unix.SchedSetaffinity(0, &all)
	return fn()
}

// closeWorkers closes the workers' sockets.
func closeWorkers(ws []*worker) {
	for _, w := range ws {
		w.conn.Close()
	}
}

// openSender opens a packet socket that sends on s's interface and
// receives nothing (bound to protocol 0), with s's sending options.
func (s *Socket) openSender() (*sock.Conn, error) {
	var conn *sock.Conn
	err := sock.InNS(s.ns, func() (err error) {
		conn, err = sock.Open(unix.AF_PACKET, unix.SOCK_RAW, 0)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.copySendOptions(conn); err != nil {
		conn.Close()
		return nil, err
	}
	sa := &unix.SockaddrLinklayer{Ifindex: s.ifi.Index}
	err = conn.Control(func(fd int) error { return sock.SyscallError("bind", unix.Bind(fd, sa)) })
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// sendOptions are the socket options that shape how a packet socket
// sends, which a blast's workers take from the socket.
var sendOptions = []struct {
	level, opt int
	name       string
}{
	{unix.SOL_PACKET, unix.PACKET_QDISC_BYPASS, "PACKET_QDISC_BYPASS"},
	{unix.SOL_SOCKET, unix.SO_SNDBUF, "SO_SNDBUF"},
	{unix.SOL_SOCKET, unix.SO_PRIORITY, "SO_PRIORITY"},
	{unix.SOL_SOCKET, unix.SO_MARK, "SO_MARK"},
}

// copySendOptions gives conn s's sending options.
func (s *Socket) copySendOptions(conn *sock.Conn) error {
	for _, o := range sendOptions {
		var v int
		err := s.conn.Control(func(fd int) (err error) {
			v, err = unix.GetsockoptInt(fd, o.level, o.opt)
			return sock.SyscallError("getsockopt "+o.name, err)
		})
		if err != nil {
			return err
		}
		switch {
		case o.opt == unix.SO_SNDBUF:
			v /= 2 // the kernel doubles what it is given, and reports the double
		case v == 0:
			continue // the default; setting SO_MARK at all needs CAP_NET_ADMIN or CAP_NET_RAW
		}
		if err := conn.SetInt(o.level, o.opt, v, o.name); err != nil {
			return err
		}
	}
	return nil
}
