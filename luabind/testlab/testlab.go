// Package testlab holds what netlua's tests share: the privileged-test
// guard, the guard for the tools tests compare against (NeedTool), the
// netlua binary built once per test process, and a helper that runs Lua
// code in a fresh runtime and returns what it printed.
//
// It is for tests only, of the modules, the host and the scripts; it is not
// under internal/ so that cmd/ and scripts/ tests can use it too.
package testlab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind"
)

// Privileged skips the test unless the process runs as root. When
// NETLUA_PRIVILEGED=1 (CI sets it) missing privilege fails the test instead,
// so a run can never pass by skipping.
func Privileged(t testing.TB) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("NETLUA_PRIVILEGED") == "1" {
		t.Fatal("needs root (CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_ADMIN) and NETLUA_PRIVILEGED=1 is set")
	}
	t.Skip("needs root: run the privileged tests with sudo NETLUA_PRIVILEGED=1 go test ./...")
}

// NeedTool returns the path of the program name. When it is missing the
// test skips, or fails when NETLUA_PRIVILEGED=1: CI installs it, and a
// run there must never pass by skipping.
func NeedTool(t testing.TB, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("%s is not installed (apt-get install %s)", name, pkg)
	if os.Getenv("NETLUA_PRIVILEGED") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

var build struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// Binary returns the path of a netlua binary built from this tree, once per
// test process, with -tags netluatest (which adds the netlua_test module of
// test hooks), and with -race when the tests run with it. Call Cleanup from
// TestMain to remove it.
func Binary(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "netlua-test-")
		if build.err != nil {
			return
		}
		// Readable by all: tests run it as an unprivileged user too.
		os.Chmod(build.dir, 0o755)
		build.path = filepath.Join(build.dir, "netlua")
		args := []string{"build", "-tags", "netluatest", "-o", build.path}
		if raceBuild {
			args = append(args, "-race")
			// A race-built program sleeps a second before it exits, for
			// late reports; the tests run netlua hundreds of times.
			os.Setenv("GORACE", "atexit_sleep_ms=0 "+os.Getenv("GORACE"))
		}
		cmd := exec.Command("go", append(args, "./cmd/netlua")...)
		cmd.Dir = moduleRoot()
		out, err := cmd.CombinedOutput()
		if err != nil {
			build.err = errors.New("go build ./cmd/netlua: " + err.Error() + "\n" + string(out))
		}
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.path
}

// Cleanup removes the binary Binary built. Call it from TestMain.
func Cleanup() {
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
}

// TCPTolerance is the floor under tcptest's time checks (seconds, the
// environment's NETLUA_TCP_TOLERANCE) in the netlua runs of tests: they
// share CI's two cores with every other package's tests and the race
// detector, where a kernel's segment was seen 6 to 12 ms late against
// packetdrill's 4 ms. Every timing mutant of scripts/tcp is 50 ms or more
// off, so it still fails. A test of the tolerance itself sets its own.
const TCPTolerance = "0.02"

// Main is TestMain for packages that use Binary: it sets NETLUA_TCP_TOLERANCE
// (TCPTolerance) unless the environment has it, runs the tests, removes the
// binary and exits. Use it as: func TestMain(m *testing.M) { testlab.Main(m) }
func Main(m *testing.M) {
	if os.Getenv("NETLUA_TCP_TOLERANCE") == "" {
		os.Setenv("NETLUA_TCP_TOLERANCE", TCPTolerance)
	}
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// moduleRoot is the directory holding go.mod.
func moduleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Root is the repository's top directory, for tests that run scripts/.
func Root() string { return moduleRoot() }

// A Result is what a run of the netlua binary did.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs the netlua binary with args and stdin, with a 60 s limit.
func Run(t testing.TB, stdin string, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, Binary(t), args...)
	cmd.Dir = moduleRoot()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := Result{Stdout: out.String(), Stderr: errb.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.Code = exit.ExitCode()
	case err != nil:
		t.Fatalf("netlua %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("netlua %s: still running after 60 s", strings.Join(args, " "))
	}
	return res
}

// RunLua runs code in a fresh runtime in this process, made with mods
// (see luabind.New), and returns what it printed and its error.
// The runtime is closed (deferred functions, cleanup ledger) before it returns.
func RunLua(t testing.TB, code string, mods ...*luabind.Module) (string, error) {
	t.Helper()
	return RunLuaWith(t, code, nil, mods...)
}

// RunLuaWith is RunLua with setup called on the fresh runtime before code
// runs, to add test globals or to send rt.Stderr to rt.Stdout as well.
func RunLuaWith(t testing.TB, code string, setup func(rt *luabind.Runtime), mods ...*luabind.Module) (string, error) {
	t.Helper()
	rt := luabind.New(mods...)
	var out bytes.Buffer
	rt.Stdout = &out
	if setup != nil {
		setup(rt)
	}
	chunk, err := rt.L.LoadString(code)
	if err != nil {
		rt.Close()
		return "", err
	}
	err = rt.Run(chunk)
	if cerr := rt.Close(); cerr != nil && err == nil {
		err = cerr
	}
	return out.String(), err
}

// MustLua is RunLua that fails the test on a Lua error.
func MustLua(t testing.TB, code string, mods ...*luabind.Module) string {
	t.Helper()
	return MustLuaWith(t, code, nil, mods...)
}

// MustLuaWith is RunLuaWith that fails the test on a Lua error.
func MustLuaWith(t testing.TB, code string, setup func(rt *luabind.Runtime), mods ...*luabind.Module) string {
	t.Helper()
	out, err := RunLuaWith(t, code, setup, mods...)
	if err != nil {
		t.Fatalf("lua error: %v\ncode:\n%s", err, code)
	}
	return out
}

// NoGoTrace fails t if out (what netlua printed) shows anything of Go's
// panic machinery: no Go stack trace may reach a user.
func NoGoTrace(t testing.TB, out string) {
	t.Helper()
	for _, s := range []string{"goroutine ", ".go:", "panic(", "runtime/debug"} {
		if strings.Contains(out, s) {
			t.Errorf("output shows a Go trace (%q):\n%s", s, out)
		}
	}
}
