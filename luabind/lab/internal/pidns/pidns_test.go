package pidns

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/testlab"
)

// newNS makes a network namespace and a PID namespace in it, both closed
// at the end of the test.
func newNS(t *testing.T) *NS {
	t.Helper()
	testlab.Privileged(t)
	net, err := netns.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { net.Close() })
	ns, err := New(net, "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ns.Close(); err != nil {
			t.Error(err)
		}
	})
	return ns
}

// run starts argv in ns, waits, and returns its combined output.
func run(t *testing.T, ns *NS, argv ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := ns.Start(cmd); err != nil {
		return "", err
	}
	err := cmd.Wait()
	return out.String(), err
}

// A command sees the namespace's /proc: its own number there is the one
// the kernel gives it in the namespace, and PID 1 is the init.
func TestCommandIsInside(t *testing.T) {
	ns := newNS(t)
	out, err := run(t, ns, "sh", "-c", `read -r pid rest </proc/self/stat; echo $$ $pid; tr '\0' ' ' </proc/1/cmdline`)
	if err != nil {
		t.Fatal(err)
	}
	self, init, _ := strings.Cut(out, "\n")
	if f := strings.Fields(self); len(f) != 2 || f[0] != f[1] || init != initName+" t " {
		t.Errorf("got %q, want $$ twice, then %s t", out, initName)
	}
}

// A program the exec step cannot execute is an error from Start, with
// the errno for errors.Is, and leaves nothing running.
func TestStartReportsExecFailure(t *testing.T) {
	ns := newNS(t)
	path := filepath.Join(t.TempDir(), "not-a-program")
	if err := os.WriteFile(path, []byte("\x00\x01\x02\x03"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path)
	err := ns.Start(cmd)
	if !errors.Is(err, syscall.ENOEXEC) || err.Error() != "exec "+path+": exec format error" {
		t.Fatalf("Start = %v, want exec %s: exec format error", err, path)
	}
	if cmd.ProcessState == nil {
		t.Error("the exec step was not waited for")
	}
}

// A command that cannot even be forked (here its directory is missing)
// is reported under its program's name, as exec.Cmd.Start reports it.
func TestStartReportsForkFailure(t *testing.T) {
	ns := newNS(t)
	cmd := exec.Command("true")
	cmd.Dir = filepath.Join(t.TempDir(), "missing")
	want := "fork/exec " + cmd.Path + ": no such file or directory"
	if err := ns.Start(cmd); !errors.Is(err, syscall.ENOENT) || fmt.Sprint(err) != want {
		t.Fatalf("Start = %v, want %s", err, want)
	}
}

func TestStartRefusesExtraFiles(t *testing.T) {
	ns := newNS(t)
	cmd := exec.Command("true")
	cmd.ExtraFiles = []*os.File{os.Stdin}
	if err := ns.Start(cmd); err == nil {
		t.Fatal("Start with ExtraFiles succeeded")
	}
}

func TestStartAfterClose(t *testing.T) {
	ns := newNS(t)
	ns.Close()
	if err := ns.Start(exec.Command("true")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Start after Close = %v, want ErrClosed", err)
	}
}

// The init ignores what a process inside may send it: the namespace
// ends when netlua says so, not when a command signals PID 1.
func TestInitIgnoresSignalsFromInside(t *testing.T) {
	ns := newNS(t)
	out, err := run(t, ns, "sh", "-c", "for s in TERM INT HUP QUIT USR1 USR2 PIPE ALRM CHLD; do kill -$s 1; done")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, err := run(t, ns, "true"); err != nil {
		t.Fatalf("after the signals: %v\n%s", err, out)
	}
}

// When the init is gone, Start says so instead of failing to fork.
func TestStartAfterInitDied(t *testing.T) {
	ns := newNS(t)
	ns.init.Process.Kill()
	<-ns.exited
	err := ns.Start(exec.Command("true"))
	if err == nil || !strings.Contains(err.Error(), "its processes are gone") {
		t.Fatalf("Start = %v", err)
	}
}

func TestMain(m *testing.M) { testlab.Main(m) }
