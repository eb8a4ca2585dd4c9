package run

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// A wayOut is one way a script can end. Whichever it is, netlua exits
// with its status and no Go trace, and cleans up: the deferred function
// of the prologue prints "deferred ran", then the ledger's entry prints
// "undo ran".
type wayOut struct {
	name     string
	code     string // runs after wayOutPrologue; prints "ready"
	drive    func(t *testing.T, p *started)
	status   int
	stderr   []string // substrings
	stderrRE string   // a regular expression, if not empty
	memory   string   // NETLUA_MEMORY, if not empty
}

const wayOutPrologue = `local loop, hooks = require 'loop', require 'netlua_test'
hooks.undo_prints('undo ran')
loop.defer(function() print('deferred ran') end)
`

const cleanedUp = "deferred ran\nundo ran"

// proceed lets a script waiting in io.read() go on.
func proceed(t *testing.T, p *started) {
	if _, err := io.WriteString(p.stdin, "\n"); err != nil {
		t.Fatal(err)
	}
}

// signals sends each signal, and before each one after the first waits
// for the line the previous one leads to.
func signals(sigs []syscall.Signal, awaits ...string) func(*testing.T, *started) {
	return func(t *testing.T, p *started) {
		for i, sig := range sigs {
			if i > 0 {
				p.await(t, awaits[i-1])
			}
			p.cmd.Process.Signal(sig)
		}
	}
}

// blockedTwice registers two deferred functions that block, the first
// in the VM, the second in sleep, which run before the prologue's.
const blockedTwice = `loop.defer(function() print('blocked in a loop') while true do end end)
loop.defer(function() print('blocked in sleep') sleep(1e8) end)
print('ready') sleep(1e8)`

// The ways out. A script that ends by itself waits in io.read() after
// "ready" until the test lets it go on, so that the test can look at what
// it made first.
var waysOut = []wayOut{
	{name: "normal end", code: `print('ready') io.read()`, drive: proceed, status: 0},
	{name: "error", code: `print('ready') io.read() error('boom')`, drive: proceed, status: 1, stderr: []string{"(command line):4: boom"}},
	{name: "os.exit", code: `print('ready') io.read() os.exit(5)`, drive: proceed, status: 5},
	{name: "os.exit in a deferred function", code: `loop.defer(function() os.exit(7) print('not reached') end) print('ready') io.read()`, drive: proceed, status: 7},
	{name: "panic in a job", code: `print('ready') io.read() hooks.panic_in_job()`, drive: proceed, status: 1,
		stderr: []string{"loop: internal error: runtime error: index out of range [3] with length 0 (a bug in netlua; please report it with the script)"}},
	{name: "panic in a timer", code: `print('ready') io.read() hooks.panic_in_timer(0)`, drive: proceed, status: 1,
		stderr: []string{"timer: internal error: runtime error: index out of range"}},
	{name: "panic in an undo function", code: `hooks.panic_in_undo() print('ready') io.read()`, drive: proceed, status: 1,
		stderr: []string{"netlua: cleanup: undo netlua_test: internal error: runtime error: index out of range"}},
	{name: "nesting bomb", code: `print('ready') io.read() assert(loadstring('return ' .. ('{'):rep(1e6) .. ('}'):rep(1e6)))`,
		drive: proceed, status: 1, stderr: []string{"chunk has too many syntax levels"}},
	{name: "memory bomb", code: `print('ready') io.read() local t = {} while true do t[#t + 1] = ("x"):rep(1e6) .. #t end`,
		memory: "64MiB", drive: proceed, status: 1, stderr: []string{"not enough memory"}},
	{name: "SIGINT", code: `print('ready') sleep(1e8)`, drive: signals([]syscall.Signal{syscall.SIGINT}), status: 130},
	{name: "SIGTERM", code: `print('ready') sleep(1e8)`, drive: signals([]syscall.Signal{syscall.SIGTERM}), status: 143},
	{name: "SIGHUP", code: `print('ready') sleep(1e8)`, drive: signals([]syscall.Signal{syscall.SIGHUP}), status: 129},
	{name: "blocking deferred functions, SIGINT thrice", code: blockedTwice,
		drive:  signals([]syscall.Signal{syscall.SIGINT, syscall.SIGINT, syscall.SIGINT}, "blocked in sleep", "blocked in a loop"),
		status: 130,
		stderr: []string{"netlua: SIGINT: stopped the deferred function running", ":4: interrupted (SIGINT)"},
		// The signal may come before sleep starts, or in it.
		stderrRE: `:5: (sleep: )?interrupted \(SIGINT\)`},
	{name: "blocking deferred functions, SIGTERM thrice", code: blockedTwice,
		drive:  signals([]syscall.Signal{syscall.SIGTERM, syscall.SIGTERM, syscall.SIGTERM}, "blocked in sleep", "blocked in a loop"),
		status: 143,
		stderr: []string{"netlua: SIGTERM: stopped the deferred function running", ":4: interrupted (SIGTERM)"},
		// The signal may come before sleep starts, or in it.
		stderrRE: `:5: (sleep: )?interrupted \(SIGTERM\)`},
}

