package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
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
	var src lineSource = plainLines{in: bufio.NewScanner(stdin), out: stdout}
	if ed, ok := newTerminalEditor(stdin, stdout, stderr, s.complete); ok {
		src = ed
		s.wake = ed.wakeUp
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
		case err != nil:
			fmt.Fprintln(s.stdout)
			return exitOK
		}
		if status, leave := s.feed(line); leave {
			return status
		}
	}
}

// finish closes the runtime (deferred functions, cleanup ledger).
func (s *session) finish(status int) int {
	if err := s.rt.Close(); err != nil {
		fmt.Fprintf(s.stderr, "netlua: cleanup: %v\n", luabind.Report(err))
		if status == exitOK {
			status = exitError
		}
	}
	return status
}

// relaySignals turns SIGINT into an interrupt of the statement running,
// if one is (at the prompt, the editor reads ^C as a key), and SIGTERM
// into an interrupt or, at the prompt, the end of the session.
func (s *session) relaySignals() (stop func()) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-ch:
				s.signal(sig)
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

func (s *session) signal(sig os.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.running:
		s.rt.Interrupt(&luabind.Interrupt{Signal: sig})
	case sig == syscall.SIGTERM && s.wake != nil:
		s.wake()
	}
}

// plainLines reads lines without editing, showing the prompts on out.
type plainLines struct {
	in  *bufio.Scanner
	out io.Writer
}

func (p plainLines) readLine(prompt string) (string, error) {
	fmt.Fprint(p.out, prompt)
	if !p.in.Scan() {
		if err := p.in.Err(); err != nil {
			return "", err
		}
		return "", io.EOF
	}
	return p.in.Text(), nil
}

func (plainLines) close() {}

// session is the prompt's state: one runtime for every statement.
type session struct {
	rt      *luabind.Runtime
	stdout  *echoWriter
	stderr  io.Writer
	pending string // the lines of an incomplete statement
	wake    func() // makes the editor's readLine return errTerminated

	mu      sync.Mutex // guards running against the signal relay
	running bool
}
