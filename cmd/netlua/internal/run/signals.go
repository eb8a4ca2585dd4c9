package run

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind"
)

// The signals that end a run through its cleanup: ^C, kill's default, and
// the hangup a closed terminal (or an ssh session that dropped) sends.
var endSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// InterruptStatus is the exit status after a signal ended the run, as a
// shell reports a process the signal killed: 128 + its number (130 for
// SIGINT, 143 for SIGTERM, 129 for SIGHUP, 141 for SIGPIPE).
func InterruptStatus(intr *luabind.Interrupt) int {
	if sig, ok := intr.Signal.(syscall.Signal); ok {
		return 128 + int(sig)
	}
	return cli.ExitError
}

// relaySignals passes each SIGINT, SIGTERM and SIGHUP to rt: the first
// ends the run, later ones stop the deferred function running during the
// cleanup, or say that the cleanup is under way.
func relaySignals(rt *luabind.Runtime, stderr io.Writer) (stop func()) {
	return OnSignals(func(sig os.Signal) bool { return rt.Interrupt(&luabind.Interrupt{Signal: sig}) }, stderr)
}

// OnSignals calls interrupt for each SIGINT, SIGTERM and SIGHUP. After the
// first, it says what a signal did: interrupt reports whether the signal
// stopped something (a deferred function, during cleanup); when it did
// not, the cleanup is in Go code that ends by itself (the ledger).
func OnSignals(interrupt func(os.Signal) bool, stderr io.Writer) (stop func()) {
	first := true
	return NotifySignals(func(sig os.Signal) {
		stopped := interrupt(sig)
		if first {
			first = false
			return
		}
		CleanupNotice(stderr, sig, stopped)
	})
}

// CleanupNotice says what a signal during the cleanup did.
func CleanupNotice(stderr io.Writer, sig os.Signal, stopped bool) {
	if stopped {
		fmt.Fprintf(stderr, "netlua: %s: stopped the deferred function running; the rest of the cleanup goes on\n", luabind.SignalName(sig))
		return
	}
	fmt.Fprintln(stderr, "netlua: cleaning up, please wait")
}

// NotifySignals calls handle for each SIGINT, SIGTERM and SIGHUP, one at a
// time on a goroutine of its own, until stop is called, which waits for
// the handle running to return. The signals no
// longer kill the process meanwhile, and neither does SIGPIPE: a write to
// a closed pipe fails with EPIPE instead, which the writers of standard
// output and error turn into an interrupt (see PipeWriter). Processes the
// script starts get the default handling back, as Go resets caught
// signals on exec (an ignored SIGPIPE would be inherited).
func NotifySignals(handle func(os.Signal)) (stop func()) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, endSignals...)
	pipe := make(chan os.Signal, 1) // never read: signal.Notify does not block
	signal.Notify(pipe, syscall.SIGPIPE)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case sig := <-ch:
				handle(sig)
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		signal.Stop(pipe)
		close(done)
		<-stopped // what handle says is written before netlua exits
	}
}
