package sock

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// endingLua opens, in namespaces the test holds, a listener, a connection
// both ways and a bound UDP socket; its wait() blocks in a recvfrom.
const endingLua = `
local sock = require "sock"
local l = sock.tcp{ netns = B }
l:setsockopt("SO_REUSEADDR", true)
l:bind(BIP, 6200)
l:listen()
local c = sock.tcp{ netns = A, timeout = 5 }
c:connect(BIP, 6200)
local s = l:accept(5)
local u = sock.udp{ netns = A }
u:bind(AIP, 6201)
local u6 = sock.udp{ netns = A }
u6:bind(AIP6, 6202)
function wait() u:recvfrom() end
`

// Whatever ends netlua, no socket it made is left in the namespaces: ss
// (sock_diag) lists none listening, connected or bound on their ports
// (TIME_WAIT and FIN_WAIT2 are the kernel's own, after a close).
func TestNothingLeftBehind(t *testing.T) {
	testlab.NeedTool(t, "ss", "iproute2")
	for _, e := range testlab.Endings {
		t.Run(e.Name, func(t *testing.T) {
			a, b := labtest.Pair(t)
			globals := fmt.Sprintf("A, B = %q, %q\nAIP, BIP, AIP6 = %q, %q, %q\n",
				childPath(a), childPath(b), a.Addr.Addr(), b.Addr.Addr(), a.Addr6.Addr())
			testlab.RunEnding(t, globals+endingLua+testlab.EndingLua, e, func([]string) {
				if left := sockets(t, a, b); !strings.Contains(left, ":6200") || !strings.Contains(left, ":6202") {
					t.Fatalf("the script's sockets are not there:\n%s", left)
				}
			})
			var left string
			for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
				if left = sockets(t, a, b); left == "" {
					return
				}
			}
			t.Errorf("left behind:\n%s", left)
		})
	}
}

// childPath names e's namespace for the netlua process the test starts:
// the descriptor this process holds it by.
func childPath(e *lab.End) string {
	return fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), e.NetNS().FD())
}

// sockets lists the TCP and UDP sockets of a and b on the script's ports,
// but those in TIME_WAIT or FIN_WAIT2.
func sockets(t *testing.T, a, b *lab.End) string {
	var left []string
	for _, e := range []*lab.End{a, b} {
		for _, line := range strings.Split(labtest.Run(t, e, "", "ss", "-tuanH"), "\n") {
			if strings.Contains(line, ":620") && !strings.Contains(line, "TIME-WAIT") && !strings.Contains(line, "FIN-WAIT-2") {
				left = append(left, e.Host.Name()+": "+line)
			}
		}
	}
	return strings.Join(left, "\n")
}

// The runtime's close closes every socket the script left open, at its
// normal end (a task parked in accept does not keep the script alive) and
// after an error (with an on() callback waiting), while the process goes on (as netlua test runs test
// after test): the netlua process's exit is not what closes them.
func TestRuntimeCloseClosesSockets(t *testing.T) {
	testlab.NeedTool(t, "ss", "iproute2")
	for _, ending := range []string{"h:cancel()", `error("boom")`} {
		a, b := labtest.Pair(t)
		out, err := pairRun(t, a, b, endingLua+`
			local t = sock.go(function() return l:accept() end)
			local h = u:on("readable", function() end)
			print(t.done, h.active)
			`+ending, nil)
		if (ending == "h:cancel()") != (err == nil) || out != "false\ttrue\n" {
			t.Fatalf("ending %q: %v\n%s", ending, err, out)
		}
		if left := sockets(t, a, b); left != "" {
			t.Errorf("ending %q: left behind:\n%s", ending, left)
		}
	}
}
