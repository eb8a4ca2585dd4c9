package stdlib_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// cleanupLua opens a connection with tcptest outside netlua test (a t of
// its own), with the harness's sysctls, neighbour entry and offloads set,
// prints both hosts' namespaces, then ends as testlab.EndingLua says.
const cleanupLua = `
local tcptest = require "tcptest"
local tt = tcptest.new(require("test").new("cleanup"), { sysctl = { ["net.ipv4.tcp_sack"] = 0, ["net.ipv4.tcp_orphan_retries"] = ORPHAN_RETRIES } })
local l = tt:listen(8080)
tt:inject{ flags = "S", seq = 0, win = 1000 }
tt:expect{ flags = "SA", seq = 0, ack = 1 }
tt:inject{ flags = ".", seq = 1, ack = 1, win = 1000 }
local c = l:accept()
c:send("x")
tt:expect{ flags = "PA", seq = 1, len = 1 }
print((io.open("/proc/self/stat"):read("*l"):match("^%d+")))
io.write((tt.host:exec{ "readlink", "/proc/self/ns/net" }))
io.write((tt.remote:exec{ "readlink", "/proc/self/ns/net" }))
function wait() sleep(60) end
` + testlab.EndingLua

// Whatever tcptest made (the lab pair's namespaces, and in them the
// sockets, sysctls, neighbour entry and offload settings) is gone after
// every way netlua ends, SIGKILL included: a probe veth in each
// namespace vanishes with it.
func TestTCPTestLeavesNothing(t *testing.T) {
	testlab.Privileged(t)
	for _, e := range testlab.Endings {
		t.Run(e.Name, func(t *testing.T) {
			// SIGKILL leaves the kernel's connection orphaned, its
			// socket closed by the kernel with data unacknowledged: it
			// retransmits (8 times, by default) and holds the namespace
			// until it gives up. One retry lets this test see the end.
			retries := "0"
			if e.Signal == syscall.SIGKILL {
				retries = "1"
			}
			script := strings.Replace(cleanupLua, "ORPHAN_RETRIES", retries, 1)
			probes := testlab.RunEndingProbed(t, script, e)
			for i, p := range probes {
				start := time.Now()
				if !p.Gone(t, 10*time.Second) {
					t.Errorf("namespace %d outlived netlua", i)
				}
				t.Logf("namespace %d gone after %v", i, time.Since(start))
			}
		})
	}
}
