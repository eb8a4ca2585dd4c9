package lab_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
	"golang.org/x/sys/unix"
)

// status runs argv in e's host and returns its output and exit status.
func status(t *testing.T, e *lab.End, argv ...string) (string, int) {
	t.Helper()
	res, err := e.Host.Exec(context.Background(), lab.Cmd{Argv: argv})
	if err != nil {
		t.Fatalf("%v: %v", argv, err)
	}
	return string(res.Output), res.Status
}

// waitFor runs argv in e's host until ok accepts its output and status,
// for at most d, and fails the test if it never does.
func waitFor(t *testing.T, d time.Duration, e *lab.End, ok func(string, int) bool, argv ...string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		out, st := status(t, e, argv...)
		if ok(out, st) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%v: status %d\n%s", argv, st, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// exits is a waitFor test for the exit status want.
func exits(want int) func(string, int) bool {
	return func(_ string, st int) bool { return st == want }
}

// ps, pgrep and pkill inside a host see and reach the host's own processes
// only, under the numbers the host gives them, and what ends there is
// reaped: the host's init ends orphans' lives as zombies.
func TestExecSeesOwnProcesses(t *testing.T) {
	testlab.NeedTool(t, "pkill", "procps")
	a, b := labtest.Pair(t)
	sleeper := fmt.Sprintf("sleep 1001.%d", rand.Uint32())
	for _, e := range []*lab.End{a, b} {
		labtest.Run(t, e, "", "sh", "-c", sleeper+" >/dev/null 2>&1 &")
	}
	ps := labtest.Run(t, a, "", "ps", "-e", "-o", "pid=,args=")
	lines := strings.Split(strings.TrimSpace(ps), "\n")
	if len(lines) != 3 || !strings.HasPrefix(strings.TrimSpace(lines[0]), "1 ") ||
		!strings.Contains(ps, " "+sleeper+"\n") || !strings.Contains(ps, " ps -e") {
		t.Fatalf("ps in a shows\n%s\nwant its init as pid 1, its sleep and ps itself, nothing else", ps)
	}
	if out, st := status(t, a, "pkill", "-f", sleeper); st != 0 {
		t.Fatalf("pkill in a: status %d\n%s", st, out)
	}
	waitFor(t, 5*time.Second, a, exits(1), "pgrep", "-f", sleeper)
	if out, st := status(t, b, "pgrep", "-f", sleeper); st != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("pkill in a reached b: pgrep in b: status %d\n%s", st, out)
	}
	// Only the init and this ps are left: the killed orphan was reaped.
	onlyInitAndPS := func(out string, _ int) bool { return strings.Count(out, "\n") == 2 }
	waitFor(t, 5*time.Second, a, onlyInitAndPS, "ps", "-e", "-o", "pid=,stat=,args=")
}

// /sys inside a host describes the host's network namespace, as under
// ip netns exec.
func TestExecSeesOwnLinks(t *testing.T) {
	a, _ := labtest.Pair(t)
	if got := labtest.Run(t, a, "", "ls", "/sys/class/net"); got != "lo\n"+a.Ifname+"\n" {
		t.Errorf("ls /sys/class/net in a: %q, want lo and %s", got, a.Ifname)
	}
	if got := labtest.Run(t, a, "", "cat", "/sys/class/net/"+a.Ifname+"/address"); got != a.MAC.String()+"\n" {
		t.Errorf("a's %s has address %q in /sys, want %s", a.Ifname, got, a.MAC)
	}
}

// A mount made by a command stays with the command, as under ip netns
// exec: it never reaches netlua's mount namespace.
func TestExecMountsStayInside(t *testing.T) {
	testlab.NeedTool(t, "mount", "mount")
	a, _ := labtest.Pair(t)
	dir := t.TempDir()
	t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) }) // only if the test fails
	labtest.Run(t, a, "", "sh", "-c", `mount -t tmpfs netlua-test "$1" && touch "$1/inside"`, "sh", dir)
	if _, err := os.Stat(filepath.Join(dir, "inside")); !os.IsNotExist(err) {
		t.Errorf("the command's mount on %s reached the test: stat: %v", dir, err)
	}
}
