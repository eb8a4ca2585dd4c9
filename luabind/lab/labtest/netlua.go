package labtest

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/testlab"
)

// Script is the path of a script in scripts/: "ping.lua".
func Script(name string) string { return filepath.Join(testlab.Root(), "scripts", name) }

// A Netlua is the netlua binary running inside a lab namespace.
type Netlua struct {
	Cmd    *exec.Cmd
	Out    *Lines        // its standard output, as it comes
	Stderr *bytes.Buffer // its standard error
}

// StartNetlua starts the netlua binary with args inside e's namespace.
func StartNetlua(t testing.TB, e *lab.End, args ...string) *Netlua {
	t.Helper()
	n := &Netlua{Cmd: exec.Command(testlab.Binary(t), args...), Stderr: &bytes.Buffer{}}
	n.Cmd.Stderr = n.Stderr
	out, err := n.Cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	Start(t, e, n.Cmd)
	n.Out = Collect(out)
	return n
}

// Interrupt sends SIGINT and checks that netlua exits with status 130
// and no Go trace.
func (n *Netlua) Interrupt(t testing.TB) {
	t.Helper()
	n.Cmd.Process.Signal(syscall.SIGINT)
	err := n.Cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Errorf("netlua after SIGINT: %v, want exit status 130\n%s", err, n.Stderr)
	}
	if s := n.Stderr.String(); strings.Contains(s, "goroutine") || strings.Contains(s, "panic") {
		t.Errorf("stderr shows a Go trace:\n%s", s)
	}
}

// RunNetlua runs the netlua binary with args inside e's namespace and
// returns its output and exit status.
func RunNetlua(t testing.TB, e *lab.End, args ...string) (string, int) {
	t.Helper()
	n := StartNetlua(t, e, args...)
	err := n.Cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("netlua %v: %v", args, err)
	}
	n.Out.Wait()
	return n.Out.String() + n.Stderr.String(), n.Cmd.ProcessState.ExitCode()
}
