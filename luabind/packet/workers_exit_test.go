package packet

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// A blast and a capture with workers end at SIGINT, SIGTERM and SIGKILL
// with nothing left: no packet socket in the namespace (the kernel's
// /proc/net/packet), and, but after SIGKILL, no worker file beside the
// capture's, whose merged file holds what it got.
func TestWorkersEndAtSignals(t *testing.T) {
	a, b := pair(t)
	signals := []struct {
		sig    syscall.Signal
		status int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}, {syscall.SIGKILL, -1}}
	for _, s := range signals {
		t.Run("blast "+s.sig.String(), func(t *testing.T) {
			code := `local s = require("packet").open(arg[1], { proto = 0x88b6 })
				print("ready"); io.stdout:flush()
				s:blast(("x"):rep(60), { duration = 60, workers = 2 })`
			endAt(t, a, s.sig, s.status, code)
		})
		t.Run("capture "+s.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			code := fmt.Sprintf(`local s = require("packet").open(arg[1], { proto = 0x88b5 })
				print("ready"); io.stdout:flush()
				s:capture{ file = %q, workers = 2 }`, filepath.Join(dir, "cap.pcap"))
			endAt(t, b, s.sig, s.status, code)
			entries, _ := os.ReadDir(dir)
			if s.sig != syscall.SIGKILL && (len(entries) != 1 || entries[0].Name() != "cap.pcap") {
				t.Errorf("files left: %v, want cap.pcap alone", entries)
			}
		})
	}
}

// endAt runs code in e's namespace, waits until its workers' threads are
// pinned, sends sig and checks the exit status (-1: killed by sig) and
// that no packet socket is left in the namespace.
func endAt(t *testing.T, e *lab.End, sig syscall.Signal, status int, code string) {
	n := labtest.StartNetlua(t, e, "-e", code, e.Ifname)
	n.Out.WaitFor(t, "ready", 10*time.Second)
	for end := time.Now().Add(5 * time.Second); len(pinnedOf(n.Cmd.Process.Pid)) < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("no two threads pinned within 5 s\n%s", n.Stderr)
		}
	}
	n.Cmd.Process.Signal(sig)
	err := n.Cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != status {
		t.Errorf("after %v: %v, want exit status %d\n%s", sig, err, status, n.Stderr)
	}
	if s := n.Stderr.String(); strings.Contains(s, "goroutine") || strings.Contains(s, "panic") {
		t.Errorf("stderr shows a Go trace:\n%s", s)
	}
	// The kernel frees a socket's entry an RCU grace period after close.
	for end := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		left := packetSockets(t, e)
		if left == 0 {
			break
		}
		if time.Now().After(end) {
			t.Errorf("%d packet sockets left in the namespace after %v", left, sig)
			break
		}
	}
}
