package nfqueue

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/nfq"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// exitScript queues UDP to port 9999 behind a verdict function that never
// answers in time, and ends as arg[1] says: "signal" waits in the verdict
// function for the test's signal (printing, so that a closed pipe ends it
// too); "exit" calls os.exit(3) in the verdict function once 30 packets
// wait; "main exit" and "error" call os.exit(4) or raise an error in
// the main chunk once they wait there.
const exitScript = `
local nfq = require "nfqueue"
local how = arg[1]

-- queued is the number of packets queue num holds, as the kernel counts them.
local function queued(num)
  local total = 0
  for line in io.lines("/proc/self/net/netfilter/nfnetlink_queue") do
    local n, t = line:match("^%s*(%d+)%s+%d+%s+(%d+)")
    if tonumber(n) == num then total = tonumber(t) end
  end
  return total
end

local function wait_full(h)
  local deadline = now() + 10
  while queued(h.queue) < 30 do
    if now() > deadline then error("30 packets never waited") end
    sleep(0.01)
  end
end

local h
h = nfq.hook({ proto = "udp", dport = 9999 }, function(pkt)
  print("judging " .. pkt.id)
  if how == "exit" then
    wait_full(h)
    os.exit(3)
  end
  for _ = 1, 600 do -- until the signal, at most a minute
    print("waiting")
    sleep(0.1)
  end
end)
print("queue " .. h.queue)
if how == "main exit" then
  wait_full(h)
  os.exit(4)
elseif how == "error" then
  wait_full(h)
  error("boom")
end
`

// countRule counts, in a table of the test's own in e, the UDP packets to
// port 9999 that reach the input hook after netlua's chain: those the
// queue let pass.
func countRule(t *testing.T, e *lab.End) {
	t.Helper()
	labtest.Run(t, e, "table inet counted {\n chain input {\n  type filter hook input priority 10; policy accept;\n  udp dport 9999 counter\n }\n}\n", "nft", "-f", "-")
}

var counterText = regexp.MustCompile(`counter packets (\d+)`)

// counted is what countRule's counter has seen.
func counted(t *testing.T, e *lab.End) int {
	t.Helper()
	m := counterText.FindStringSubmatch(labtest.NFT(t, e.NetNS(), "list", "table", "inet", "counted"))
	if m == nil {
		t.Fatal("the counting rule is gone")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// waitQueued waits until queue num of ns holds n packets, for at most 10 s.
func waitQueued(t *testing.T, ns *netns.NS, num, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var data []byte
		ns.Do(func() (err error) { data, err = os.ReadFile(nfq.QueueList); return err })
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) > 2 && f[0] == strconv.Itoa(num) && f[2] == strconv.Itoa(n) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue %d never held %d packets:\n%s", num, n, data)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// However netlua ends, every packet queued behind a verdict function that
// has not answered passes: the hook accepts them before its rule and its
// table go (deleting the table first would have the kernel drop them).
func TestQueuedPacketsPassAtExit(t *testing.T) {
	script := filepath.Join(t.TempDir(), "exit.lua")
	if err := os.WriteFile(script, []byte(exitScript), 0o644); err != nil {
		t.Fatal(err)
	}
	ends := []struct {
		name   string
		how    string
		end    func(*exitRun)
		status int
	}{
		{"SIGINT", "signal", signal(syscall.SIGINT), 130},
		{"SIGTERM", "signal", signal(syscall.SIGTERM), 143},
		{"SIGHUP", "signal", signal(syscall.SIGHUP), 129},
		{"closed pipe", "signal", (*exitRun).closeOutput, 141},
		{"os.exit in the verdict function", "exit", nil, 3},
		{"os.exit in the main chunk", "main exit", nil, 4},
		{"error in the main chunk", "error", nil, 1},
	}
	for _, e := range ends {
		t.Run(e.name, func(t *testing.T) {
			a, b := labtest.Pair(t)
			countRule(t, b)
			n := startExitRun(t, b, script, e.how)
			n.out.WaitFor(t, "queue ", 10*time.Second)
			var num int
			fmt.Sscanf(n.out.String(), "queue %d", &num)
			labtest.SendUDP(t, a, 9999, payloads(30)...)
			if e.end != nil {
				waitQueued(t, b.NetNS(), num, 30)
				n.out.WaitFor(t, "judging 1", 10*time.Second)
				e.end(n)
			}
			if status := n.wait(t); status != e.status {
				t.Errorf("exit status %d, want %d\n%s", status, e.status, n.stderr.String())
			}
			if got := counted(t, b); got != 30 {
				t.Errorf("%d of the 30 queued packets passed\n%s", got, n.stderr.String())
			}
			if got := labtest.NFT(t, b.NetNS(), "list", "tables"); got != "table inet counted\n" {
				t.Errorf("tables after netlua: %q", got)
			}
		})
	}
}

// An exitRun is the netlua binary running exitScript in a lab host, its
// standard output a pipe that the test may close.
type exitRun struct {
	cmd    *exec.Cmd
	out    *labtest.Lines
	pipe   *os.File // the pipe's reading end
	stderr bytes.Buffer
}

func startExitRun(t *testing.T, e *lab.End, script, how string) *exitRun {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	n := &exitRun{cmd: exec.Command(testlab.Binary(t), script, how), pipe: r}
	n.cmd.Stdout, n.cmd.Stderr = w, &n.stderr
	labtest.Start(t, e, n.cmd)
	w.Close()
	t.Cleanup(func() { r.Close() })
	n.out = labtest.Collect(r)
	return n
}

func signal(sig os.Signal) func(*exitRun) {
	return func(n *exitRun) { n.cmd.Process.Signal(sig) }
}

// closeOutput closes the reading end of netlua's standard output, so that
// its next print meets a closed pipe.
func (n *exitRun) closeOutput() { n.pipe.Close() }

// wait waits for netlua to end, for at most 20 s, and returns its status.
func (n *exitRun) wait(t *testing.T) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- n.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		n.cmd.Process.Kill()
		<-done
		t.Fatalf("netlua still ran after 20 s\n%s", n.stderr.String())
	}
	return n.cmd.ProcessState.ExitCode()
}
