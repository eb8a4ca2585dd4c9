package child

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// A program a Forker started survives the end of the thread that asked
// for it (a goroutine that exits locked ends its thread, which would fire
// the parent-death signal had that thread forked), and dies when the
// Forker closes.
func TestForkerThreadOutlivesCallers(t *testing.T) {
	f := NewForker()
	defer f.Close()
	cmd := exec.Command("sleep", "1000")
	type started struct {
		tid int
		err error
	}
	done := make(chan started)
	var s started
	// The main thread never ends (the runtime wedges it instead): a
	// caller found there tries again, elsewhere.
	for s.tid == 0 || s.tid == os.Getpid() {
		go func() {
			runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
			if tid := syscall.Gettid(); tid == os.Getpid() {
				done <- started{tid: tid}
			} else {
				done <- started{tid, f.Start(cmd)}
			}
		}()
		s = <-done
	}
	if s.err != nil {
		t.Fatal(s.err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	waitGone(t, fmt.Sprintf("/proc/self/task/%d", s.tid))
	select {
	case err := <-exited:
		t.Fatalf("the program ended with its caller's thread: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	f.Close()
	select {
	case err := <-exited:
		if fmt.Sprint(err) != "signal: killed" {
			t.Errorf("the program ended with %v, want signal: killed", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the program outlived the Forker")
	}
	if err := f.Start(exec.Command("true")); !errors.Is(err, ErrForkerClosed) {
		t.Errorf("Start after Close = %v, want ErrForkerClosed", err)
	}
}

// waitGone waits until path does not exist, for at most 10 s.
func waitGone(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still exists", path)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
