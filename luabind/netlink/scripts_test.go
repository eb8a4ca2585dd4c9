package netlink

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// A scriptRun is a script of scripts/ running in a lab namespace, read
// line by line as it prints.
type scriptRun struct {
	cmd    *exec.Cmd
	lines  chan string
	out    strings.Builder // every line so far
	stderr bytes.Buffer
}

// startScript runs netlua scripts/NAME args inside the namespace ns.
func startScript(t *testing.T, ns, name string, args ...string) *scriptRun {
	t.Helper()
	argv := append([]string{testlab.Binary(t), "scripts/" + name}, args...)
	r := &scriptRun{cmd: inNS(context.Background(), ns, argv...), lines: make(chan string, 1000)}
	r.cmd.Dir = testlab.Root()
	r.cmd.Stderr = &r.stderr
	stdout, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.cmd.Process.Kill(); r.cmd.Wait() })
	go func() {
		for s := bufio.NewScanner(stdout); s.Scan(); {
			r.lines <- s.Text()
		}
		close(r.lines)
	}()
	return r
}

// waitFor returns the next line that matches re, within 10 s.
func (r *scriptRun) waitFor(t *testing.T, re string) string {
	t.Helper()
	want := regexp.MustCompile(re)
	timeout := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-r.lines:
			if !ok {
				t.Fatalf("the script ended without a line matching %q:\n%s\nstderr:\n%s", re, r.out.String(), r.stderr.String())
			}
			r.out.WriteString(line + "\n")
			if want.MatchString(line) {
				return line
			}
		case <-timeout:
			t.Fatalf("no line matching %q within 10 s:\n%s", re, r.out.String())
		}
	}
}

// interrupt sends ^C and checks that the script ends with status 130.
func (r *scriptRun) interrupt(t *testing.T) {
	t.Helper()
	r.cmd.Process.Signal(syscall.SIGINT)
	err := r.cmd.Wait()
	if r.cmd.ProcessState.ExitCode() != 130 {
		t.Errorf("after ^C: %v, want exit status 130\nstderr:\n%s", err, r.stderr.String())
	}
}

