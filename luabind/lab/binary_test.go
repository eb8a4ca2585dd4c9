package lab

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestLabDemoScript(t *testing.T) {
	testlab.Privileged(t)
	res := testlab.Run(t, "", "scripts/lab_demo.lua")
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	for _, want := range []string{
		"a: veth0 02:00:c6:12:00:01 198.18.0.1/24",
		"b: veth0 02:00:c6:12:00:02 198.18.0.2/24",
		"1 received, 0% packet loss",
		"ping exit status: 0",
	} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, res.Stdout)
		}
	}
}

// holdScript makes namespaces, prints their pinned names and "ready",
// then waits for a line on stdin before it ends normally.
const holdScript = `
local lab = require "lab"
local a, b = lab.pair{ pin = arg[1] == "pin" }
local n = lab.new()
n:link(a, n:host("r1"))
print(a.netns, b.netns)
print("ready")
io.read("*l")
`

// A netlua run holding labs, between its "ready" and its end.
type holdRun struct {
	cmd    *exec.Cmd
	stdin  *os.File
	first  string // the line before "ready"
	stderr bytes.Buffer
}

// startHold starts holdScript and waits until its labs exist.
func startHold(t *testing.T, args ...string) *holdRun {
	t.Helper()
	script := filepath.Join(t.TempDir(), "hold.lua")
	if err := os.WriteFile(script, []byte(holdScript), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &holdRun{cmd: exec.Command(testlab.Binary(t), append([]string{script}, args...)...)}
	r.cmd.Stderr = &r.stderr
	in, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.cmd.Stdin, r.stdin = in, w
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in.Close()
	t.Cleanup(func() { r.cmd.Process.Kill(); r.cmd.Wait(); w.Close() })
	lines := bufio.NewScanner(out)
	for lines.Scan() && lines.Text() != "ready" {
		r.first = lines.Text()
	}
	if lines.Err() != nil || r.first == "" {
		r.cmd.Wait()
		t.Fatalf("netlua never got ready: %v\n%s", lines.Err(), r.stderr.String())
	}
	return r
}

// finish lets the run end normally and checks that it exits 0.
func (r *holdRun) finish(t *testing.T) {
	t.Helper()
	r.stdin.Write([]byte("\n"))
	if err := r.cmd.Wait(); err != nil {
		t.Fatalf("netlua: %v\n%s", err, r.stderr.String())
	}
}

// kill ends the run with SIGKILL: no cleanup code runs.
func (r *holdRun) kill(t *testing.T) {
	t.Helper()
	r.cmd.Process.Signal(syscall.SIGKILL)
	var exit *exec.ExitError
	if err := r.cmd.Wait(); !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("netlua was not killed: %v", err)
	}
}

// The namespaces a run made are destroyed once it ends, however it ends.
// A probe in each tells when the kernel destroys it: counting the
// machine's namespaces instead would count those that other tests make
// and free meanwhile (go test runs packages in parallel), whose numbers
// the kernel also reuses.
func TestNamespacesGoAway(t *testing.T) {
	testlab.Privileged(t)
	tests := []struct {
		name string
		end  func(*holdRun, *testing.T)
	}{
		{"normal exit", (*holdRun).finish},
		{"kill -9", (*holdRun).kill},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := startHold(t)
			held := labNamespaces(t, r.cmd.Process.Pid)
			if len(held) != 3 {
				t.Fatalf("netlua holds %d namespaces of its own, want 3 (a, b, r1): %q", len(held), held)
			}
			probes := make([]*testlab.NSProbe, len(held))
			for i, ns := range held {
				probes[i] = testlab.ProbeNamespace(t, r.cmd.Process.Pid, ns)
			}
			tt.end(r, t)
			for i, p := range probes {
				if !p.Gone(t, 10*time.Second) {
					t.Errorf("namespace %s still alive 10 s after netlua ended", held[i])
				}
			}
		})
	}
}

func TestPinnedNamesLastTheRun(t *testing.T) {
	testlab.Privileged(t)
	r := startHold(t, "pin")
	names := strings.Fields(r.first)
	pid := r.cmd.Process.Pid
	want := []string{"netlua-" + strconv.Itoa(pid) + "-a", "netlua-" + strconv.Itoa(pid) + "-b"}
	if len(names) != 2 || names[0] != want[0] || names[1] != want[1] {
		t.Fatalf("pinned as %q, want %q", names, want)
	}
	for _, name := range names {
		if !testlab.IsPinned(name) {
			t.Errorf("%s is not a pinned namespace", testlab.PinPath(name))
		}
	}
	out, err := exec.Command("ip", "netns", "exec", names[1], "ping", "-c1", "-W1", "198.18.0.1").CombinedOutput()
	if err != nil {
		t.Errorf("ip netns exec %s ping: %v\n%s", names[1], err, out)
	}
	r.finish(t)
	for _, name := range names {
		if _, err := os.Lstat(testlab.PinPath(name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is still there after the run: %v", testlab.PinPath(name), err)
		}
	}
}

// Without privilege, lab says what it needs, exits 1, and shows no Go trace.
func TestLabNeedsPrivilege(t *testing.T) {
	testlab.Privileged(t) // root is needed to switch to nobody
	bin := testlab.Binary(t)
	tests := []struct{ name, code, want string }{
		{"pair", `require("lab").pair()`, "lab.pair: network namespaces: operation not permitted: needs root or CAP_SYS_ADMIN (sudo netlua ..., or sudo setcap cap_net_raw,cap_net_admin,cap_sys_admin+ep "},
		{"new", `require("lab").new()`, "lab.new: network namespaces: operation not permitted: needs root or CAP_SYS_ADMIN ("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "-e", tt.code)
			cmd.Dir = "/"
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("exit: %v, want status 1\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr.String())
			}
			if strings.Contains(stderr.String(), "goroutine ") {
				t.Errorf("a Go trace reached the user:\n%s", stderr.String())
			}
		})
	}
}
