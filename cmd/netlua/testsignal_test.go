package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// SIGINT stops the run: the running test is interrupted and cleaned up
// (its deferred functions run), no other test starts, the counts are
// printed and netlua exits 130.
func TestSIGINTEndsTheRun(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready")
	cmd := exec.Command(testlab.Binary(t), "test", "-v", fixtures+"signal")
	cmd.Dir = testlab.Root()
	cmd.Env = append(os.Environ(), "NETLUA_FIXTURE_OUT="+ready)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the test did not start within 10 s; stderr: %s", stderr.String())
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitSIGINT {
		t.Errorf("exit status %d, want %d", code, exitSIGINT)
	}
	out := stdout.String()
	contains(t, out, "--- FAIL: "+fixtures+"signal/wait_test.lua: waits for a signal (",
		"    deferred ran\n", "wait_test.lua: interrupted (SIGINT)\n", "0 passed, 1 failed, 0 skipped\n")
	if strings.Contains(out, "started after the signal") || strings.Contains(out, "never starts") {
		t.Errorf("a test started after SIGINT:\n%s", out)
	}
	noGoTrace(t, out+stderr.String())
}
