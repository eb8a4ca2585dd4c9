package lab

import (
	"context"
	"errors"
	"fmt"
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

// What a command leaves running in the background, however it detached
// (setsid, a double fork, a plain &), lives until its host is torn down,
// and no longer: it would keep the namespace alive.
func TestExecDetachedDieWithHost(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	h := mustHost(t, l, "a")
	w := newWitness(t)
	run(t, h, w.detach()...)
	w.waitAnnounced(t, 10*time.Second, detached...)
	if w.gone(200 * time.Millisecond) {
		t.Fatal("the background processes died before their host")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if !w.gone(10 * time.Second) {
		t.Fatalf("background processes outlived their host (announced %q)", w.seen)
	}
}

// A process outside the lab that holds the process group number of a lab
// command (here it joined the group; a recycled number does the same) is
// never signalled at teardown: the lab ends what it started, not numbers.
func TestExecSparesOutsiders(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	h := mustHost(t, l, "a")
	w := newWitness(t)
	gate := newWitness(t) // only its In: the command waits there for a line
	done := make(chan error, 1)
	go func() {
		// The command leaves a member in its group, then waits at the gate.
		script := `sh -c 'echo member; exec cat' <"$1" >"$2" 2>&1 & read x <"$3"`
		_, err := h.Exec(context.Background(), Cmd{Argv: []string{"sh", "-c", script, "sh", w.In, w.Out, gate.In}})
		done <- err
	}()
	w.waitAnnounced(t, 10*time.Second, "member")
	outsider := joinGroup(t, childGroup(t, gate.In))
	gate.in.WriteString("go\n")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// The kernel holds the namespace's end until the outsider leaves the
	// group: its number stays allocated in the namespace meanwhile.
	go func() { done <- l.Close() }()
	if !w.gone(10 * time.Second) {
		t.Error("the lab's own process outlived its host")
	}
	// Whatever signal the teardown sent the group is pending by now: it
	// was sent to the member and the outsider at once. Ours comes after.
	outsider.Process.Signal(syscall.SIGTERM)
	err := outsider.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("the outsider ended with %v, want our SIGTERM: the lab signalled it", err)
	}
	if err := <-done; err != nil {
		t.Error(err)
	}
}

// joinGroup starts a process of this test in the process group pgid.
func joinGroup(t *testing.T, pgid int) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sleep", "60")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pgid: pgid}
	if err := cmd.Start(); err != nil {
		t.Fatalf("join process group %d: %v", pgid, err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd
}

// childGroup returns the process group of the child of this test process
// whose command line contains arg.
func childGroup(t *testing.T, arg string) int {
	t.Helper()
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	for _, task := range tasks {
		data, _ := os.ReadFile(task)
		for _, f := range strings.Fields(string(data)) {
			cmdline, _ := os.ReadFile("/proc/" + f + "/cmdline")
			if !strings.Contains(string(cmdline), arg) {
				continue
			}
			pid, _ := strconv.Atoi(f)
			pgid, err := syscall.Getpgid(pid)
			if err != nil {
				t.Fatal(err)
			}
			return pgid
		}
	}
	t.Fatalf("no child of this process runs with %s", arg)
	return 0
}

// A closed lab's host runs nothing, and says why.
func TestExecRefusesClosedLab(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	used, unused := mustHost(t, l, "a"), mustHost(t, l, "b")
	run(t, used, "true")
	l.Close()
	for _, h := range []*Host{used, unused} {
		if _, err := h.Exec(context.Background(), Cmd{Argv: []string{"true"}}); fmt.Sprint(err) != "the lab is closed" {
			t.Errorf("%s: Exec after Close = %v", h.Name(), err)
		}
	}
}
