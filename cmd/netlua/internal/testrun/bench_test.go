package testrun

import (
	"testing"
	"time"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"

	"github.com/netlua/netlua/luabind"
)

// stateSource is a typical test file: modules required at the top, one
// small test.
const stateSource = `local f = require "frame"
local lab = require "lab"
test("one check", function(t)
  t:eq(f.parse(f.build{ f.ether{}, f.ipv4{}, f.udp{} }).udp.dport, 53)
end)
`

// runOneState runs the file's first test in a fresh state, as the runner
// does for every test, and fails unless it passed.
func runOneState(tb testing.TB, mods []*luabind.Module) {
	res := newTestState("bench_test.lua", mods).run([]byte(stateSource), func([]string) int { return 0 })
	if res == nil || res.Status != testPassed {
		tb.Fatalf("the test did not pass: %+v", res)
	}
}

// BenchmarkTestState is the cost of one test's own Lua state: a fresh
// runtime, the harness, the file's top level, the test, the cleanup.
func BenchmarkTestState(b *testing.B) {
	mods := modules.All()
	for b.Loop() {
		runOneState(b, mods)
	}
}

// The budget: a test's own state costs under 5 ms. The fastest of
// 20 runs is taken, so that a busy machine does not fail the test.
func TestStateCostsUnder5ms(t *testing.T) {
	best, mods := time.Hour, modules.All()
	for range 20 {
		start := time.Now()
		runOneState(t, mods)
		best = min(best, time.Since(start))
	}
	if best > 5*time.Millisecond {
		t.Errorf("a test's state costs %v, the budget is 5 ms", best)
	}
	t.Logf("a test's state costs %v (fastest of 20)", best)
}
