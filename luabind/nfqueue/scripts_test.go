package nfqueue

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// The two scripts of the seed's HTTP filter, each run by the netlua binary
// inside lab host b, with a TCP server in b and a client in a.
var httpScripts = []struct {
	path  string
	ready string         // the line that says the rule is in place
	after *regexp.Regexp // what the output says once traffic was dropped
}{
	{"scripts/drop_http.lua", `dropping: inet netlua input: meta l4proto tcp contains "HTTP" counter drop # handle `,
		regexp.MustCompile(`dropped [1-9]\d* packets`)},
	{"scripts/hook_http.lua", "judging in Lua: inet netlua input: meta l4proto tcp counter queue num 1024 bypass # handle ",
		regexp.MustCompile(`HTTP Detected: 198\.18\.0\.1:`)},
}

// A plain message gets through while the script runs and an HTTP request
// does not; once the script has ended, however it ended, the namespace's
// ruleset is empty and HTTP gets through again.
func TestHTTPScripts(t *testing.T) {
	ends := []struct {
		name string
		end  func(*scriptRun, *testing.T)
	}{
		{"normal end", (*scriptRun).waitEnd},
		{"SIGINT", (*scriptRun).interrupt},
		{"SIGKILL", (*scriptRun).kill},
	}
	for _, s := range httpScripts {
		for _, e := range ends {
			t.Run(strings.TrimPrefix(s.path, "scripts/")+", "+e.name, func(t *testing.T) {
				a, b := labtest.Pair(t)
				srv := serveTCP(t, b, 8080)
				run := startScript(t, b, s.path, "all", "4")
				if !strings.HasPrefix(run.first, s.ready) {
					t.Errorf("first line %q, want %q...", run.first, s.ready)
				}
				srv.expect(t, a, "hello", true)
				srv.expect(t, a, "GET / HTTP/1.1\r\nHost: lab\r\n\r\n", false)
				e.end(run, t)
				if e.name != "SIGKILL" && !s.after.MatchString(run.out.String()) {
					t.Errorf("output lacks %q:\n%s", s.after, run.out.String())
				}
				waitEmptyRuleset(t, b)
				srv.expect(t, a, "GET / HTTP/1.1\r\nHost: lab\r\n\r\n", true)
			})
		}
	}
}

// Two of the scripts in one namespace, as two students might run them:
// each gets a table of its own (the second's notice names the first's
// process) and a queue number of its own, both judge the traffic, and each
// end removes only its own table, whichever ends first (the first for two
// of the same script, the second for two different ones).
func TestHTTPScriptsSideBySide(t *testing.T) {
	for _, first := range httpScripts {
		for _, second := range httpScripts {
			name := strings.TrimPrefix(first.path, "scripts/") + " then " + strings.TrimPrefix(second.path, "scripts/")
			t.Run(name, func(t *testing.T) {
				a, b := labtest.Pair(t)
				srv := serveTCP(t, b, 8080)
				const http = "GET / HTTP/1.1\r\nHost: lab\r\n\r\n"
				one := startScript(t, b, first.path, "all")
				srv.expect(t, a, http, false)
				two := startScript(t, b, second.path, "all")
				want := strings.Replace(second.ready, "inet netlua ", "inet netlua_2 ", 1)
				if first.path == second.path {
					want = strings.Replace(want, "queue num 1024", "queue num 1025", 1)
				}
				if !strings.HasPrefix(two.first, want) {
					t.Errorf("the second's first line %q, want %q...", two.first, want)
				}
				srv.expect(t, a, "hello", true)
				srv.expect(t, a, http, false)
				order, stays := []*scriptRun{one, two}, "table inet netlua_2\n"
				if first.path != second.path {
					order, stays = []*scriptRun{two, one}, "table inet netlua\n"
				}
				order[0].interrupt(t)
				if got := labtest.NFT(t, b.NetNS(), "list", "tables"); got != stays {
					t.Errorf("tables after one ended: %q, want %q", got, stays)
				}
				srv.expect(t, a, http, false) // the other alone
				order[1].interrupt(t)
				waitEmptyRuleset(t, b)
				srv.expect(t, a, http, true)
				for _, r := range []struct {
					run   *scriptRun
					after *regexp.Regexp
				}{{one, first.after}, {two, second.after}} {
					if !r.after.MatchString(r.run.out.String()) {
						t.Errorf("output lacks %q:\n%s", r.after, r.run.out.String())
					}
				}
				notice := fmt.Sprintf("nft: inet netlua belongs to pid %d (netlua); this netlua's rules go in inet netlua_2", one.cmd.Process.Pid)
				if !strings.Contains(two.stderr.String(), notice) {
					t.Errorf("the second's stderr lacks %q:\n%s", notice, two.stderr.String())
				}
			})
		}
	}
}

