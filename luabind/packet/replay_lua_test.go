package packet

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

// udpCapture writes n IPv4 UDP frames from a to b, ports 5000 → 53 and
// back in turn, with checksums left 0 (tcprewrite computes them), to a
// capture file 1 ms apart.
func udpCapture(t *testing.T, a, b *lab.End, n int) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "udp.pcap")
	w, err := pcap.Create(file, pcap.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		f := make([]byte, 14+20+8+6)
		copy(f[0:6], b.MAC)
		copy(f[6:12], a.MAC)
		f[12], f[13] = 0x08, 0x00
		ip := f[14:]
		ip[0], ip[8], ip[9] = 0x45, 64, 17
		binary.BigEndian.PutUint16(ip[2:], 20+8+6)
		binary.BigEndian.PutUint16(ip[4:], uint16(i))
		copy(ip[12:16], []byte{198, 18, 0, 1})
		copy(ip[16:20], []byte{198, 18, 0, 2})
		udp := ip[20:]
		sport, dport := uint16(5000), uint16(53)
		if i%2 == 1 {
			sport, dport = dport, sport
		}
		binary.BigEndian.PutUint16(udp[0:], sport)
		binary.BigEndian.PutUint16(udp[2:], dport)
		binary.BigEndian.PutUint16(udp[4:], 8+6)
		udp[6] = 1 // a checksum in use, and wrong
		copy(udp[8:], fmt.Sprintf("udp%03d", i%1000))
		if err := w.WriteFrame(f, time.Unix(1_700_000_000, int64(i)*int64(time.Millisecond)), len(f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return file
}

// s:replay's rewrite option, from Lua, sends what tcprewrite writes from
// the same options: the peer's tcpdump sees tcprewrite's frames, byte
// for byte, in order.
func TestReplayRewriteFromLua(t *testing.T) {
	tcprewrite := testlab.NeedTool(t, "tcprewrite", "tcpreplay")
	a, b := pair(t)
	file := udpCapture(t, a, b, 100)
	out := filepath.Join(t.TempDir(), "want.pcap")
	if msg, err := exec.Command(tcprewrite, "-i", file, "-o", out, "--enet-smac=02:aa:00:00:00:01",
		"--pnat=198.18.0.0/24:198.19.7.0/24", "--portmap=53:5353", "--ttl=9").CombinedOutput(); err != nil {
		t.Fatalf("tcprewrite: %v\n%s", err, msg)
	}
	var want [][]byte
	for _, rec := range readPcap(t, out) {
		want = append(want, rec.data)
	}
	stop := peerCapture(t, b, "udp")
	code := `local packet = require "packet"
		local s = packet.open(arg[1])
		local r = s:replay(arg[2], { pps = 20000, rewrite = { ether = { src = "02:aa:00:00:00:01" },
			ipmap = { ["198.18.0.0/24"] = "198.19.7.0/24" }, portmap = { [53] = 5353 }, ttl = 9 } })
		print(r.sent, r.bytes, r.errors)`
	text, status := labtest.RunNetlua(t, a, "-e", code, a.Ifname, file)
	if status != 0 || strings.TrimSpace(text) != "100\t4800\t0" {
		t.Fatalf("netlua exited %d:\n%s", status, text)
	}
	sameFrames(t, stop(), want)
}

// Bad options are Lua errors that name the option.
func TestReplayOptionErrors(t *testing.T) {
	a, b := pair(t)
	file := udpCapture(t, a, b, 1)
	for opts, want := range map[string]string{
		`{ speed = "fast" }`:                    `option 'speed' is a multiplier, "recorded" or "top", got "fast"`,
		`{ speed = "top", pps = 10 }`:           "replay takes one pace",
		`{ loop = 0 }`:                          "option 'loop' 0 sends over and over: give a limit",
		`{ rewrite = { ttl = 300 } }`:           "rewrite: ttl is a whole number from 1 to 255, got number 300",
		`{ rewrite = { ipmap = { x = "y" } } }`: `rewrite: ipmap["x"] = "y": both are networks`,
		`{ rewrite = { ether = { src = 1 } } }`: "rewrite: ether.src is a MAC address",
		`{ rewrite = { bogus = 1 } }`:           `rewrite: unknown key "bogus"`,
		`{ mbps = -1 }`:                         "option 'mbps' must be over 0",
	} {
		code := `local s = require("packet").open(arg[1]); s:replay(arg[2], ` + opts + `)`
		text, status := labtest.RunNetlua(t, a, "-e", code, a.Ifname, file)
		if status == 0 || !strings.Contains(text, "bad argument #2 to 'replay'") || !strings.Contains(text, want) {
			t.Errorf("%s: exit %d, want an error with %q:\n%s", opts, status, want, text)
		}
		testlab.NoGoTrace(t, text)
	}
}

// scripts/replay.lua sends the file with loop and limit and prints
// tcpreplay's summary; ^C ends a slow replay with status 130 and what it
// sent.
func TestReplayScript(t *testing.T) {
	a, b := pair(t)
	file := udpCapture(t, a, b, 100)
	stop := peerCapture(t, b, "udp")
	text, status := labtest.RunNetlua(t, a, labtest.Script("replay.lua"), a.Ifname, file, "--pps", "5000", "--loop", "2", "--limit", "150")
	if status != 0 || !strings.Contains(text, "Actual: 150 packets (7200 bytes) sent in ") ||
		!strings.Contains(text, "Successful packets:        150") || !strings.Contains(text, "Failed packets:            0") {
		t.Fatalf("replay.lua exited %d:\n%s", status, text)
	}
	if got := stop(); len(got) != 150 {
		t.Errorf("the peer got %d frames, want 150", len(got))
	}
	text, status = labtest.RunNetlua(t, a, labtest.Script("replay.lua"), a.Ifname, file, "--speed", "x")
	if status != 2 || !strings.Contains(text, "--speed expects a number") || !strings.Contains(text, "usage: ") {
		t.Errorf("replay.lua --speed x exited %d:\n%s", status, text)
	}

	slow := filepath.Join(t.TempDir(), "slow.pcap")
	replayFramesTo(t, slow, a, b, 10, time.Second)
	n := labtest.StartNetlua(t, a, labtest.Script("replay.lua"), a.Ifname, slow)
	time.Sleep(1500 * time.Millisecond)
	n.Interrupt(t)
	if !strings.Contains(n.Stderr.String(), "replay interrupted:\nActual: ") {
		t.Errorf("^C: stderr lacks the summary:\n%s", n.Stderr)
	}
}

// Whichever way a script ends, a replay under way included (SIGINT and
// SIGTERM come while it waits for its next frame), it leaves no packet
// socket behind: the kernel's /proc/net/packet of the namespace lists
// none.
func TestReplayEndings(t *testing.T) {
	a, b := pair(t)
	slow := filepath.Join(t.TempDir(), "slow.pcap")
	replayFramesTo(t, slow, a, b, 60, time.Second)
	ns := fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), a.NetNS().FD())
	script := fmt.Sprintf(`local s = require("packet").open(%q, { netns = %q })
		function wait() s:replay(%q) end
		print(#io.open("/proc/net/packet"):read("*a"))
	`, a.Ifname, ns, slow) + testlab.EndingLua
	for _, e := range testlab.Endings {
		t.Run(e.Name, func(t *testing.T) {
			testlab.RunEnding(t, script, e, func([]string) {
				if got := sockets(t, a); got != 1 {
					t.Errorf("while it runs, %d packet sockets in a's namespace, want 1", got)
				}
			})
			if got := sockets(t, a); got != 0 {
				t.Errorf("after %s, %d packet sockets are left in a's namespace", e.Name, got)
			}
		})
	}
}

// sockets counts the packet sockets of e's namespace, as the kernel lists
// them in /proc/net/packet.
func sockets(t *testing.T, e *lab.End) int {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(labtest.Run(t, e, "", "cat", "/proc/net/packet")), "\n")
	return len(lines) - 1 // the header
}
