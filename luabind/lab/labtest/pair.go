// Package labtest holds the test fixtures built on lab that module tests
// share: a lab pair made from Go and torn down with the test, commands and
// the netlua binary run inside its namespaces (with their output read line
// by line), nft inside a namespace, UDP traffic between the ends, and a
// Lua runtime with that traffic at hand. It is for tests only; everything
// it does happens in lab namespaces. (testlab, below it, cannot import lab:
// lab's own tests use it. The guard for the tools the tests compare
// against is testlab.NeedTool.)
package labtest

import (
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/testlab"
)

// Pair makes a lab pair for a test: two namespaces joined by a veth
// (a 198.18.x.1/24, b .2), torn down when the test ends. It is a
// privileged test.
func Pair(t testing.TB) (a, b *lab.End) {
	t.Helper()
	testlab.Privileged(t)
	l := lab.New(lab.Config{})
	t.Cleanup(func() { l.Close() })
	a, b, err := l.Pair()
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// Start starts argv inside the namespace of e; the process is killed when
// the test ends if it still runs.
func Start(t testing.TB, e *lab.End, cmd *exec.Cmd) {
	t.Helper()
	if err := e.NetNS().Do(cmd.Start); err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
}

// Tcpdump starts tcpdump (the path the caller found with
// testlab.NeedTool) on e's interface with args after -i, and returns it
// once it says it is listening, with its standard error; it is killed
// when the test ends if it still runs.
func Tcpdump(t testing.TB, e *lab.End, tcpdump string, args ...string) (*exec.Cmd, *Lines) {
	t.Helper()
	cmd := exec.Command(tcpdump, append([]string{"-i", e.Ifname}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	Start(t, e, cmd)
	lines := Collect(stderr)
	lines.WaitFor(t, "listening on "+e.Ifname, 10*time.Second)
	return cmd, lines
}

// Run runs argv inside the namespace of e, with stdin, and returns its
// output; it fails the test if the command fails.
func Run(t testing.TB, e *lab.End, stdin string, argv ...string) string {
	t.Helper()
	res, err := e.Host.Exec(context.Background(), lab.Cmd{Argv: argv, Stdin: stdin, Timeout: 60 * time.Second})
	if err != nil || res.Status != 0 {
		t.Fatalf("%v: %v, status %d\n%s", argv, err, res.Status, res.Output)
	}
	return string(res.Output)
}

// NSPath names e's namespace by a path that the modules' netns option
// opens: the descriptor this process holds it by.
func NSPath(e *lab.End) string { return fmt.Sprintf("/proc/self/fd/%d", e.NetNS().FD()) }

// Frame is a 64-byte frame from a to b of the local experimental
// EtherType 0x88b5, with payload bytes counting from 0 and then seq.
func Frame(a, b *lab.End, seq byte) []byte {
	f := make([]byte, 64)
	copy(f[0:6], b.MAC)
	copy(f[6:12], a.MAC)
	f[12], f[13] = 0x88, 0xb5
	for i := 14; i < len(f); i++ {
		f[i] = byte(i - 14)
	}
	f[len(f)-1] = seq
	return f
}

// DropAtIngress makes e drop every frame at ingress, inside its own
// namespace, with nft when it is installed, so that benchmarks measure
// the sender and not the receiver's stack. Without nft it only logs.
func DropAtIngress(t testing.TB, e *lab.End) {
	t.Helper()
	if _, err := exec.LookPath("nft"); err != nil {
		t.Logf("nft is not installed: %s's stack drops the frames instead", e.Ifname)
		return
	}
	rules := fmt.Sprintf("table netdev bench {\n chain in {\n  type filter hook ingress device %s priority 0; policy drop;\n }\n}\n", e.Ifname)
	Run(t, e, rules, "nft", "-f", "-")
}