// A tcpServer accepts connections in a lab host and hands on what each
// one sent.
type tcpServer struct {
	addr netip.AddrPort
	got  chan string
}

func serveTCP(t *testing.T, e *lab.End, port uint16) *tcpServer {
	t.Helper()
	s := &tcpServer{addr: netip.AddrPortFrom(e.Addr.Addr(), port), got: make(chan string, 16)}
	var ln net.Listener
	if err := e.NetNS().Do(func() (err error) { ln, err = net.Listen("tcp4", s.addr.String()); return err }); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetReadDeadline(time.Now().Add(3 * time.Second))
				buf := make([]byte, 4096)
				if n, err := c.Read(buf); err == nil {
					s.got <- string(buf[:n])
				}
			}()
		}
	}()
	return s
}

// expect connects from e, sends msg, and checks that it arrives (or not,
// within a second).
func (s *tcpServer) expect(t *testing.T, e *lab.End, msg string, arrives bool) {
	t.Helper()
	var c net.Conn
	err := e.NetNS().Do(func() (err error) { c, err = net.DialTimeout("tcp4", s.addr.String(), 2*time.Second); return err })
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	wait := time.Second
	if arrives {
		wait = 3 * time.Second
	}
	select {
	case got := <-s.got:
		if !arrives || got != msg {
			t.Errorf("the server got %q; want it to get %q: %v", got, msg, arrives)
		}
	case <-time.After(wait):
		if arrives {
			t.Errorf("%q never arrived", msg)
		}
	}
}

// A scriptRun is the netlua binary running a script inside a lab host.
type scriptRun struct {
	cmd    *exec.Cmd
	first  string // its first line of output
	out    bytes.Buffer
	stderr bytes.Buffer
	done   chan struct{} // closed when the output ends
}

// startScript starts the script in e's host and waits for its first line.
func startScript(t *testing.T, e *lab.End, script string, args ...string) *scriptRun {
	t.Helper()
	r := &scriptRun{cmd: exec.Command(testlab.Binary(t), append([]string{script}, args...)...), done: make(chan struct{})}
	r.cmd.Dir = testlab.Root()
	r.cmd.Stderr = &r.stderr
	stdout, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.NetNS().Do(r.cmd.Start); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.cmd.Process.Kill(); <-r.done; r.cmd.Wait() })
	first := make(chan string, 1)
	go func() {
		defer close(r.done)
		lines := bufio.NewScanner(stdout)
		for n := 0; lines.Scan(); n++ {
			if n == 0 {
				first <- lines.Text()
			}
			r.out.WriteString(lines.Text() + "\n")
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case r.first = <-first:
	case <-r.done: // the output ended, maybe after one line
		select {
		case r.first = <-first:
		default:
			r.cmd.Wait()
			t.Fatalf("%s ended without a line: %s", script, r.stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s never printed a line", script)
	}
	return r
}

// finish waits for the end of the run and checks its exit status.
func (r *scriptRun) finish(t *testing.T, status int) {
	t.Helper()
	<-r.done
	err := r.cmd.Wait()
	var exit *exec.ExitError
	switch {
	case status == 0 && err != nil, status != 0 && !errors.As(err, &exit):
		t.Fatalf("netlua: %v, want status %d\n%s", err, status, r.stderr.String())
	case status > 0 && exit.ExitCode() != status:
		t.Errorf("exit status %d, want %d\n%s", exit.ExitCode(), status, r.stderr.String())
	}
}

func (r *scriptRun) waitEnd(t *testing.T) { r.finish(t, 0) }

func (r *scriptRun) interrupt(t *testing.T) {
	r.cmd.Process.Signal(syscall.SIGINT)
	r.finish(t, 130)
}

// kill ends the run with SIGKILL: no cleanup code of netlua's runs.
func (r *scriptRun) kill(t *testing.T) {
	r.cmd.Process.Signal(syscall.SIGKILL)
	<-r.done
	r.cmd.Wait()
}

// waitEmptyRuleset waits until the namespace of e has no rules, for at
// most 2 s: the kernel drops a dead process's table when its socket goes.
func waitEmptyRuleset(t *testing.T, e *lab.End) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		got := labtest.NFT(t, e.NetNS(), "list", "ruleset")
		if got == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("ruleset after the script:\n%s", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
