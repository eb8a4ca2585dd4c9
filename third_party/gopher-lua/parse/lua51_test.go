package parse_test

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/gopher-lua/parse"
)

// The oracle of the syntax-error tests is lua5.1 itself (Debian's lua5.1
// package): luac5.1 -p for one chunk, parsed as a file is, or one lua5.1
// process that runs loadstring on many.

// luac51 returns what luac5.1 -p says of src read from stdin (as
// "stdin:3: message near 'x'"), "" when it parses, or skips the test
// when luac5.1 is not installed.
func luac51(t testing.TB, src string) string {
	t.Helper()
	path, err := lookLuac()
	if err != nil {
		t.Skip("luac5.1 is not installed (Debian package lua5.1)")
	}
	cmd := exec.Command(path, "-p", "-")
	cmd.Stdin = strings.NewReader(src)
	out, err := cmd.CombinedOutput()
	if err == nil {
		return ""
	}
	if _, ok := err.(*exec.ExitError); !ok {
		t.Fatal(err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(string(out), path+": "), "\n")
}

func lookLuac() (string, error) { return exec.LookPath("luac5.1") }

// ourError is what Parse says of src named stdin, "" when it parses.
func ourError(src string) string {
	if _, err := parse.Parse(strings.NewReader(src), "stdin"); err != nil {
		return err.Error()
	}
	return ""
}

// lua51Batch is one lua5.1 process that parses chunk after chunk with
// loadstring(chunk, "=stdin"). It starts parsing one C call deeper than
// luac5.1, so its nesting limit comes one level sooner.
type lua51Batch struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

const batchScript = `
while true do
  local n = io.read("*n")
  if not n then break end
  io.read(1)
  local chunk = n > 0 and io.read(n) or ""
  local f, err = loadstring(chunk, "=stdin")
  local msg = f and "" or err
  io.write(#msg, "\n", msg)
  io.flush()
end
`

func newLua51Batch(t testing.TB) *lua51Batch {
	t.Helper()
	if _, err := exec.LookPath("lua5.1"); err != nil {
		t.Skip("lua5.1 is not installed (Debian package lua5.1)")
	}
	b, err := startLua51()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.close)
	return b
}

func startLua51() (*lua51Batch, error) {
	b := &lua51Batch{cmd: exec.Command("lua5.1", "-e", batchScript)}
	var err error
	if b.in, err = b.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := b.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	b.out = bufio.NewReader(stdout)
	return b, b.cmd.Start()
}

func (b *lua51Batch) close() {
	b.in.Close()
	b.cmd.Wait()
}

// check returns lua5.1's error for src, "" when it parses.
func (b *lua51Batch) check(t testing.TB, src string) string {
	t.Helper()
	if _, err := fmt.Fprintf(b.in, "%d\n%s", len(src), src); err != nil {
		t.Fatal(err)
	}
	line, err := b.out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("lua5.1 batch: %q", line)
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(b.out, msg); err != nil {
		t.Fatal(err)
	}
	return string(msg)
}
