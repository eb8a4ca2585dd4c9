package lab

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// detachLua starts detachScript in a host (arg[1] and arg[2] are the
// witness's FIFOs), prints the host's namespace and "ready", then ends
// as the line it reads says: at the end of the script, by an error, by
// os.exit, in a sleep that a signal interrupts, or in a command that
// holds the witness too.
const detachLua = `
local lab = require "lab"
local a = lab.new():host("a")
local out, status = a:exec{"sh", "-c", arg[3], "sh", arg[1], arg[2]}
assert(status == 0, out)
io.write((a:exec{"readlink", "/proc/self/ns/net"}))
print("ready")
local how = io.read("*l")
if how == "error" then
	error("boom")
elseif how == "exit" then
	os.exit(3)
elseif how == "wait" then
	print("waiting")
	sleep(60)
elseif how == "exec" then
	a:exec({"sh", "-c", 'exec <"$1" >"$2" 2>&1; echo exec; exec cat', "sh", arg[1], arg[2]}, {timeout = 60})
end
`

// What a script's host left running in the background, however it
// detached, dies with netlua however netlua ends, SIGKILL included, and
// the host's namespace is then gone too.
func TestDetachedDieWithNetlua(t *testing.T) {
	testlab.Privileged(t)
	duringExec := testlab.Ending{Name: "SIGKILL during exec", Line: "exec", Signal: syscall.SIGKILL, Want: "signal: killed"}
	for _, e := range append(slices.Clone(testlab.Endings), duringExec) {
		t.Run(e.Name, func(t *testing.T) { testEnding(t, e) })
	}
}

func testEnding(t *testing.T, e testlab.Ending) {
	w := newWitness(t)
	script := filepath.Join(t.TempDir(), "detach.lua")
	if err := os.WriteFile(script, []byte(detachLua), 0o644); err != nil {
		t.Fatal(err)
	}
	s := testlab.StartScript(t, script, w.In, w.Out, detachScript)
	cmd, stdin, stderr := s.Cmd, s.Stdin, s.Stderr
	nsLine := s.NextLine()
	if s.NextLine() != "ready" {
		cmd.Wait()
		t.Fatalf("netlua never got ready (%q)\n%s", nsLine, stderr.String())
	}
	probe := testlab.ProbeNamespace(t, cmd.Process.Pid, nsLine)
	w.waitAnnounced(t, 10*time.Second, detached...)

	io.WriteString(stdin, e.Line+"\n")
	switch e.Line {
	case "wait":
		if s.NextLine() != "waiting" {
			t.Fatalf("netlua is not waiting\n%s", stderr.String())
		}
	case "exec":
		w.waitAnnounced(t, 10*time.Second, "exec")
	}
	if e.Signal != 0 {
		cmd.Process.Signal(e.Signal)
	}
	if err := cmd.Wait(); fmt.Sprint(err) != e.Want {
		t.Errorf("netlua exited with %v, want %s\n%s", err, e.Want, stderr.String())
	}
	if !w.gone(10 * time.Second) {
		t.Errorf("background processes outlived netlua (announced %q)", w.seen)
	}
	if !probe.Gone(t, 10*time.Second) {
		t.Errorf("the host's namespace %s outlived netlua", nsLine)
	}
}
