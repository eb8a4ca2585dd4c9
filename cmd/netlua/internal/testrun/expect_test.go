package testrun

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind/testlab"
)

// The lab fixtures: t:expect on packet and raw IP sockets, a frame that
// lacks the layer the predicate reads passed over, its failure listing
// what arrived, a test blocked in recv stopped by --timeout, and
// a pinned lab namespace gone before the next test runs.
func TestRunnerInALab(t *testing.T) {
	testlab.Privileged(t)
	t.Setenv("NETLUA_FIXTURE_OUT", filepath.Join(t.TempDir(), "pinned"))
	res := testlab.Run(t, "", "test", "-v", "--timeout", "1", fixtures+"lab")
	if res.Code != cli.ExitError {
		t.Errorf("exit status %d, want %d\nstderr: %s", res.Code, cli.ExitError, res.Stderr)
	}
	dir := fixtures + "lab/"
	contains(t, res.Stdout,
		"--- PASS: "+dir+"expect_test.lua: a frame sent from a arrives at b (",
		"--- PASS: "+dir+"expect_test.lua: a raw IP socket's packets parse from the IP header (",
		"--- PASS: "+dir+"expect_test.lua: a frame without the layer the predicate reads does not match (",
		"--- FAIL: "+dir+"expect_test.lua: nothing matches (",
		dir+"expect_test.lua:48: t:expect: no match within 0.3 s; 3 frames arrived:\n",
		"1. ether 02:00:c6:12:00:01 > 02:00:c6:12:00:02 / ipv4 198.18.0.1 > 198.18.0.2 / udp 4000 > 5001 / 5 bytes\n",
		"3. ether 02:00:c6:12:00:01 > 02:00:c6:12:00:02 / ipv4 198.18.0.1 > 198.18.0.2 / udp 4000 > 5003 / 5 bytes\n",
		"--- FAIL: "+dir+"recv_test.lua: blocks in recv (",
		dir+"recv_test.lua:7: test timed out after 1s (--timeout)",
		"--- PASS: "+dir+"pin_test.lua: pins a lab namespace (",
		"--- PASS: "+dir+"pin_test.lua: the namespace is gone in the next test (",
		"5 passed, 2 failed, 0 skipped",
	)
	if strings.Contains(res.Stdout, "expect should have stopped the test") {
		t.Errorf("a check ran after a failed t:expect:\n%s", res.Stdout)
	}
}
