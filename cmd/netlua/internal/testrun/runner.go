package testrun

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sync"
	"time"

	"github.com/netlua/netlua/cmd/netlua/internal/run"
	"github.com/netlua/netlua/luabind"
)

// testGrace is how long a test may take to stop once interrupted before
// the runner leaves it behind and goes on.
const testGrace = 5 * time.Second

// A testRunner runs test files, each test in a fresh state of its own,
// and hands each result to its reporters.
type testRunner struct {
	ctx     context.Context // ends on SIGINT or SIGTERM
	run     *regexp.Regexp  // selects tests by name; nil for all
	timeout time.Duration   // per test; 0 for none
	grace   time.Duration
	reports []testReporter
	modules []*luabind.Module // every state's: see newTestState
	counts  testCounts

	mu    sync.Mutex // guards state, which the signal relay reads
	state *testState // the state running, or nil
}

// runFile runs the selected tests of one file. Each state runs the file's
// top level and then one test; the first state also finds the tests.
func (r *testRunner) runFile(path string) {
	src, err := os.ReadFile(path)
	if err != nil {
		res := &testResult{File: path}
		res.fail(testFailure{Message: fmt.Sprintf("%s: %v", path, run.UnwrapPath(err)), Error: true})
		r.add(res)
		return
	}
	for next := 0; r.ctx.Err() == nil; {
		s := newTestState(path, r.modules)
		res := r.inState(s, src, func(names []string) int { return r.selectFrom(names, next) })
		if res != nil {
			r.add(res)
		}
		ran := s.ran()
		if ran < 0 {
			return // the file did not load, or no test is left
		}
		next = ran + 1
	}
}

// selectFrom is the index of the first test from index from that --run
// selects, or -1.
func (r *testRunner) selectFrom(names []string, from int) int {
	for i := from; i < len(names); i++ {
		if r.run == nil || r.run.MatchString(names[i]) {
			return i
		}
	}
	return -1
}

// inState runs one state, interrupting it on timeout or signal. A state
// that does not stop within the grace period after that is left running
// and reported as failed.
func (r *testRunner) inState(s *testState, src []byte, pick func([]string) int) *testResult {
	r.setState(s)
	defer r.setState(nil)
	done := make(chan *testResult, 1)
	go func() { done <- s.run(src, pick) }()
	var expired <-chan time.Time
	if r.timeout > 0 {
		timer := time.NewTimer(r.timeout)
		defer timer.Stop()
		expired = timer.C
	}
	select {
	case res := <-done:
		return res
	case <-expired:
		s.rt.Interrupt(&timeoutError{r.timeout})
	case <-r.ctx.Done():
		s.rt.Interrupt(context.Cause(r.ctx))
	}
	select {
	case res := <-done:
		return res
	case <-time.After(r.grace):
		return s.abandoned(r.grace)
	}
}

func (r *testRunner) setState(s *testState) {
	r.mu.Lock()
	r.state = s
	r.mu.Unlock()
}

// interruptState passes a signal to the state running, if any, and
// reports whether that stopped something: during the state's cleanup it
// stops the deferred function running.
func (r *testRunner) interruptState(sig os.Signal) bool {
	r.mu.Lock()
	s := r.state
	r.mu.Unlock()
	return s != nil && s.rt.Interrupt(&luabind.Interrupt{Signal: sig})
}

// abandoned is the result of a state left running: it did not stop after
// an interrupt, blocked in a call that ignores it.
func (s *testState) abandoned(grace time.Duration) *testResult {
	res := &testResult{File: s.path}
	if d := s.test(); d != nil {
		res.Name, res.Where = d.name, d.where
	}
	res.fail(testFailure{Error: true, Message: fmt.Sprintf(
		"%s: %v, and still running %v later: left behind; its lab namespaces and nft rules go when netlua exits, but not a pinned name or a netlink change made with undo",
		s.path, s.rt.Interrupted(), grace)})
	return res
}

func (r *testRunner) add(res *testResult) {
	r.counts.add(res.Status)
	for _, rep := range r.reports {
		rep.result(res)
	}
}

// end writes the end of every report.
func (r *testRunner) end() error {
	var first error
	for _, rep := range r.reports {
		if err := rep.end(r.counts); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// interrupted returns the signal that ended the run, or nil.
func (r *testRunner) interrupted() *luabind.Interrupt {
	intr, _ := context.Cause(r.ctx).(*luabind.Interrupt)
	return intr
}
