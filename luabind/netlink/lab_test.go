package netlink

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// A testLab is a lab pair for privileged tests, torn down when the test
// ends. Its namespaces are reached by path, /proc/PID/fd/N, which both
// nsenter (for ip and the scripts) and the Lua code under test (netns =
// path) take: nothing is named under /run/netns.
type testLab struct {
	a, b *lab.End
	nsA  string // a's namespace
	nsB  string
}

func newTestLab(t *testing.T) *testLab {
	t.Helper()
	a, b := labtest.Pair(t)
	return &testLab{a: a, b: b, nsA: nsPath(a), nsB: nsPath(b)}
}

// nsPath is the path of the namespace of e's host.
func nsPath(e *lab.End) string {
	return fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), e.NetNS().FD())
}

// inNS is the command running argv inside the namespace at path ns.
func inNS(ctx context.Context, ns string, argv ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "nsenter", append([]string{"--net=" + ns}, argv...)...)
}

// ip runs ip args inside ns and returns its output; a failure fails the
// test.
func ip(t *testing.T, ns string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := inNS(ctx, ns, append([]string{"ip"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// ipJSON runs ip -j args inside ns and decodes its output into v.
func ipJSON(t *testing.T, ns string, v any, args ...string) {
	t.Helper()
	out := ip(t, ns, append([]string{"-j"}, args...)...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("ip -j %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// lua runs code in a fresh runtime with the locals nl, loop, A and B
// (the paths of a's and b's namespaces), and returns what it printed.
func (tl *testLab) lua(t *testing.T, code string) string {
	t.Helper()
	return testlab.MustLua(t, tl.prelude()+code, luaModules()...)
}

// luaErr is lua for code that must fail: it returns the error's text.
func (tl *testLab) luaErr(t *testing.T, code string) string {
	t.Helper()
	_, err := testlab.RunLua(t, tl.prelude()+code, luaModules()...)
	if err == nil {
		t.Fatalf("no error from\n%s", code)
	}
	return err.Error()
}

func (tl *testLab) prelude() string {
	return fmt.Sprintf("local nl, loop = require 'netlink', require 'loop'; local A, B = %q, %q; ", tl.nsA, tl.nsB)
}

// sh defines the Lua functions ip(ns, args) and run(ns, command), which
// run commands in the lab from the Lua code, as a user changes things
// from another terminal while a script watches.
const sh = `local function run(ns, cmd) return os.execute("nsenter --net=" .. ns .. " " .. cmd) end
	local function ip(ns, args) assert(run(ns, "ip " .. args) == 0, args) end; `
