package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// started is a netlua process whose standard output is read line by line.
type started struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string
	stderr bytes.Buffer
}

// start runs code and waits until it prints "ready".
func start(t *testing.T, code string) *started {
	t.Helper()
	p := &started{cmd: exec.Command(testlab.Binary(t), "-e", code), lines: make(chan string, 16)}
	p.cmd.Stderr = &p.stderr
	p.stdin, _ = p.cmd.StdinPipe()
	out, _ := p.cmd.StdoutPipe()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	p.await(t, "ready")
	return p
}

// await waits up to 5 s for the line want.
func (p *started) await(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("output ended before %q; stderr: %s", want, p.stderr.String())
			}
			if line == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %q within 5 s", want)
		}
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
			noGoTrace(t, p.stderr.String())
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
