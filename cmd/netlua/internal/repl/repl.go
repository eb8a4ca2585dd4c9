package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/cmd/netlua/internal/run"
	"github.com/netlua/netlua/luabind"
)

// Prompts: a new statement, and the next line of an incomplete one.
const (
	prompt     = "> "
	promptMore = ">> "
)

// Errors a lineSource returns besides io.EOF (^D on an empty line).
var (
	errCancel     = errors.New("line cancelled") // ^C dropped the line
	errTerminated = errors.New("terminated")     // SIGTERM while waiting for a line
	// errHangup is the end of input from a terminal that closed, as the
	// SIGHUP that comes with it says too.
	errHangup = fmt.Errorf("terminal hung up: %w", io.EOF)
)

// A lineSource reads the lines of statements: a line editor on a terminal,
// or plain lines when netlua reads from elsewhere.
type lineSource interface {
	readLine(prompt string) (string, error)
	close()
}

// Main reads statements and runs them in one runtime, printing the values
// of expressions, until ^D; then it runs the cleanup, and returns the exit
// status. The greeting names netlua's version. On a terminal the
// lines are edited, kept in a history file and completed with Tab; ^C
// drops the line being typed or interrupts the statement running.
func Main(version string, mods []*luabind.Module, stdin io.Reader, stdout, stderr io.Writer) int {
	s := newSession(mods, stdout, stderr)
	var src lineSource
	if ed, ok := newTerminalEditor(stdin, stdout, stderr, s.complete); ok {
		src, s.wake = ed, ed.wakeUp
	} else {
		s.watchPipes()
		p := newPlainLines(stdin, s.stdout.w)
		src, s.wake = p, p.wakeUp
	}
	defer src.close()
	stopSignals := s.relaySignals()
	defer stopSignals()
	fmt.Fprintf(s.stdout.w, "netlua %s — Lua 5.1; netlua doc for the API, ^D to leave\n", version)
	status := s.loop(src)
	return s.finish(status)
}

// loop feeds lines to the session until the end of input, os.exit or
// SIGTERM, and returns the exit status they call for.
func (s *session) loop(src lineSource) int {
	for {
		if status, ended := s.ended(); ended {
			return status
		}
		p := prompt
		if s.pending != "" {
			p = promptMore
		}
		line, err := src.readLine(p)
		switch {
		case errors.Is(err, errCancel):
			s.pending = ""
			continue
		case errors.Is(err, errTerminated):
			return s.endStatus()
		case errors.Is(err, errHangup): // before io.EOF, which it wraps
			return s.hungUp()
		case errors.Is(err, io.EOF):
			fmt.Fprintln(s.stdout)
			return cli.ExitOK
		case err != nil:
			fmt.Fprintf(s.stderr, "\nnetlua: reading the prompt's input: %v\n", err)
			return cli.ExitError
		}
		if status, leave := s.feed(line); leave {
			return status
		}
	}
}

// finish closes the runtime (deferred functions, cleanup ledger).
func (s *session) finish(status int) int {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	return run.CloseRuntime(s.rt, status, s.stderr)
}

// relaySignals turns SIGINT into an interrupt of the statement running,
// if one is (at the prompt, the editor reads ^C as a key), and SIGTERM
// and SIGHUP into an interrupt or, at the prompt, the end of the session.
// During the cleanup, a signal stops the deferred function running.
func (s *session) relaySignals() (stop func()) {
	return run.NotifySignals(func(sig os.Signal) { s.signal(sig) })
}

// signal handles a signal, or the SIGPIPE a write to a closed standard
// output stands for, and reports whether it stopped something.
func (s *session) signal(sig os.Signal) bool {
	s.mu.Lock()
	closing, hangup := s.closing, s.hangupDue && sig == syscall.SIGHUP
	if hangup {
		s.hangupDue = false
	}
	s.mu.Unlock()
	if hangup {
		return false // the hangup the session already ended on
	}
	if closing {
		stopped := s.rt.Interrupt(&luabind.Interrupt{Signal: sig})
		run.CleanupNotice(s.stderr, sig, stopped)
		return stopped
	}
	return s.interrupt(sig)
}

