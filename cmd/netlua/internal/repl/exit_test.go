package repl

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind/testlab"
)

// A closed terminal (its master side closed: the window, the ssh session
// gone) hangs up: the prompt ends through the cleanup, status 129. The
// test reads the terminal itself, between reads only, so that closing the
// master really closes it: a read in flight would keep it open.
func TestPromptHangup(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "deferred")
	master, slave := openPTY(t)
	defer master.Close()
	cmd := exec.Command(testlab.Binary(t))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+t.TempDir(), "TERM=xterm")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	t.Cleanup(func() { cmd.Process.Kill() })
	term := &polledTerminal{t: t, fd: int(master.Fd())}
	term.expect("> ")
	line := fmt.Sprintf("loop.defer(function() local f = io.open(%q, 'w') f:write('deferred ran') f:close() end)\r", marker)
	if _, err := unix.Write(term.fd, []byte(line)); err != nil {
		t.Fatal(err)
	}
	term.expect("\n")
	term.expect("> ")
	master.Close()
	hung := time.AfterFunc(10*time.Second, func() { cmd.Process.Kill() })
	cmd.Wait()
	if !hung.Stop() {
		t.Fatal("netlua still ran 10 s after its terminal closed: killed")
	}
	if code := cmd.ProcessState.ExitCode(); code != 129 {
		t.Errorf("exit status %d, want 129", code)
	}
	if b, err := os.ReadFile(marker); string(b) != "deferred ran" {
		t.Errorf("the deferred function did not run: %q, %v", b, err)
	}
}

// A polledTerminal reads a terminal's master fd with poll, so that no read
// is left in flight.
type polledTerminal struct {
	t    *testing.T
	fd   int
	got  []byte
	seen int // how much of got expect has consumed
}

// expect reads until want comes after what the last expect matched, for
// up to 10 s.
func (p *polledTerminal) expect(want string) {
	p.t.Helper()
	buf := make([]byte, 4096)
	for deadline := time.Now().Add(10 * time.Second); ; {
		if i := bytes.Index(p.got[p.seen:], []byte(want)); i >= 0 {
			p.seen += i + len(want)
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no %q within 10 s; read %q", want, p.got[max(p.seen, len(p.got)-200):])
		}
		fds := []unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}}
		if n, _ := unix.Poll(fds, 100); n == 1 {
			n, err := unix.Read(p.fd, buf)
			if err != nil {
				p.t.Fatalf("reading the terminal: %v", err)
			}
			p.got = append(p.got, buf[:n]...)
		}
	}
}

// A second signal while the prompt's cleanup runs stops the deferred
// function that blocks; the other deferred functions still run.
func TestPromptSecondSignalInCleanup(t *testing.T) {
	p := startPTY(t, t.TempDir())
	p.statement("loop.defer(function() print('first registered ran') end)", "\n")
	p.statement("loop.defer(function() print('blocking') sleep(1e8) end)", "\n")
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.expect("\nblocking\n") // the output, not the echo of the line
	p.cmd.Process.Signal(syscall.SIGTERM)
	// The notice and the next deferred function's output race.
	p.expectAll("netlua: SIGTERM: stopped the deferred function running", "first registered ran")
	if code := p.exit(); code != cli.ExitTERM {
		t.Errorf("exit status %d, want %d", code, cli.ExitTERM)
	}
}

// epipeWriter is standard output as a closed pipe: every write fails with
// EPIPE after the first ok ones. It counts the writes that failed.
type epipeWriter struct {
	ok     int
	failed int
}

func (w *epipeWriter) Write(p []byte) (int, error) {
	if w.ok > 0 {
		w.ok--
		return len(p), nil
	}
	w.failed++
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
}

// A prompt whose standard output is a pipe its reader closed ends through
// the cleanup, status 141, and writes no more to the pipe.
func TestPromptClosedPipe(t *testing.T) {
	in := strings.Join([]string{
		`loop.defer(function() io.stderr:write("deferred ran\n") end)`,
		`for i = 1, 1e6 do print(i) end`,
		`io.stderr:write("not reached\n")`,
	}, "\n")
	out := &epipeWriter{ok: 5}
	var errb strings.Builder
	code := Main("test", modules.All(), strings.NewReader(in), out, &errb)
	if code != 141 || errb.String() != "deferred ran\n" {
		t.Errorf("status %d, errors %q; want 141 and the deferred function's line", code, errb.String())
	}
	if out.failed != 1 {
		t.Errorf("%d writes to the closed pipe, want 1", out.failed)
	}
}

// A signal while the ledger unwinds after the prompt ended (^D) says that
// the cleanup is under way: no deferred function runs to be stopped.
func TestPromptSignalDuringTheLedger(t *testing.T) {
	var errb strings.Builder
	s := newSession(modules.All(), io.Discard, &errb)
	s.rt.Ledger.Add("test", func() error { s.signal(syscall.SIGINT); return nil })
	if code := s.finish(cli.ExitOK); code != cli.ExitOK {
		t.Errorf("exit status %d, want %d", code, cli.ExitOK)
	}
	if got, want := errb.String(), "netlua: cleaning up, please wait\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}

// At the prompt os.exit, even in a deferred function, under pcall, ends
// the session with its code.
func TestOSExitAtThePrompt(t *testing.T) {
	tests := []struct {
		lines  []string
		status int
	}{
		{[]string{`pcall(os.exit, 3)`, `print("not reached")`}, 3},
		{[]string{`coroutine.wrap(function() os.exit(4) end)()`, `print("not reached")`}, 4},
		{[]string{`loop.defer(function() os.exit(5) end)`}, 5},
	}
	for _, tt := range tests {
		code, out, errb := replRun(t, tt.lines...)
		if code != tt.status || strings.Contains(out, "not reached") || errb != "" {
			t.Errorf("%q: status %d, output %q, errors %q; want %d", tt.lines, code, out, errb, tt.status)
		}
	}
}
