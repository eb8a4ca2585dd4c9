package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
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

// Exec runs c inside the host's namespace and waits for it. The process
// is started on a thread switched into the namespace, so it is born
// there; waiting happens after the thread is back home. The command gets
// its own process group: when ctx ends or the timeout expires the whole
// group is killed (and ctx's cause returned), and what it leaves running
// in the background is killed when the host is torn down.
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
	cmd := command(tctx, c, &out)
	if err := h.ns.Do(cmd.Start); err != nil {
		return Result{}, err
	}
	werr := cmd.Wait()
	h.reapLater(cmd.Process.Pid)
	if ctx.Err() != nil {
		return Result{Output: out.Bytes()}, context.Cause(ctx)
	}
	res := Result{Output: out.Bytes(), Status: status(cmd)}
	if tctx.Err() != nil {
		res.Status, res.TimedOut = TimeoutStatus, true
		return res, nil
	}
	if cmd.ProcessState == nil {
		return res, werr
	}
	return res, nil
}

// reapLater makes sure that what a command left running in the background
// (a server started with "cmd &") dies with the lab: it would otherwise
// keep the namespace alive after netlua ends.
func (h *Host) reapLater(pgid int) {
	if syscall.Kill(-pgid, 0) != nil {
		return // the whole process group is gone
	}
	h.track(fmt.Sprintf("lab exec process group %d", pgid), func() error {
		if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && err != syscall.ESRCH {
			return fmt.Errorf("kill process group %d: %w", pgid, err)
		}
		return nil
	})
}

// command builds the exec.Cmd: combined output, its own process group so
// that a timeout kills what it started too, and a bounded wait for
// grandchildren that keep the output pipe open.
func command(ctx context.Context, c Cmd, out *bytes.Buffer) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Stdout, cmd.Stderr = out, out
	if c.Stdin != "" {
		cmd.Stdin = strings.NewReader(c.Stdin)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	return cmd
}

// status is the command's exit status as a shell reports it.
func status(cmd *exec.Cmd) int {
	ps := cmd.ProcessState
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
