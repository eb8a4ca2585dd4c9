package child

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// closeWait bounds the wait, in Close, for a killed program to be reaped.
const closeWait = 5 * time.Second

// A Process is a program started by Start, running beside its caller. Its
// methods may be called from any goroutine.
type Process struct {
	cmd     *exec.Cmd
	out     *Output
	pipe    *os.File      // the read end of the program's output
	drained chan struct{} // closed once the output pipe reads end of file or is closed
	done    chan struct{} // closed once the program is reaped and its status known

	mu     sync.Mutex // guards exited against signals to the group
	exited bool       // the leader has exited: once reaped, its number may be reused
	status int        // valid once done is closed
}

// Start starts cmd, made by Command, with start (cmd.Start, or the Start
// of a namespace that forks it elsewhere), its stdout and stderr merged
// into a pipe of which the last keep bytes are kept. cmd must not have
// its Stdout or Stderr set. A goroutine reaps the program when it ends.
func Start(cmd *exec.Cmd, keep int, start func(*exec.Cmd) error) (*Process, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("output pipe: %w", err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	err = start(cmd)
	w.Close() // the program holds its own copy
	if err != nil {
		r.Close()
		return nil, err
	}
	p := &Process{cmd: cmd, out: NewOutput(keep), pipe: r, drained: make(chan struct{}), done: make(chan struct{})}
	go p.copyOutput()
	go p.wait()
	return p, nil
}

// Pid is the program's process id, as this process sees it.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed once the program has ended and been reaped.
func (p *Process) Done() <-chan struct{} { return p.done }

// Drained is closed once nothing more can arrive on the output: every
// holder of the pipe (the program and what it left running) closed it,
// or Close did.
func (p *Process) Drained() <-chan struct{} { return p.drained }

// Status is the exit status as Status(cmd) reports it, and whether the
// program has ended.
func (p *Process) Status() (int, bool) {
	select {
	case <-p.done:
		return p.status, true
	default:
		return 0, false
	}
}

// Output returns the output kept so far and how many earlier bytes were
// dropped to keep within the bound.
func (p *Process) Output() (string, int64) { return p.out.Get() }

// Signal sends sig to the program's process group, and reports whether it
// did: false once the program has ended. Should the program have left its
// group, the program alone gets sig.
func (p *Process) Signal(sig syscall.Signal) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exited {
		return false, nil
	}
	err := syscall.Kill(-p.Pid(), sig)
	if errors.Is(err, syscall.ESRCH) {
		err = syscall.Kill(p.Pid(), sig)
	}
	return err == nil, err
}

// Close kills the program and its process group, waits for it to be
// reaped, and stops reading its output. It is idempotent.
func (p *Process) Close() error {
	_, err := p.Signal(syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(closeWait):
		err = errors.Join(err, fmt.Errorf("pid %d not reaped %v after SIGKILL", p.Pid(), closeWait))
	}
	p.pipe.Close()
	<-p.drained
	return err
}

// wait waits for the program to exit, marks it exited before reaping it
// (Signal holds the same lock, so the group is never signalled once its
// number is free), reaps it, and waits a bounded time for the rest of its
// output, as exec.Cmd's WaitDelay does.
func (p *Process) wait() {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, p.Pid(), &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			break
		}
	}
	p.mu.Lock()
	p.exited = true
	p.mu.Unlock()
	p.cmd.Wait()
	p.status = Status(p.cmd)
	t := time.NewTimer(WaitDelay)
	select {
	case <-p.drained:
	case <-t.C:
	}
	t.Stop()
	close(p.done)
}

// copyOutput reads the pipe into the output until no one holds it.
func (p *Process) copyOutput() {
	defer close(p.drained)
	buf := make([]byte, 32<<10)
	for {
		n, err := p.pipe.Read(buf)
		p.out.Write(buf[:n])
		if err != nil {
			return
		}
	}
}
