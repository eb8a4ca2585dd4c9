package repl

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
)

func TestREPL(t *testing.T) {
	in := strings.Join([]string{
		"1 + 1",
		"x = 3",
		"=x * 2",
		"for i = 1, 2 do",
		"  print('line', i)",
		"end",
		"error('oops')",
		"local = 1",
		"print('still here')",
	}, "\n")
	var out, errb strings.Builder
	if code := Main("test", modules.All(), strings.NewReader(in), &out, &errb); code != 0 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{"> 2\n", "> 6\n", ">> >> line\t1\nline\t2\n", "still here\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	for _, want := range []string{"stdin:1: oops", "stdin:1: '<name>' expected near '='"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("errors lack %q:\n%s", want, errb.String())
		}
	}
}

// replRun feeds lines to a prompt reading from a pipe and returns its
// status and output.
func replRun(t *testing.T, lines ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	code := Main("test", modules.All(), strings.NewReader(strings.Join(lines, "\n")), &out, &errb)
	return code, out.String(), errb.String()
}

func TestREPLShowsValues(t *testing.T) {
	code, out, errb := replRun(t,
		`"text"`,
		`"a\0b"`,
		`1, "two", nil`,
		`{1, x = {y = true}}`,
		`setmetatable({}, {__tostring = function() return "custom" end})`,
		`packet.open ~= nil`,
		`p = frame.parse(frame.build{frame.ether{}, "hi"})`,
		`p`,
		`frame.show(p)`,
		`print("printed")`,
	)
	if code != 0 || errb != "" {
		t.Fatalf("status %d, errors %q", code, errb)
	}
	for _, want := range []string{
		"> text\n",
		`> "a\000b"` + "\n",
		"> 1\ttwo\tnil\n",
		"> {\n  1,\n  x = {\n    y = true,\n  },\n}\n",
		"> custom\n",
		"> true\n", // a registered module's name reads as the module
		"> printed\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// A parsed frame shows as frame.show draws it, and frame.show, which
	// prints what it returns, shows it once.
	if n := strings.Count(out, "###[ ether ]###"); n != 2 {
		t.Errorf("the frame is drawn %d times, want 2:\n%s", n, out)
	}
}

func TestREPLLeaves(t *testing.T) {
	code, out, _ := replRun(t, `loop.defer(function() print("deferred ran") end)`, `os.exit(4)`, `print("not reached")`)
	if code != 4 || !strings.Contains(out, "deferred ran") || strings.Contains(out, "not reached") {
		t.Errorf("os.exit(4): status %d, output:\n%s", code, out)
	}
	code, out, _ = replRun(t, `loop.defer(function() print("deferred ran") end)`)
	if code != 0 || !strings.Contains(out, "deferred ran") {
		t.Errorf("end of input: status %d, output:\n%s", code, out)
	}
	code, _, errb := replRun(t, `loop.defer(function() error("cleanup failed") end)`)
	if code != cli.ExitError || !strings.Contains(errb, "cleanup failed") {
		t.Errorf("failing cleanup: status %d, errors:\n%s", code, errb)
	}
}

// SIGTERM ends a prompt that reads plain lines (stdout not a terminal)
// while it waits for a line, as it does the editor's.
func TestPlainLinesWakeUp(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	p := newPlainLines(r, io.Discard)
	go func() { time.Sleep(20 * time.Millisecond); p.wakeUp() }()
	if _, err := p.readLine("> "); !errors.Is(err, errTerminated) {
		t.Errorf("readLine after wakeUp: %v, want errTerminated", err)
	}
	p.wakeUp() // twice is fine
	if _, err := p.readLine("> "); !errors.Is(err, errTerminated) {
		t.Errorf("a later readLine: %v, want errTerminated", err)
	}
}

// A line the prompt cannot read ends the session with a message, not as
// if input had ended.
func TestREPLReadError(t *testing.T) {
	code, _, errb := replRun(t, strings.Repeat("x", 1<<17))
	if code != cli.ExitError || !strings.Contains(errb, "netlua: reading the prompt's input: bufio.Scanner: token too long") {
		t.Errorf("status %d, errors %q", code, errb)
	}
}
