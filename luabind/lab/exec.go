package lab

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"time"

	"github.com/netlua/netlua/luabind/internal/child"
	"github.com/netlua/netlua/luabind/lab/internal/pidns"
)

// A Cmd is a command to run inside a host.
type Cmd struct {
	Argv    []string      // program and arguments; the program is looked up in $PATH
	Stdin   string        // standard input; empty reads as /dev/null
	Timeout time.Duration // kill the command after this long; 0 means DefaultTimeout
}

// DefaultTimeout bounds a command that sets no Timeout.
const DefaultTimeout = 30 * time.Second

// TimeoutStatus is the status of a command killed by its timeout, as
// timeout(1) reports it.
const TimeoutStatus = 124

// A Result is what a command did.
type Result struct {
	Output   []byte // standard output and standard error, interleaved
	Status   int    // exit status; 128+N when killed by signal N; TimeoutStatus on timeout
	TimedOut bool
}

// Exec runs c inside the host and waits for it. The command runs in the
// host's network namespace and PID namespace (made on the host's first
// command), with a /proc and /sys of its own that show the host (see
// package pidns); this process stays its parent. The command gets its own
// process group: when ctx ends or the timeout expires the whole group is
// killed (and ctx's cause returned). What it leaves running in the
// background, however it detached, lives until the host is torn down.
func (h *Host) Exec(ctx context.Context, c Cmd) (Result, error) {
	if len(c.Argv) == 0 {
		return Result{}, errors.New("no command")
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	tctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	var out bytes.Buffer
	cmd := child.Command(tctx, c.Argv, c.Stdin)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := h.Start(cmd); err != nil {
		return Result{}, err
	}
	werr := cmd.Wait()
	if ctx.Err() != nil {
		return Result{Output: out.Bytes()}, context.Cause(ctx)
	}
	res := Result{Output: out.Bytes(), Status: child.Status(cmd)}
	if tctx.Err() != nil {
		res.Status, res.TimedOut = TimeoutStatus, true
		return res, nil
	}
	if cmd.ProcessState == nil {
		return res, werr
	}
	return res, nil
}

// Start starts cmd inside the host, as Exec runs its command: in the
// host's network and PID namespaces, with a /proc and /sys of the host;
// this process is its parent and must wait for it. See pidns.NS.Start for
// what cmd may hold. It is safe for concurrent use.
func (h *Host) Start(cmd *exec.Cmd) error {
	h.starting.Lock()
	defer h.starting.Unlock()
	procs, err := h.processes()
	if err != nil {
		return err
	}
	if err := h.updatePrivate(); err != nil {
		return err
	}
	return procs.Start(cmd)
}

// processes returns the host's PID namespace, made on first use. Its end
// (the kernel kills every process in it) is in the ledger before anything
// runs there; the kernel ends it as well when this process dies.
func (h *Host) processes() (*pidns.NS, error) {
	if h.ns.FD() < 0 {
		return nil, errors.New("the lab is closed")
	}
	if h.procs != nil {
		return h.procs, nil
	}
	procs, err := pidns.New(h.ns, h.name, h.tree())
	if err != nil {
		return nil, err
	}
	h.procs = procs
	h.track("lab host "+h.name+" processes", procs.Close)
	return procs, nil
}
