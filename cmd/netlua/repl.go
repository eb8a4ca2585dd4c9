package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"

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
)

// A lineSource reads the lines of statements: a line editor on a terminal,
// or plain lines when netlua reads from elsewhere.
type lineSource interface {
	readLine(prompt string) (string, error)
	close()
}

// repl reads statements and runs them in one runtime, printing the values
// of expressions, until ^D; then it runs the cleanup. On a terminal the
// lines are edited, kept in a history file and completed with Tab; ^C
// drops the line being typed or interrupts the statement running.
func repl(stdin io.Reader, stdout, stderr io.Writer) int {
	s := newSession(stdout, stderr)
	var src lineSource
	if ed, ok := newTerminalEditor(stdin, stdout, stderr, s.complete); ok {
		src, s.wake = ed, ed.wakeUp
	} else {
		p := newPlainLines(stdin, stdout)
		src, s.wake = p, p.wakeUp
	}
	defer src.close()
	stopSignals := s.relaySignals()
	defer stopSignals()
	fmt.Fprintf(stdout, "netlua %s — Lua 5.1; netlua doc for the API, ^D to leave\n", version)
	status := s.loop(src)
	return s.finish(status)
}

// loop feeds lines to the session until the end of input, os.exit or
// SIGTERM, and returns the exit status they call for.
func (s *session) loop(src lineSource) int {
	for {
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
			return exitTERM
		case errors.Is(err, io.EOF):
			fmt.Fprintln(s.stdout)
			return exitOK
		case err != nil:
			fmt.Fprintf(s.stderr, "\nnetlua: reading the prompt's input: %v\n", err)
			return exitError
		}
		if status, leave := s.feed(line); leave {
			return status
		}
	}
}

// finish closes the runtime (deferred functions, cleanup ledger).
func (s *session) finish(status int) int { return closeRuntime(s.rt, status, s.stderr) }

// relaySignals turns SIGINT into an interrupt of the statement running,
// if one is (at the prompt, the editor reads ^C as a key), and SIGTERM
// into an interrupt or, at the prompt, the end of the session.
func (s *session) relaySignals() (stop func()) { return notifySignals(s.signal) }

func (s *session) signal(sig os.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.running:
		s.signalled = true
		s.rt.Interrupt(&luabind.Interrupt{Signal: sig})
	case sig == syscall.SIGTERM && s.wake != nil:
		s.wake()
	}
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

	mu        sync.Mutex // guards running and signalled against the signal relay
	running   bool
	signalled bool // a signal came while the statement ran
}
