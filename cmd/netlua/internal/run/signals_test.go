package run

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind/testlab"
)

// started is a netlua process whose standard output is read line by line.
type started struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  <-chan string
	stderr bytes.Buffer
}

// start runs code and waits until it prints "ready".
func start(t *testing.T, code string) *started {
	t.Helper()
	p := &started{cmd: exec.Command(testlab.Binary(t), "-e", code)}
	p.cmd.Stderr = &p.stderr
	p.stdin, _ = p.cmd.StdinPipe()
	out, _ := p.cmd.StdoutPipe()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	p.lines = lines(out)
	p.await(t, "ready")
	return p
}

// await waits up to 10 s for the line want.
func (p *started) await(t *testing.T, want string) {
	t.Helper()
	if err := nextLine(p.lines, want); err != nil {
		t.Fatalf("%v; stderr: %s", err, p.stderr.String())
	}
}

// wait returns the exit status and the rest of the output. A process
// still running 30 s later is killed and the test fails.
func (p *started) wait(t *testing.T) (int, string) {
	t.Helper()
	hung := time.AfterFunc(30*time.Second, func() { p.cmd.Process.Kill() })
	defer func() {
		if !hung.Stop() {
			t.Errorf("still running 30 s later: killed; stderr: %s", p.stderr.String())
		}
	}()
	var rest []string
	for line := range p.lines {
		rest = append(rest, line)
	}
	err := p.cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return p.cmd.ProcessState.ExitCode(), strings.Join(rest, "\n")
}

func TestSignalInterruptsAndCleansUp(t *testing.T) {
	tests := []struct {
		name   string
		code   string
		signal syscall.Signal
		status int
	}{
		{"SIGINT in sleep", "sleep(30)", syscall.SIGINT, 130},
		{"SIGTERM in sleep", "sleep(30)", syscall.SIGTERM, 143},
		{"SIGHUP in sleep", "sleep(30)", syscall.SIGHUP, 129},
		{"SIGINT in a Lua loop", "while true do end", syscall.SIGINT, 130},
		{"SIGINT in the event loop", "require('loop').every(1, function() end)", syscall.SIGINT, 130},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := start(t, `require('loop').defer(function() print('deferred ran') end) print('ready') `+tt.code)
			p.cmd.Process.Signal(tt.signal)
			status, rest := p.wait(t)
			if status != tt.status || rest != "deferred ran" {
				t.Errorf("status %d, output %q; want %d and the deferred function's line", status, rest, tt.status)
			}
			testlab.NoGoTrace(t, p.stderr.String())
		})
	}
}

// One signal ends the run and lets the deferred functions finish what
// they do.
func TestOneSignalLetsDeferredFunctionsFinish(t *testing.T) {
	p := start(t, `require('loop').defer(function() print('cleanup start') sleep(0.2) print('cleanup done') end) print('ready') sleep(30)`)
	p.cmd.Process.Signal(syscall.SIGINT)
	status, rest := p.wait(t)
	if status != 130 || rest != "cleanup start\ncleanup done" {
		t.Errorf("status %d, output %q; want 130 and the whole deferred function", status, rest)
	}
}

func TestDeferRunsOnError(t *testing.T) {
	res := testlab.Run(t, "", "-e", `local loop = require 'loop'
loop.defer(function() print('first registered') end)
loop.defer(function() print('second registered') end)
error('boom')`)
	if res.Code != 1 || res.Stdout != "second registered\nfirst registered\n" {
		t.Errorf("status %d, stdout %q", res.Code, res.Stdout)
	}
}

// A signal while the ledger unwinds (Go code, which ends by itself) only
// says that the cleanup is under way; the undo goes on to its end.
func TestSignalDuringTheLedgerSaysToWait(t *testing.T) {
	cmd := exec.Command(testlab.Binary(t), "-e", `require('netlua_test').undo_waits() print('ready') sleep(1e8)`)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	out, errs := lines(stdout), lines(stderr)
	awaitLine(t, out, "ready")
	cmd.Process.Signal(syscall.SIGINT)
	awaitLine(t, out, "undo waits")
	cmd.Process.Signal(syscall.SIGINT)
	awaitLine(t, errs, "netlua: cleaning up, please wait")
	io.WriteString(stdin, "\n")
	awaitLine(t, out, "undo done")
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != cli.ExitSIGINT {
		t.Errorf("exit status %d, want %d", code, cli.ExitSIGINT)
	}
}

// lines sends each line read from r to the channel it returns, which
// closes at the end of r.
func lines(r io.Reader) <-chan string {
	ch := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
		close(ch)
	}()
	return ch
}

// awaitLine waits for the line want.
func awaitLine(t *testing.T, ch <-chan string, want string) {
	t.Helper()
	if err := nextLine(ch, want); err != nil {
		t.Fatal(err)
	}
}

// nextLine waits up to 10 s for the line want, skipping others.
func nextLine(ch <-chan string, want string) error {
	deadline := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-ch:
			if !ok {
				return fmt.Errorf("output ended before %q", want)
			}
			if line == want {
				return nil
			}
		case <-deadline:
			return fmt.Errorf("no %q within 10 s", want)
		}
	}
}

// A signal ends netlua while it still reads its script: netlua - at a
// terminal, or from a program that has not finished, exits 130 on ^C, as
// lua5.1 does.
func TestSignalWhileReadingTheScript(t *testing.T) {
	cmd := exec.Command(testlab.Binary(t), "-")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	io.WriteString(stdin, "print('never run')\n")
	awaitReadingStdin(t, cmd.Process.Pid)
	cmd.Process.Signal(syscall.SIGINT)
	hung := time.AfterFunc(10*time.Second, func() { cmd.Process.Kill() })
	cmd.Wait()
	if !hung.Stop() {
		t.Fatal("still reading its script 10 s after SIGINT: killed")
	}
	if code := cmd.ProcessState.ExitCode(); code != cli.ExitSIGINT {
		t.Errorf("exit status %d, want %d", code, cli.ExitSIGINT)
	}
}

// awaitReadingStdin waits up to 10 s for a thread of the process pid to
// block in read(0, ...), as /proc/PID/task/TID/syscall shows it: netlua
// reads its script after it has set up its signal handling.
func awaitReadingStdin(t *testing.T, pid int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/syscall", pid))
		for _, task := range tasks {
			if b, err := os.ReadFile(task); err == nil && strings.HasPrefix(string(b), "0 0x0 ") {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("netlua did not read its standard input within 10 s")
		}
	}
}
