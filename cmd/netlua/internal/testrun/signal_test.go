package testrun

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// startTest runs netlua test on the fixture dir, with NETLUA_FIXTURE_OUT
// a file the fixture writes its progress to, which it returns.
func startTest(t *testing.T, dir string, stdout, stderr *bytes.Buffer) (*exec.Cmd, string) {
	t.Helper()
	marks := filepath.Join(t.TempDir(), "marks")
	cmd := exec.Command(testlab.Binary(t), "test", "-v", fixtures+dir)
	cmd.Dir = testlab.Root()
	cmd.Env = append(os.Environ(), "NETLUA_FIXTURE_OUT="+marks)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, marks
}

// awaitMark waits up to 10 s for the fixture to write want to marks.
func awaitMark(t *testing.T, marks, want string, stderr *bytes.Buffer) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(marks); string(b) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the fixture did not write %q within 10 s; stderr: %s", want, stderr.String())
		}
	}
}

// A signal stops the run: the running test is interrupted and cleaned up
// (its deferred functions run), no other test starts, the counts are
// printed and netlua exits 128 + the signal's number.
func TestSignalEndsTheRun(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(luabind.SignalName(sig), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd, marks := startTest(t, "signal", &stdout, &stderr)
			awaitMark(t, marks, "ready", &stderr)
			cmd.Process.Signal(sig)
			cmd.Wait()
			if code, want := cmd.ProcessState.ExitCode(), 128+int(sig); code != want {
				t.Errorf("exit status %d, want %d", code, want)
			}
			out := stdout.String()
			contains(t, out, "--- FAIL: "+fixtures+"signal/wait_test.lua: waits for a signal (",
				"    deferred ran\n", "wait_test.lua: interrupted ("+luabind.SignalName(sig)+")\n", "0 passed, 1 failed, 0 skipped\n")
			if strings.Contains(out, "started after the signal") || strings.Contains(out, "never starts") {
				t.Errorf("a test started after the signal:\n%s", out)
			}
			testlab.NoGoTrace(t, out+stderr.String())
		})
	}
}

// A second signal stops the test's deferred function that blocks; its
// other deferred functions run, and the state is not left behind.
func TestSecondSignalStopsABlockedDeferredFunction(t *testing.T) {
	var stdout, stderr bytes.Buffer
	cmd, marks := startTest(t, "blockdefer", &stdout, &stderr)
	awaitMark(t, marks, "ready", &stderr)
	cmd.Process.Signal(syscall.SIGINT)
	awaitMark(t, marks, "blocked", &stderr)
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != cli.ExitSIGINT {
		t.Errorf("exit status %d, want %d", code, cli.ExitSIGINT)
	}
	contains(t, stdout.String(), "    deferred ran\n", "sleep: interrupted (SIGINT)")
	contains(t, stderr.String(), "netlua: SIGINT: stopped the deferred function running")
	if strings.Contains(stdout.String(), "left behind") {
		t.Errorf("the state was left behind:\n%s", stdout.String())
	}
}

// A report written to a pipe its reader closed ends the run, with status
// 141, and no error about it.
func TestClosedPipeEndsTheTestRun(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(testlab.Binary(t), "test", "-v", fixtures+"many")
	cmd.Dir = testlab.Root()
	cmd.Stdout, cmd.Stderr = w, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill() })
	if line, err := bufio.NewReader(r).ReadString('\n'); !strings.HasPrefix(line, "--- PASS") {
		t.Fatalf("first line %q (%v)", line, err)
	}
	r.Close()
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 141 || stderr.Len() > 0 {
		t.Errorf("exit status %d, errors %q; want 141 and none", code, stderr.String())
	}
}
