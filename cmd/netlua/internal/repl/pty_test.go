package repl

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind/testlab"
)

// A ptySession is netlua started on a pseudo-terminal, as a person at a
// terminal starts it.
type ptySession struct {
	t      *testing.T
	master *os.File
	cmd    *exec.Cmd
	mu     sync.Mutex
	out    bytes.Buffer
	seen   int // how much of out expect has consumed
}

// openPTY opens a pseudo-terminal pair, 200 columns wide.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("ptsname: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(fd, unix.TIOCSWINSZ, &unix.Winsize{Row: 50, Col: 200}); err != nil {
		t.Fatal(err)
	}
	return master, slave
}

// startPTY runs netlua with no arguments on a new terminal, with its
// history under state.
func startPTY(t *testing.T, state string) *ptySession {
	t.Helper()
	master, slave := openPTY(t)
	p := &ptySession{t: t, master: master, cmd: exec.Command(testlab.Binary(t))}
	p.cmd.Stdin, p.cmd.Stdout, p.cmd.Stderr = slave, slave, slave
	p.cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+state, "HOME="+state, "TERM=xterm")
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	t.Cleanup(func() { p.cmd.Process.Kill(); master.Close() })
	go p.read()
	p.expect("^D to leave")
	p.expect("> ")
	return p
}

func (p *ptySession) read() {
	buf := make([]byte, 4096)
	for {
		n, err := p.master.Read(buf)
		p.mu.Lock()
		p.out.Write(buf[:n])
		p.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// send types s.
func (p *ptySession) send(s string) {
	p.t.Helper()
	if _, err := p.master.WriteString(s); err != nil {
		p.t.Fatal(err)
	}
}

// screenText is what netlua wrote without carriage returns and the
// escape sequences that move the cursor and clear: the text as it reads
// in order, redrawn lines repeated.
var screenText = strings.NewReplacer("\r", "", "\x1b[J", "", "\x1b[2J", "", "\x1b[H", "")

// cursorMoves are the escape sequences that move the cursor.
var cursorMoves = regexp.MustCompile(`\x1b\[[0-9]*[ABCD]`)

// expect waits up to 10 s for want in what netlua writes (as screenText
// reads it) after what the last expect matched.
func (p *ptySession) expect(want string) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.mu.Lock()
		rest := cursorMoves.ReplaceAllString(screenText.Replace(p.out.String()), "")[p.seen:]
		if i := strings.Index(rest, want); i >= 0 {
			p.seen += i + len(want)
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		if time.Now().After(deadline) {
			p.t.Fatalf("no %q within 10 s; netlua wrote:\n%q", want, rest)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// expectAll waits for each of wants, in any order, after what the last
// expect matched; it then goes on after the last of them.
func (p *ptySession) expectAll(wants ...string) {
	p.t.Helper()
	from, end := p.seen, p.seen
	for _, want := range wants {
		p.seen = from
		p.expect(want)
		end = max(end, p.seen)
	}
	p.seen = end
}

// statement types line and Enter, and waits for want and the next prompt.
// It first waits for the whole line's echo: the editor redraws the prompt
// with every key, and a "> " of those redraws is not the next prompt (a key
// sent then would reach the terminal while the statement runs, in cooked
// mode).
func (p *ptySession) statement(line, want string) {
	p.t.Helper()
	p.send(line + "\r")
	p.expect(line)
	p.expect(want)
	p.expect("> ")
}

// exit waits up to 10 s for netlua to end and returns its status.
func (p *ptySession) exit() int {
	p.t.Helper()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(10 * time.Second):
		p.t.Fatal("netlua still runs 10 s after it was asked to leave")
		return -1
	}
}

func TestPromptOnTerminal(t *testing.T) {
	state := t.TempDir()
	p := startPTY(t, state)
	p.statement("1+1", "\n2\n")
	p.statement("{a=1, b={2,3}}", "\n{\n  a = 1,\n  b = {\n    2,\n    3,\n  },\n}\n")

	p.send("function sq(x)\r")
	p.expect(">> ")
	p.send("  return x * x\r")
	p.expect(">> ")
	p.statement("end", "\n")
	p.statement("sq(7)", "\n49\n")

	p.statement("x = 1", "\n")
	p.send("x = 2")
	p.send("\x03") // ^C drops the line
	p.expect("x = 2^C\n")
	p.statement("x", "\n1\n")

	p.send("print('spinning') while true do end\r")
	p.expect("\nspinning\n") // the output, not the echo of the line
	p.send("\x03")           // ^C interrupts the statement, not the prompt
	p.expect("interrupted")
	p.expect("> ")
	p.statement("x + 1", "\n2\n")

	p.statement("loop.defer(function() print('cleanup ran') end)", "\n")
	p.send("\x04") // ^D on an empty line leaves, after the cleanup
	p.expect("cleanup ran")
	if code := p.exit(); code != 0 {
		t.Errorf("exit status %d after ^D, want 0", code)
	}
}

func TestPromptCompletes(t *testing.T) {
	p := startPTY(t, t.TempDir())
	p.send("type(packe\t")
	p.expect("type(packet")
	p.statement(")", "\ntable\n") // packet reads as the module

	p.send("pack\t") // package and packet: listed
	p.expect("package  packet\n")
	p.expect("> pack")
	p.send("\x03")
	p.expect("^C\n> ")

	p.send("string.fo\t")
	p.expect("string.format")
	p.statement(`("%d", 6 * 7)`, "\n42\n")

	p.send("prog = filter.compile('udp')\r")
	p.expect("> ")
	p.send("prog:ma\t")
	p.expect("prog:match")
	p.statement(`("")`, "\nfalse\n")
	p.send("\x04")
	if code := p.exit(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
}

// The history is kept in a file and comes back in the next session.
func TestPromptHistory(t *testing.T) {
	state := t.TempDir()
	p := startPTY(t, state)
	p.statement("'hist' .. 'ory'", "\nhistory\n")
	p.send("dropped = true\x03")
	p.expect("^C\n> ")
	p.statement("y = 3", "\n")
	p.send("\x04")
	p.exit()

	data, err := os.ReadFile(filepath.Join(state, "netlua", "history"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), "'hist' .. 'ory'\ny = 3\n"; got != want {
		t.Errorf("history file holds %q, want %q", got, want)
	}

	p = startPTY(t, state)
	p.send("\x1b[A") // Up: y = 3
	p.expect("> y = 3")
	p.send("\x1b[A") // Up again
	p.expect("> 'hist' .. 'ory'")
	p.statement("", "\nhistory\n")
	p.send("\x04")
	p.exit()
}

// SIGTERM at the prompt ends the session through the cleanup.
func TestPromptSIGTERM(t *testing.T) {
	p := startPTY(t, t.TempDir())
	p.statement("loop.defer(function() print('cleanup ran') end)", "\n")
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.expect("cleanup ran")
	if code := p.exit(); code != cli.ExitTERM {
		t.Errorf("exit status %d, want %d", code, cli.ExitTERM)
	}
}
