package lab

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestExec(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	h := mustHost(t, l, "a")
	ino, err := h.NetNS().Inode()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		cmd    Cmd
		status int
		output string
	}{
		{"runs inside the namespace", Cmd{Argv: []string{"readlink", "/proc/self/ns/net"}}, 0, fmt.Sprintf("net:[%d]\n", ino)},
		{"exit status", Cmd{Argv: []string{"sh", "-c", "exit 3"}}, 3, ""},
		{"stdout and stderr", Cmd{Argv: []string{"sh", "-c", "echo out; echo err >&2"}}, 0, "out\nerr\n"},
		{"stdin", Cmd{Argv: []string{"cat"}, Stdin: "hello"}, 0, "hello"},
		{"no stdin reads as empty", Cmd{Argv: []string{"cat"}}, 0, ""},
		{"killed by a signal", Cmd{Argv: []string{"sh", "-c", "kill -9 $$"}}, 137, ""},
		{"timeout", Cmd{Argv: []string{"sh", "-c", "echo started; sleep 10"}, Timeout: 200 * time.Millisecond}, TimeoutStatus, "started\n"},
		{"timeout kills what it started", Cmd{Argv: []string{"sh", "-c", "sleep 10 & wait"}, Timeout: 200 * time.Millisecond}, TimeoutStatus, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res, err := h.Exec(context.Background(), tt.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.status || string(res.Output) != tt.output {
				t.Errorf("status %d output %q, want %d %q", res.Status, res.Output, tt.status, tt.output)
			}
			if res.TimedOut != (tt.status == TimeoutStatus) {
				t.Errorf("TimedOut = %v", res.TimedOut)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestExecFails(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	h := mustHost(t, l, "a")
	if _, err := h.Exec(context.Background(), Cmd{Argv: []string{"netlua-no-such-command"}}); err == nil ||
		!strings.Contains(err.Error(), "executable file not found") {
		t.Errorf("missing command: err = %v", err)
	}
	if _, err := h.Exec(context.Background(), Cmd{}); err == nil {
		t.Error("empty command: no error")
	}
}

// An interrupt (SIGINT through the runtime's context) ends the command.
func TestExecInterrupted(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	h := mustHost(t, l, "a")
	stop := errors.New("interrupted")
	ctx, cancel := context.WithCancelCause(context.Background())
	time.AfterFunc(200*time.Millisecond, func() { cancel(stop) })
	start := time.Now()
	_, err := h.Exec(ctx, Cmd{Argv: []string{"sleep", "10"}})
	if !errors.Is(err, stop) {
		t.Errorf("err = %v, want the context's cause", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}
