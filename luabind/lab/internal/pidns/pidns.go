package pidns

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/netlua/netlua/luabind/internal/netns"
	"golang.org/x/sys/unix"
)

// self is this binary, as the kernel holds it: it still runs when the
// file was replaced or removed since.
const self = "/proc/self/exe"

// execStep is the path the exec step runs this binary by: its file
// name, found again inside the command's new mount namespace, when that
// is still this binary, else self. Under setcap the name matters: the
// kernel grants a file's capabilities only when it is reached through a
// mount of the exec'ing process's own mount namespace (mnt_may_suid),
// and self leads to a mount of netlua's, so the exec step would lack
// the CAP_SYS_ADMIN its mounts need.
func execStep() string {
	path, err := os.Executable()
	if err != nil {
		return self
	}
	a, err := os.Stat(path)
	b, err2 := os.Stat(self)
	if err != nil || err2 != nil || !os.SameFile(a, b) {
		return self
	}
	return path
}

// closeWait bounds each wait for the init to exit in Close.
const closeWait = 5 * time.Second

// ErrClosed is the cause of errors from a namespace that was closed.
var ErrClosed = errors.New("PID namespace closed")

// An NS is a PID namespace for the processes of one lab host, held by its
// init, a child of this process. Start may run in several goroutines at
// once, but not together with Close.
type NS struct {
	net    *netns.NS     // the host's network namespace, where commands are born
	tree   *Tree         // what commands see over the machine's paths, or nil
	init   *exec.Cmd     // the init, PID 1 of the namespace
	pidfd  int           // the init's pidfd: setns through it joins the namespace
	hold   *os.File      // the init's standard input: it exits when this closes
	exited chan struct{} // closed once the init has exited and is reaped
	status error         // how the init ended, once exited is closed
	closed bool
}

// New starts the init of a new PID namespace, inside the network
// namespace net, named after host for ps, whose commands see tree (if
// not nil) over the machine's paths. It returns once the init ignores
// the signals it must: before that, a signal from inside the namespace
// could end it. The caller keeps tree open while commands start.
func New(net *netns.NS, host string, tree *Tree) (*NS, error) {
	pipes, err := newPipes(2)
	if err != nil {
		return nil, fmt.Errorf("pidns.new: %w", err)
	}
	hold, ready := pipes[0], pipes[1]
	ns := &NS{net: net, tree: tree, pidfd: -1, hold: hold.w, exited: make(chan struct{})}
	ns.init = &exec.Cmd{
		Path:   self,
		Args:   []string{initName, host},
		Stdin:  hold.r,
		Stdout: ready.w,
		Dir:    "/", // so that it keeps no directory busy
		// Its own process group: ^C and ^Z at a terminal are netlua's.
		SysProcAttr: &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID, Setpgid: true, PidFD: &ns.pidfd},
	}
	err = net.Do(ns.init.Start)
	hold.r.Close()
	ready.w.Close()
	if err == nil {
		err = ns.awaitReady(ready.r)
	}
	ready.r.Close()
	if err != nil {
		hold.w.Close()
		return nil, fmt.Errorf("pidns.new: %w", err)
	}
	go ns.wait()
	return ns, nil
}

// awaitReady waits for the byte the init writes once it is set up, and
// checks that the kernel gave a pidfd; if not, it ends the init.
func (ns *NS) awaitReady(ready io.Reader) error {
	_, err := io.ReadFull(ready, make([]byte, 1))
	if err != nil {
		err = fmt.Errorf("the init did not start: %w", err)
	} else if ns.pidfd < 0 {
		err = errors.New("no pidfd for the init (Linux 5.8 or later is needed)")
	}
	if err != nil {
		ns.init.Process.Kill()
		if werr := ns.init.Wait(); werr != nil {
			err = fmt.Errorf("%w (%v)", err, werr)
		}
	}
	return err
}

// A pipe is both ends of one.
type pipe struct{ r, w *os.File }

// newPipes makes n pipes, or none.
func newPipes(n int) ([]pipe, error) {
	var ps []pipe
	for range n {
		r, w, err := os.Pipe()
		if err != nil {
			for _, p := range ps {
				p.r.Close()
				p.w.Close()
			}
			return nil, err
		}
		ps = append(ps, pipe{r, w})
	}
	return ps, nil
}