// interrupt stops the statement running, if one is, or ends the session
// waiting for a line on any signal but SIGINT (which the editor reads as
// a key).
func (s *session) interrupt(sig os.Signal) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sig != syscall.SIGINT && s.ending == nil {
		s.ending = sig
	}
	switch {
	case s.running:
		s.signalled = true
		return s.rt.Interrupt(&luabind.Interrupt{Signal: sig})
	case sig != syscall.SIGINT && s.wake != nil:
		s.wake()
		return true
	}
	return false
}

// watchPipes makes a closed standard output or error end the session
// through its cleanup, with status 141, as it ends a script. Only plain
// lines need it: the editor's output is a terminal.
func (s *session) watchPipes() {
	broken := func() { s.signal(syscall.SIGPIPE) }
	s.stdout.w = run.NewPipeWriter(s.stdout.w, broken)
	s.stderr = run.NewPipeWriter(s.stderr, broken)
	s.rt.Stderr = s.stderr
}

// ended returns the exit status of a session a signal other than SIGINT
// ended, and whether one did.
func (s *session) ended() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ending == nil {
		return 0, false
	}
	return run.InterruptStatus(&luabind.Interrupt{Signal: s.ending}), true
}

// hungUp ends a session whose terminal hung up, as SIGHUP does. The
// kernel sends SIGHUP too, maybe only now: that one is the same event, and
// does not stop a deferred function during the cleanup.
func (s *session) hungUp() int {
	s.mu.Lock()
	if s.ending == nil {
		s.ending, s.hangupDue = syscall.SIGHUP, true
	}
	s.mu.Unlock()
	return s.endStatus()
}

// endStatus is the exit status of a session ended while it waited for a
// line: by a signal, or else by SIGTERM as the line source saw it.
func (s *session) endStatus() int {
	if status, ended := s.ended(); ended {
		return status
	}
	return cli.ExitTERM
}

// plainLines reads lines without editing, showing the prompts on out.
// Each line is read on a goroutine, so that SIGTERM can end the wait for
// it. It reads only while a line is asked for, so that io.read in a
// statement gets what is typed meanwhile.
type plainLines struct {
	in   *bufio.Scanner
	out  io.Writer
	term chan struct{} // closed by wakeUp
	once sync.Once
}

func newPlainLines(in io.Reader, out io.Writer) *plainLines {
	return &plainLines{in: bufio.NewScanner(in), out: out, term: make(chan struct{})}
}

// A scanned line is the outcome of one plainLines read.
type scanned struct {
	line string
	err  error
}

func (p *plainLines) readLine(prompt string) (string, error) {
	select {
	case <-p.term: // a read it cut short may still be scanning
		return "", errTerminated
	default:
	}
	fmt.Fprint(p.out, prompt)
	got := make(chan scanned, 1)
	go func() { got <- p.scan() }()
	select {
	case r := <-got:
		return r.line, r.err
	case <-p.term:
		return "", errTerminated
	}
}

func (p *plainLines) scan() scanned {
	if p.in.Scan() {
		return scanned{line: p.in.Text()}
	}
	if err := p.in.Err(); err != nil {
		return scanned{err: err}
	}
	return scanned{err: io.EOF}
}

// wakeUp makes the current and every later read return errTerminated.
// Any goroutine may call it.
func (p *plainLines) wakeUp() { p.once.Do(func() { close(p.term) }) }

func (*plainLines) close() {}

// session is the prompt's state: one runtime for every statement.
type session struct {
	rt      *luabind.Runtime
	stdout  *echoWriter
	stderr  io.Writer
	pending string // the lines of an incomplete statement
	wake    func() // makes the lineSource's readLine return errTerminated

	mu        sync.Mutex // guards what the signal relay reads and sets
	running   bool       // a statement runs
	signalled bool       // a signal came while the statement ran
	closing   bool       // the cleanup runs
	ending    os.Signal  // the signal that ended the session at the prompt
	// hangupDue is set when the terminal hung up before its SIGHUP came.
	hangupDue bool
}
