package packet

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// An interrupt stops the call it was meant for and no other. A reader
// under one context (an on() started earlier at the prompt) lives through
// the end of another (^C of a later statement's blast on the same socket),
// and that blast, pacing while the reader receives, wakes at the end of
// its own context.
func TestInterruptStopsOnlyItsCall(t *testing.T) {
	a, b := pair(t)
	sa, sb := openOn(t, a, Config{Proto: exp}), openOn(t, b, Config{Proto: exp})
	frames := readAll(sb)
	for round := range 2 {
		ctx, cancel := context.WithCancelCause(context.Background())
		blasted := make(chan error, 1)
		go func() {
			_, err := sb.Blast(ctx, labtest.Frame(b, a, 0), BlastOptions{Rate: 0.001, Limits: Limits{Count: 2}})
			blasted <- err
		}()
		if _, _, err := sa.Recv(context.Background(), 10*time.Second); err != nil {
			t.Fatalf("round %d: the blast's first frame: %v", round, err)
		}
		// The blast paces now, for good. In the second round frames for
		// the reader come meanwhile: each of its receives is a new call
		// under its own context, which must not take the blast's place.
		for i := range 3 * round {
			sendTo(t, sa, labtest.Frame(a, b, byte(i)))
			expectFrame(t, frames, byte(i))
		}
		cancel(errStop)
		select {
		case err := <-blasted:
			if err != nil {
				t.Errorf("round %d: the interrupted blast: %v, want a clean end", round, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: the paced blast did not wake at the end of its context", round)
		}
		sendTo(t, sa, labtest.Frame(a, b, 9))
		expectFrame(t, frames, 9)
	}
}

// A frameOrError is what readAll's reader got.
type frameOrError struct {
	data []byte
	err  error
}

// readAll receives on s under a context that never ends, as the reader of
// s:on() does, until an error, which it hands on last.
func readAll(s *Socket) <-chan frameOrError {
	out := make(chan frameOrError, 64)
	go func() {
		for {
			data, _, err := s.Recv(context.Background(), sock.Forever)
			out <- frameOrError{append([]byte(nil), data...), err}
			if err != nil {
				return
			}
		}
	}()
	return out
}

// sendTo sends frame on s or fails the test.
func sendTo(t *testing.T, s *Socket, frame []byte) {
	t.Helper()
	if _, err := s.Send(context.Background(), frame); err != nil {
		t.Fatal(err)
	}
}

// expectFrame waits for the frame numbered seq from readAll.
func expectFrame(t *testing.T, frames <-chan frameOrError, seq byte) {
	t.Helper()
	select {
	case f := <-frames:
		if f.err != nil {
			t.Fatalf("the reader ended, waiting for frame %d: %v", seq, f.err)
		}
		if f.data[len(f.data)-1] != seq {
			t.Fatalf("the reader got frame %d, want %d", f.data[len(f.data)-1], seq)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no frame %d within 10 s", seq)
	}
}

// At a prompt, ^C ends a blast, which returns what it did, and the
// statement goes on; a second ^C ends the statement, even when it lands
// in the next blast of a loop: a loop of blasts (or of captures) stops.
func TestPromptSecondInterruptEndsTheStatement(t *testing.T) {
	a, b := pair(t)
	sa := openOn(t, a, Config{Proto: exp})
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	var stderr strings.Builder
	rt.Stderr = &stderr
	rt.L.SetGlobal("FRAME", lua.LString(labtest.Frame(b, a, 0)))
	chunk, err := rt.L.LoadString(fmt.Sprintf(`
		local s = require("packet").open(%q, { netns = %q, proto = 0x88b6 })
		for i = 1, 3 do
			s:blast(FRAME, { rate = 0.001, count = 2 }) -- one frame, then a long pause
			blasts = i
		end`, b.Ifname, labtest.NSPath(b)))
	if err != nil {
		t.Fatal(err)
	}
	rt.Rearm() // statement by statement, as at the prompt
	done := make(chan error, 1)
	go func() { done <- rt.Run(chunk) }()
	for i := range 2 {
		if _, _, err := sa.Recv(context.Background(), 10*time.Second); err != nil {
			t.Fatalf("blast %d's frame: %v", i+1, err)
		}
		rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGINT})
	}
	select {
	case err := <-done:
		var intr *luabind.Interrupt
		if !errors.As(err, &intr) {
			t.Errorf("the statement after a second ^C: %v, want the interrupt", err)
		}
	case <-time.After(10 * time.Second):
		rt.Interrupt(&luabind.Interrupt{Signal: syscall.SIGTERM})
		<-done
		t.Fatal("a second ^C did not end the statement: the loop went on to the next blast")
	}
	if n := rt.L.GetGlobal("blasts").String(); n != "1" {
		t.Errorf("%s blasts completed, want 1: the first ^C ends the first blast only", n)
	}
	if want := "blast: sent 1 frames"; !strings.HasPrefix(stderr.String(), want) || !strings.Contains(stderr.String(), "(interrupted)") {
		t.Errorf("the blast the statement ended in says %q, want %q... (interrupted)", stderr.String(), want)
	}
}