// wait reaps the init when it exits.
func (ns *NS) wait() {
	ns.status = ns.init.Wait()
	close(ns.exited)
}

// Pid is the init's process id, as this process sees it.
func (ns *NS) Pid() int { return ns.init.Process.Pid }

// Start starts cmd as exec.Cmd.Start does, but inside the namespace and
// the network namespace, in a mount namespace of its own with a /proc of
// the PID namespace and a /sys of the network namespace. cmd must not
// have started, nor have ExtraFiles. Start rewrites cmd's Path, Args,
// ExtraFiles and SysProcAttr to run the exec step (cmd.String names it),
// and cmd.Process is then the program's. On error nothing is left
// running.
func (ns *NS) Start(cmd *exec.Cmd) error {
	if cmd.Err != nil {
		return cmd.Err // exec.Command's, such as a program not in $PATH
	}
	if err := ns.usable(); err != nil {
		return err
	}
	if len(cmd.ExtraFiles) > 0 {
		return errors.New("pidns.start: ExtraFiles are not supported")
	}
	report, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("pidns.start: %w", err)
	}
	defer report.Close()
	path := cmd.Path
	if err := ns.throughExecStep(cmd, w); err != nil {
		w.Close()
		return err
	}
	err = ns.net.DoWithPID(ns.pidfd, cmd.Start)
	w.Close()
	var perr *os.PathError
	if errors.As(err, &perr) && perr.Path == cmd.Path {
		perr.Path = path // the program that failed to start, not the exec step
	}
	if err != nil {
		return err
	}
	if err := readReport(report); err != nil {
		cmd.Wait()
		return err
	}
	return nil
}

// usable says why no command can start in the namespace, if so.
func (ns *NS) usable() error {
	if ns.closed {
		return ErrClosed
	}
	select {
	case <-ns.exited:
		return fmt.Errorf("the host's init (pid %d) ended (%v): its processes are gone", ns.Pid(), ns.status)
	default:
		return nil
	}
}

// throughExecStep makes cmd run this binary's exec step, which sets up
// the mounts and then executes the program cmd named, reporting failure
// on w.
func (ns *NS) throughExecStep(cmd *exec.Cmd, w *os.File) error {
	binds := ""
	cmd.ExtraFiles = []*os.File{w} // reportFD
	if ns.tree != nil {
		var err error
		if binds, err = encodeBinds(ns.tree.Binds); err != nil {
			return err
		}
		cmd.ExtraFiles = append(cmd.ExtraFiles, ns.tree.Mount) // treeFD
	}
	cmd.Args = append([]string{execName, binds, cmd.Path}, cmd.Args...)
	cmd.Path = execStep()
	attr := syscall.SysProcAttr{}
	if cmd.SysProcAttr != nil {
		attr = *cmd.SysProcAttr
	}
	attr.Cloneflags |= syscall.CLONE_NEWNS
	cmd.SysProcAttr = &attr
	return nil
}

// readReport waits until the exec step has executed the program (end of
// file) or reported why it could not.
func readReport(r io.Reader) error {
	msg, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("pidns.start: read the exec step's report: %w", err)
	}
	return decodeReport(string(msg))
}

// Close ends the namespace: it closes the init's pipe, so that the init
// exits and the kernel kills every process in the namespace, and waits
// for that. Should the init not exit, it is killed: it is still this
// process's unreaped child, so its pid cannot name another process. Close
// is idempotent.
func (ns *NS) Close() error {
	if ns.closed {
		return nil
	}
	ns.closed = true
	defer unix.Close(ns.pidfd)
	ns.hold.Close()
	if ns.waitExit() {
		return nil
	}
	ns.init.Process.Kill()
	if ns.waitExit() {
		return nil
	}
	return fmt.Errorf("pidns.close: the init (pid %d) has not exited %v after SIGKILL", ns.Pid(), closeWait)
}

// waitExit waits for the init to exit, for at most closeWait.
func (ns *NS) waitExit() bool {
	select {
	case <-ns.exited:
		return true
	case <-time.After(closeWait):
		return false
	}
}
