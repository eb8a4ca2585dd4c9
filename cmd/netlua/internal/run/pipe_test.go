package run

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// pipeWrites write the numbers 1 to 1e6 to standard output or error, one
// a line, each in its own way.
var pipeWrites = []struct {
	name, write string
	stderr      bool // writes to standard error
}{
	{"print", "print(i)", false},
	{"io.write", "io.write(i, '\\n')", false},
	{"io.stdout:write", "io.stdout:write(i, '\\n')", false},
	{"io.stderr:write", "io.stderr:write(i, '\\n')", true},
}

// A script writing to a pipe whose reader closed it after one line (as
// head -1 does) ends through its cleanup, with status 141, and writes
// nothing more to the closed pipe nor any error about it.
func TestClosedPipeEndsThroughCleanup(t *testing.T) {
	for _, w := range pipeWrites {
		t.Run(w.name, func(t *testing.T) { closedPipe(t, w.write, w.stderr, "", nil, nil) })
	}
}

// ... and removes the names of a pinned lab.
func TestClosedPipeUnpinsTheLab(t *testing.T) {
	testlab.Privileged(t)
	for _, w := range pipeWrites {
		t.Run(w.name, func(t *testing.T) {
			setup, ready, done := pinnedLab(t)
			closedPipe(t, w.write, w.stderr, setup, ready, done)
		})
	}
}

// closedPipe runs setup, then write for i = 1 to 1e6 on a pipe, and
// closes the pipe after the first line. The cleanup's markers go to the
// other stream. ready runs after the first line, before the pipe closes,
// and done after netlua exited.
func closedPipe(t *testing.T, write string, toStderr bool, setup string, ready, done func()) {
	other := "stderr"
	if toStderr {
		other = "stdout"
	}
	code := fmt.Sprintf(`local loop, hooks = require 'loop', require 'netlua_test'
hooks.undo_prints('undo ran', '%[1]s')
loop.defer(function() io.%[1]s:write('deferred ran\n') end)
%[2]s
for i = 1, 1e6 do %[3]s end`, other, setup, write)
	r, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(testlab.Binary(t), "-e", code)
	var rest bytes.Buffer
	cmd.Stdout, cmd.Stderr = pw, &rest
	if toStderr {
		cmd.Stdout, cmd.Stderr = &rest, pw
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	t.Cleanup(func() { cmd.Process.Kill() })
	first, err := bufio.NewReader(r).ReadString('\n')
	if first != "1\n" {
		t.Fatalf("first line %q (%v), want 1", first, err)
	}
	if ready != nil {
		ready()
	}
	r.Close()
	hung := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	cmd.Wait()
	if !hung.Stop() {
		t.Fatal("still running 30 s after the pipe closed: killed")
	}
	if code := cmd.ProcessState.ExitCode(); code != 141 || rest.String() != "deferred ran\nundo ran\n" {
		t.Errorf("status %d, %s %q; want 141 and only the cleanup's markers", code, other, rest.String())
	}
	testlab.NoGoTrace(t, rest.String())
	if strings.Contains(rest.String(), "broken pipe") {
		t.Errorf("an error about the closed pipe: %q", rest.String())
	}
	if done != nil {
		done()
	}
}
