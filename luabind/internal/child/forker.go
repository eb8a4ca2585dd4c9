package child

import (
	"errors"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// ErrForkerClosed is the error of a Start after Close.
var ErrForkerClosed = errors.New("the forker is closed")

// A Forker starts programs that die with this process, even on SIGKILL:
// each gets SIGKILL as its parent-death signal. The kernel sends that
// signal when the thread that forked the program exits, not the process,
// and the Go runtime ends threads (one that a goroutine left locked, as
// a namespace switch that could not switch back does). So a Forker forks
// from one thread of its own, locked and never released: it exits when
// the Forker closes, which kills what is still running, or with the
// process.
type Forker struct {
	reqs   chan forkRequest
	mu     sync.Mutex // guards closed against sends on reqs
	closed bool
	exited chan struct{}
}

type forkRequest struct {
	cmd   *exec.Cmd
	reply chan error
}

// NewForker starts the forking thread.
func NewForker() *Forker {
	f := &Forker{reqs: make(chan forkRequest), exited: make(chan struct{})}
	go f.serve(nil)
	return f
}

// serve forks on the thread it locks, once it has locked one, and closes
// locked (if not nil) then. It never unlocks it: when serve returns, the
// runtime ends the thread, and the kernel signals the thread's children
// that still run. The runtime never ends the main thread, though: found
// there, serve hands over to a goroutine started while it holds the main
// thread, so that one runs on another.
func (f *Forker) serve(locked chan<- struct{}) {
	runtime.LockOSThread()
	if locked != nil {
		close(locked)
	}
	if syscall.Gettid() == syscall.Getpid() {
		next := make(chan struct{})
		go f.serve(next)
		<-next
		runtime.UnlockOSThread()
		return
	}
	defer close(f.exited)
	for req := range f.reqs {
		req.reply <- req.cmd.Start()
	}
}

// Start starts cmd as cmd.Start does, from the Forker's thread, with
// SIGKILL as its parent-death signal.
func (f *Forker) Start(cmd *exec.Cmd) error {
	attr := syscall.SysProcAttr{}
	if cmd.SysProcAttr != nil {
		attr = *cmd.SysProcAttr
	}
	attr.Pdeathsig = syscall.SIGKILL
	cmd.SysProcAttr = &attr
	reply := make(chan error, 1)
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return ErrForkerClosed
	}
	f.reqs <- forkRequest{cmd: cmd, reply: reply}
	f.mu.Unlock()
	return <-reply
}

// Close ends the forking thread, which kills every program it started
// that still runs, and waits until the thread's goroutine is done. It is
// idempotent.
func (f *Forker) Close() error {
	f.mu.Lock()
	if !f.closed {
		f.closed = true
		close(f.reqs)
	}
	f.mu.Unlock()
	<-f.exited
	return nil
}
