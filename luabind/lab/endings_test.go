package lab

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/internal/netns"
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
	probe := probeNamespace(t, cmd.Process.Pid, nsLine)
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
	if !probe.gone(t, 10*time.Second) {
		t.Errorf("the host's namespace %s outlived netlua", nsLine)
	}
}

// A nsProbe tells when a network namespace is destroyed, without holding
// it: a veth pair with one end inside it and the other in a namespace of
// the test. The kernel deletes the pair with the namespace.
type nsProbe struct {
	home *netns.NS // the test's namespace, with the probe's end
}

// probeNamespace puts a probe into the namespace ns ("net:[N]") that
// process pid holds by a descriptor.
func probeNamespace(t *testing.T, pid int, ns string) *nsProbe {
	t.Helper()
	path := nsDescriptor(t, pid, ns)
	home, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { home.Close() })
	ip := exec.Command("ip", "link", "add", "probe", "type", "veth", "peer", "name", "probe", "netns", path)
	var out strings.Builder
	ip.Stdout, ip.Stderr = &out, &out
	if err := home.Do(ip.Start); err != nil {
		t.Fatal(err)
	}
	if err := ip.Wait(); err != nil {
		t.Fatalf("ip link add: %v\n%s", err, out.String())
	}
	p := &nsProbe{home: home}
	if p.gone(t, 0) {
		t.Fatal("the probe is not there")
	}
	return p
}

// nsDescriptor is the /proc path of a descriptor by which process pid
// holds the namespace ns ("net:[N]").
func nsDescriptor(t *testing.T, pid int, ns string) string {
	t.Helper()
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
	for _, fd := range fds {
		if target, _ := os.Readlink(fd); target == ns {
			return fd
		}
	}
	t.Fatalf("process %d holds no descriptor of %s", pid, ns)
	return ""
}

// gone waits until the probe's end has vanished, for at most d.
func (p *nsProbe) gone(t *testing.T, d time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := p.home.Do(func() error {
			_, err := net.InterfaceByName("probe")
			return err
		})
		switch {
		case err != nil && strings.Contains(err.Error(), "no such network interface"):
			return true
		case err != nil:
			t.Fatal(err)
		case time.Now().After(deadline):
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}
