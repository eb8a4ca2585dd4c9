package packet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/pcap"
)

// The Lua side of a capture with workers (s:capture{ workers = n }).

// captureWorkersDoc is capture's doc about its workers' options.
const captureWorkersDoc = "workers: sockets reading at once, each its own TPACKET_V3 ring read by a thread pinned to a CPU, in a PACKET_FANOUT group of the socket's " +
	"(default 1: one ring; 0: one per CPU the process may use); spread: which worker gets a frame, \"cpu\" (default: the one of the CPU that received it) " +
	"or \"hash\" (by the IPv4 addresses and ports of an untagged frame, a flow to one worker); the frames go to one file in time order " +
	"(each worker's file merged at the end by kernel timestamp, records put in order within 4096 of their own worker's), " +
	"or with per_worker = true to one file per worker, FILE's name with -1, -2... before its extension (cap.pcap: cap-1.pcap, cap-2.pcap); " +
	"the result's workers lists each one's { captured, dropped, cpu, file }, and late counts frames the merge found out of order"

// captureWorkers is socketCapture with option workers, per_worker or spread.
func captureWorkers(L *lua.LState, s *socket, o luabind.Options, file string, lim Limits) int {
	n, spread, perWorker := checkCaptureWorkers(L, o)
	opts := pcap.WriterOptions{Snaplen: o.Int("snaplen", 0)}
	names := workerFiles(file, n, perWorker)
	ws, err := createAll(names, opts)
	defer func() {
		closeAll(ws)
		if !perWorker {
			removeAll(names)
		}
	}()
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "packet.capture", Object: file, Err: err})
	}
	fws := make([]FrameWriter, len(ws))
	for i, w := range ws {
		fws[i] = w
	}
	st, err := s.CaptureWorkers(s.Context(), fws, lim, spread)
	if cerr := closeAll(ws); err == nil && cerr != nil {
		luabind.Raise(L, &luabind.OpError{Op: "packet.capture", Object: file, Err: cerr})
	}
	if err != nil {
		s.Raise(L, "capture", err)
	}
	late := 0
	if !perWorker {
		if late, err = mergeInto(file, names, opts); err != nil {
			luabind.Raise(L, &luabind.OpError{Op: "packet.capture", Object: file, Err: err})
		}
	}
	luabind.RuntimeOf(L).TakeInterrupt(L)
	t := captureTable(L, st)
	wt := L.CreateTable(len(st.Workers), 0)
	for i, w := range st.Workers {
		row := captureTable(L, w.CaptureStats)
		row.RawSetString("cpu", lua.LNumber(w.CPU))
		if perWorker {
			row.RawSetString("file", lua.LString(names[i]))
		}
		wt.Append(row)
	}
	t.RawSetString("workers", wt)
	if !perWorker {
		t.RawSetString("late", lua.LNumber(late))
	}
	L.Push(t)
	return 1
}

// checkCaptureWorkers reads options workers, spread and per_worker.
func checkCaptureWorkers(L *lua.LState, o luabind.Options) (n int, spread Spread, perWorker bool) {
	n = o.Int("workers", 1)
	if n < 0 || n > maxWorkers {
		o.Error("workers", fmt.Sprintf("must be 0 (one per CPU) to %d", maxWorkers))
	}
	if n == 0 {
		cpus, err := AllowedCPUs()
		if err != nil {
			luabind.Raise(L, &luabind.OpError{Op: "packet.capture", Err: err})
		}
		n = len(cpus)
	}
	switch o.String("spread", "cpu") {
	case "cpu":
		spread = SpreadCPU
	case "hash":
		spread = SpreadHash
	default:
		o.Error("spread", `is "cpu" or "hash"`)
	}
	return n, spread, o.Bool("per_worker", false)
}

// workerFiles names the workers' files: FILE's name with -k before its
// extension for per_worker, else hidden ones beside FILE, merged into it
// and removed at the end.
func workerFiles(file string, n int, perWorker bool) []string {
	dir, base := filepath.Split(file)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	names := make([]string, n)
	for k := range names {
		if perWorker {
			names[k] = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, k+1, ext))
		} else {
			names[k] = filepath.Join(dir, fmt.Sprintf(".%s.worker%d.%d.pcap", base, k+1, os.Getpid()))
		}
	}
	return names
}

// createAll creates a pcap writer for each name.
func createAll(names []string, opts pcap.WriterOptions) ([]*pcap.Writer, error) {
	var ws []*pcap.Writer
	for _, name := range names {
		w, err := pcap.Create(name, opts)
		if err != nil {
			return ws, err
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// closeAll closes the writers (which is idempotent).
func closeAll(ws []*pcap.Writer) error {
	var errs []error
	for _, w := range ws {
		errs = append(errs, w.Close())
	}
	return errors.Join(errs...)
}

// removeAll removes the files, those that exist.
func removeAll(names []string) {
	for _, name := range names {
		os.Remove(name)
	}
}

// mergeInto writes the records of srcs to file in time order.
func mergeInto(file string, srcs []string, opts pcap.WriterOptions) (late int, err error) {
	w, err := pcap.Create(file, opts)
	if err != nil {
		return 0, err
	}
	late, err = pcap.Merge(w, srcs)
	return late, errors.Join(err, w.Close())
}

// captureTable is a capture's result as Lua sees it.
func captureTable(L *lua.LState, st CaptureStats) *lua.LTable {
	t := L.CreateTable(0, 2)
	t.RawSetString("captured", lua.LNumber(st.Captured))
	t.RawSetString("dropped", lua.LNumber(st.Dropped))
	return t
}
