package child

import (
	"context"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// WaitDelay bounds the wait for the output of a program that ended while
// what it left in the background still holds its output open.
const WaitDelay = time.Second

// Command returns the exec.Cmd of argv, reading stdin (empty reads as
// /dev/null), in a process group of its own: when ctx ends the whole
// group is killed (the leader is not reaped yet when Cancel runs, so the
// group's number is still its own), and Wait waits at most WaitDelay for
// background processes that keep an output pipe open.
func Command(ctx context.Context, argv []string, stdin string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = WaitDelay
	return cmd
}

// Status is the exit status of cmd, once waited for, as a shell reports
// it: 128+N when signal N killed it; -1 when it never ran.
func Status(cmd *exec.Cmd) int {
	ps := cmd.ProcessState
	if ps == nil {
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
