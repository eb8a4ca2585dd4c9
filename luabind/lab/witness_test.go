package lab

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A witness tells when every process of a set is gone, by asking the
// kernel rather than pid numbers or a scan of /proc: the processes hold
// the FIFO Out open for writing, and its reader sees end of file only when
// the last of them has closed it, which a process does at the latest when
// it dies. Each process announces itself with a line on Out first, so the
// test knows they all hold it.
//
// Their standard input is the FIFO In, whose only writer is the test: when
// the test ends it closes In, so processes that were meant to be killed
// and were not (a failure) read end of file and exit instead of lingering.
type witness struct {
	In, Out string   // the FIFOs' paths
	in      *os.File // the test's end of In, open for reading and writing
	out     *os.File // the test's end of Out, open for reading
	seen    []string // the lines read from Out so far
	partial string   // the start of a line not ended yet
}

// newWitness makes the FIFOs in a temporary directory of the test.
func newWitness(t *testing.T) *witness {
	t.Helper()
	dir := t.TempDir()
	w := &witness{In: filepath.Join(dir, "in"), Out: filepath.Join(dir, "out")}
	for _, p := range []string{w.In, w.Out} {
		if err := unix.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	// O_RDWR: the open does not wait for a reader, and the test is In's writer.
	if w.in, err = os.OpenFile(w.In, os.O_RDWR, 0); err != nil {
		t.Fatal(err)
	}
	// O_NONBLOCK: the open does not wait for a writer, and reads take deadlines.
	if w.out, err = os.OpenFile(w.Out, os.O_RDONLY|syscall.O_NONBLOCK, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.in.Close(); w.out.Close() })
	return w
}

// detachScript, run by sh with the witness's In and Out as $1 and $2,
// leaves three processes behind, each escaping its command its own way:
// setsid (a new session and process group), a double fork (orphaned at
// once), and a plain & (left in the command's process group). Each holds
// Out and announces itself there by how it left.
const detachScript = `
setsid sh -c 'echo setsid; exec cat' <"$1" >"$2" 2>&1 &
(sh -c 'echo double; exec cat' <"$1" >"$2" 2>&1 &)
sh -c 'echo plain; exec cat' <"$1" >"$2" 2>&1 &
`

// detached are the lines the processes of detachScript announce.
var detached = []string{"setsid", "double", "plain"}

// detach is the command that runs detachScript against the witness.
func (w *witness) detach() []string {
	return []string{"sh", "-c", detachScript, "sh", w.In, w.Out}
}

// waitAnnounced waits until every line of want was read from Out, for at
// most d, and fails the test if one is missing.
func (w *witness) waitAnnounced(t *testing.T, d time.Duration, want ...string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !w.saw(want) {
		if time.Now().After(deadline) {
			t.Fatalf("announced %q, want %q", w.seen, want)
		}
		if err := w.read(deadline); errors.Is(err, io.EOF) {
			// No writer yet: the processes have not opened Out.
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// saw reports whether every line of want was read.
func (w *witness) saw(want []string) bool {
	for _, s := range want {
		if !slices.Contains(w.seen, s) {
			return false
		}
	}
	return true
}

// gone waits for end of file on Out, for at most d: then every process
// that held it is gone. Call it after waitAnnounced.
func (w *witness) gone(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if err := w.read(deadline); errors.Is(err, io.EOF) {
			return true
		}
	}
	return false
}

// read reads what Out has, until deadline, and records the lines.
func (w *witness) read(deadline time.Time) error {
	w.out.SetReadDeadline(deadline)
	buf := make([]byte, 512)
	n, err := w.out.Read(buf)
	lines := strings.Split(w.partial+string(buf[:n]), "\n")
	w.partial = lines[len(lines)-1]
	w.seen = append(w.seen, lines[:len(lines)-1]...)
	return err
}