// run runs the way out after prologue and checks how netlua ended. ready,
// if not nil, runs once the script printed "ready"; done runs after it
// exited.
func (w wayOut) run(t *testing.T, prologue string, ready, done func()) {
	if w.memory != "" {
		t.Setenv("NETLUA_MEMORY", w.memory)
	}
	p := start(t, prologue+w.code)
	if ready != nil {
		ready()
	}
	if w.drive != nil {
		w.drive(t, p)
	}
	status, rest := p.wait(t)
	if status != w.status || rest != cleanedUp {
		t.Errorf("status %d, output after ready %q; want %d and %q\nstderr: %s", status, rest, w.status, cleanedUp, p.stderr.String())
	}
	for _, s := range w.stderr {
		if !strings.Contains(p.stderr.String(), s) {
			t.Errorf("stderr lacks %q:\n%s", s, p.stderr.String())
		}
	}
	if w.stderrRE != "" && !regexp.MustCompile(w.stderrRE).MatchString(p.stderr.String()) {
		t.Errorf("stderr does not match %s:\n%s", w.stderrRE, p.stderr.String())
	}
	testlab.NoGoTrace(t, p.stderr.String())
	if done != nil {
		done()
	}
}

func TestEveryWayOutCleansUp(t *testing.T) {
	for _, w := range waysOut {
		t.Run(w.name, func(t *testing.T) { w.run(t, wayOutPrologue, nil, nil) })
	}
}

// Every way out removes the names a pinned lab gave its namespaces.
func TestEveryWayOutUnpinsTheLab(t *testing.T) {
	testlab.Privileged(t)
	for _, w := range waysOut {
		t.Run(w.name, func(t *testing.T) {
			setup, ready, done := pinnedLab(t)
			// On the prologue's last line, so that line numbers stay.
			prologue := strings.TrimSuffix(wayOutPrologue, "\n") + " " + setup + "\n"
			w.run(t, prologue, ready, done)
		})
	}
}

// pinnedLab returns a line of Lua that makes a pinned lab.pair and writes
// the names it pinned to a file of the test's, and checks of those names:
// ready fails the test unless both are namespaces, done unless both are
// gone (and removes what is left). Only the names the script reports
// count, whatever else lies under /run/netns.
func pinnedLab(t *testing.T) (setup string, ready, done func()) {
	report := filepath.Join(t.TempDir(), "pins")
	setup = fmt.Sprintf(`local a, b = require('lab').pair{ pin = true } `+
		`local f = assert(io.open(%q, 'w')) f:write(a.netns, '\n', b.netns, '\n') f:close()`, report)
	var names []string
	ready = func() {
		data, err := os.ReadFile(report)
		names = strings.Fields(string(data))
		if err != nil || len(names) != 2 {
			t.Fatalf("the script reported pins %q (%v), want two names", data, err)
		}
		for _, name := range names {
			if !testlab.IsPinned(name) {
				t.Fatalf("the lab is not pinned: %s is not a namespace", testlab.PinPath(name))
			}
		}
	}
	done = func() {
		for _, name := range names {
			if _, err := os.Lstat(testlab.PinPath(name)); err == nil {
				exec.Command("ip", "netns", "delete", name).Run()
				t.Errorf("%s is left behind", testlab.PinPath(name))
			}
		}
	}
	return setup, ready, done
}
