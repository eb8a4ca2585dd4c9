package repl

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// labStatement is the prompt's first statement in these tests: a lab
// pair, sa sending on a and sb receiving the frames fr on b.
const labStatement = `a, b = lab.pair(); sa = packet.open(a.ifname, { netns = a, proto = 0x88b6 }); ` +
	`sb = packet.open(b.ifname, { netns = b, proto = 0x88b5 }); ` +
	`fr = frame.build{ frame.ether{ src = a.mac, dst = b.mac, type = 0x88b5 }, ("x"):rep(50) }`

// An on() started by one statement lives through ^C of a later one, even
// a blast on the same socket: the next loop.run() delivers to it.
func TestPromptOnSurvivesInterrupt(t *testing.T) {
	testlab.Privileged(t)
	p := startPTY(t, t.TempDir())
	p.statement(labStatement, "\n")
	p.statement(`n = 0; sb:on(function() n = n + 1; if n == 3 then loop.stop() end end)`, "\n")

	back := `frame.build{ frame.ether{ src = b.mac, dst = a.mac, type = 0x88b5 }, "back" }`
	p.send(`sb:blast(` + back + `, { duration = 100, rate = 10 })` + "\r")
	p.expect("blast: ") // its progress line: it runs
	p.send("\x03")
	p.expect("> ")
	p.send(`print("sleeping"); sleep(100)` + "\r")
	p.expect("sleeping\n")
	p.send("\x03")
	p.expect("interrupted")
	p.expect("> ")

	p.statement(`for i = 1, 3 do sa:send(fr) end; loop.run(); print("delivered", n)`, "\ndelivered\t3\n")
	p.send("\x04")
	if code := p.exit(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
}

// ^C ends s:capture, which returns what it got: at the prompt the
// statement completes, its result shown below the ^C or assigned.
func TestPromptCaptureInterrupted(t *testing.T) {
	testlab.Privileged(t)
	dir := t.TempDir()
	p := startPTY(t, t.TempDir())
	p.statement(labStatement+`; DIR = "`+dir+`"`, "\n")

	p.send(`sb:capture{ file = DIR .. "/1.pcap", duration = 100 }` + "\r")
	waitForFile(t, filepath.Join(dir, "1.pcap"))
	p.send("\x03")
	p.expect("^C\n{\n  captured = 0,\n  dropped = 0,\n}\n> ")

	p.send(`r = sb:capture{ file = DIR .. "/2.pcap", duration = 100 }` + "\r")
	waitForFile(t, filepath.Join(dir, "2.pcap"))
	p.send("\x03")
	p.expect("^C\n> ")
	p.statement(`r.captured, r.dropped`, "\n0\t0\n")
	p.send("\x04")
	if code := p.exit(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
}

// waitForFile waits up to 10 s for the file name to exist: a capture
// creates its file before it waits for frames.
func waitForFile(t *testing.T, name string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(name); err == nil {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("no %s within 10 s", name)
		}
	}
}