// ipPID runs ip args inside ns and returns the pid it ran as: the
// netlink port of its requests (nsenter execs ip in its own process).
func ipPID(t *testing.T, ns string, args ...string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := inNS(ctx, ns, append([]string{"ip"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return cmd.Process.Pid
}

func TestDetectChgEventScript(t *testing.T) {
	tl := newTestLab(t)
	addr := tl.a.Addr.Addr().String()
	r := startScript(t, tl.nsA, "detect_chg_event.lua", "veth0")
	r.waitFor(t, "^veth0: "+addr+" active, link up, mtu 1500$")
	steps := []struct {
		ip   []string
		line string
	}{
		{[]string{"link", "set", "veth0", "mtu", "1501"}, "^RTM_NEWLINK veth0: " + addr + " active, link up, mtu 1501$"},
		{[]string{"link", "set", "veth0", "down"}, "^RTM_NEWLINK veth0: " + addr + " inactive, link down, mtu 1501$"},
		{[]string{"link", "set", "veth0", "up"}, "^RTM_NEWLINK veth0: " + addr + " active, link up, mtu 1501$"},
		{[]string{"addr", "del", tl.a.Addr.String(), "dev", "veth0"}, "^RTM_DELADDR veth0: fe80::[0-9a-f:]+ active, link up, mtu 1501$"},
		{[]string{"addr", "add", "198.18.0.77/24", "dev", "veth0"}, "^RTM_NEWADDR veth0: 198.18.0.77 active, link up, mtu 1501$"},
	}
	for _, s := range steps {
		ip(t, tl.nsA, s.ip...)
		r.waitFor(t, s.line)
	}
	ip(t, tl.nsB, "link", "set", "veth0", "mtu", "1400") // b's side: not a's interface
	ip(t, tl.nsA, "link", "set", "lo", "mtu", "1400")    // another interface of a
	ip(t, tl.nsA, "link", "set", "veth0", "mtu", "1500")
	if line := r.waitFor(t, "RTM_"); !strings.HasSuffix(line, "mtu 1500") {
		t.Errorf("a line about another interface: %s", line)
	}
	r.interrupt(t)
}

func TestDetectChgEventUnknownInterface(t *testing.T) {
	tl := newTestLab(t)
	r := startScript(t, tl.nsA, "detect_chg_event.lua", "eth9")
	r.cmd.Wait()
	if want := "netlink.link: eth9: no such interface (have: lo, veth0)"; !strings.Contains(r.stderr.String(), want) {
		t.Errorf("stderr:\n%s\nwant %s", r.stderr.String(), want)
	}
}

func TestRouteMonitorScript(t *testing.T) {
	tl := newTestLab(t)
	gw := tl.b.Addr.Addr().String()
	r := startScript(t, tl.nsA, "route_monitor.lua")
	r.waitFor(t, "^watching IPv4 routes and addresses; \\^C to stop$")
	seqPid := func(pid int) string { return fmt.Sprintf(`Seq: (\d+) +Pid: %d +`, pid) }

	pid := ipPID(t, tl.nsA, "route", "add", "198.18.9.0/24", "via", gw)
	line := r.waitFor(t, "^RTM_NEWROUTE +"+seqPid(pid)+"198.18.9.0/24 via "+gw+" dev veth0 proto boot$")
	checkSeq(t, line)
	pid = ipPID(t, tl.nsA, "addr", "add", "198.18.0.7/24", "dev", "veth0")
	r.waitFor(t, "^RTM_NEWADDR +"+seqPid(pid)+"198.18.0.7/24 dev veth0 scope global$")
	r.waitFor(t, `^RTM_NEWROUTE +Seq: 0 +Pid: 0 +local 198.18.0.7/32 dev veth0 table local proto kernel scope host src 198.18.0.1$`)
	pid = ipPID(t, tl.nsA, "route", "del", "198.18.9.0/24")
	r.waitFor(t, "^RTM_DELROUTE +"+seqPid(pid)+"198.18.9.0/24 via "+gw+" dev veth0 proto boot$")
	// Going down drops the subnet route without a message: netlua reports it.
	ip(t, tl.nsA, "link", "set", "veth0", "down")
	r.waitFor(t, `^RTM_DELROUTE +Seq: 0 +Pid: 0 +198.18.0.0/24 dev veth0 proto kernel scope link src 198.18.0.1  \(resync\)$`)
	r.interrupt(t)
}

// checkSeq checks that the Seq of a line from ip's request is ip's: the
// time it started.
func checkSeq(t *testing.T, line string) {
	t.Helper()
	m := regexp.MustCompile(`Seq: (\d+)`).FindStringSubmatch(line)
	seq, _ := strconv.ParseInt(m[1], 10, 64)
	if now := time.Now().Unix(); seq < now-60 || seq > now+60 {
		t.Errorf("Seq %d is not ip's (the time it started, about %d)", seq, now)
	}
}

func TestBenchScript(t *testing.T) {
	testlab.Privileged(t)
	res := testlab.Run(t, "", "scripts/bench/netlink.lua", "2000")
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	for _, re := range []string{
		`(?m)^burst: 2000 routes added by ip -batch in [0-9.]+ s \(\d+ routes/s\)$`,
		`(?m)^burst: 2000 of 2000 events, 0 lost, 0 overruns, rcvbuf \d+$`,
		`(?m)^lua: 2000 callbacks in [0-9.]+ s after ip ended \(\d+ events/s\)$`,
		`(?m)^latency: 200 changes, request to callback median \d+ us, p99 \d+ us; reply to callback median \d+ us$`,
	} {
		if !regexp.MustCompile(re).MatchString(res.Stdout) {
			t.Errorf("output lacks %s:\n%s", re, res.Stdout)
		}
	}
	if res.Code = testlab.Run(t, "", "scripts/bench/netlink.lua", "0").Code; res.Code != 2 {
		t.Errorf("ROUTES 0: exit %d, want 2 (usage)", res.Code)
	}
}
