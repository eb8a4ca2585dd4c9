package packet

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/lab/labtest"
	_ "github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

// s:capture writes what it receives to a pcap file that tcpdump reads
// back: the same count, the same bytes.
func TestCaptureReadByTcpdump(t *testing.T) {
	tcpdump := labtest.NeedTool(t, "tcpdump", "tcpdump")
	a, b := pair(t)
	file := filepath.Join(t.TempDir(), "out.pcap")
	out := testlab.MustLua(t, fmt.Sprintf(`
		local packet, f = require "packet", require "frame"
		local sa = packet.open("veth0", { netns = %q, proto = 0x88b6 })
		local sb = packet.open("veth0", { netns = %q, proto = 0x88b5 })
		for i = 1, 20 do -- queued in sb before the capture starts
			sa:send(f.build{ f.ether{ src = sa.mac, dst = sb.mac, type = 0x88b5 }, ("frame %%02d "):format(i) .. ("."):rep(40 + i) })
		end
		local r = sb:capture{ file = %q, count = 20, duration = 10 }
		print(r.captured, r.dropped)
	`, labtest.NSPath(a), labtest.NSPath(b), file))
	if out != "20\t0\n" {
		t.Fatalf("capture: %q, want 20 captured, 0 dropped", out)
	}
	frames := tcpdumpFrames(t, tcpdump, file)
	if len(frames) != 20 {
		t.Fatalf("tcpdump read %d frames, want 20", len(frames))
	}
	for i, f := range frames {
		want := append(append(append([]byte{}, b.MAC...), a.MAC...), 0x88, 0xb5)
		want = append(want, fmt.Sprintf("frame %02d %s", i+1, strings.Repeat(".", 41+i))...)
		if !bytes.Equal(f, want) {
			t.Errorf("frame %d: tcpdump read\n% x\nwant\n% x", i+1, f, want)
		}
	}
}

// tcpdumpFrames reads file with tcpdump -r and returns each frame's bytes
// from its hex dump (-xx).
func tcpdumpFrames(t *testing.T, tcpdump, file string) [][]byte {
	t.Helper()
	out, err := exec.Command(tcpdump, "-r", file, "-nn", "-xx").CombinedOutput()
	if err != nil {
		t.Fatalf("tcpdump -r: %v\n%s", err, out)
	}
	var frames [][]byte
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "\t0x"):
			_, words, _ := strings.Cut(line, ":")
			b, err := hex.DecodeString(strings.Join(strings.Fields(words), ""))
			if err != nil || len(frames) == 0 {
				t.Fatalf("tcpdump line %q: %v", line, err)
			}
			frames[len(frames)-1] = append(frames[len(frames)-1], b...)
		case line != "" && !strings.HasPrefix(line, "reading from file"):
			frames = append(frames, nil)
		}
	}
	return frames
}

// A capture with nothing to capture ends after its duration.
func TestCaptureDuration(t *testing.T) {
	a, _ := pair(t)
	file := filepath.Join(t.TempDir(), "empty.pcap")
	start := time.Now()
	out := testlab.MustLua(t, fmt.Sprintf(`
		local s = require("packet").open("veth0", { netns = %q, proto = 0x88b5 })
		local r = s:capture{ file = %q, duration = 0.2 }
		print(r.captured, r.dropped)
		local pcap, n = require "pcap", 0
		for _ in pcap.read(%q) do n = n + 1 end
		print(n)
	`, labtest.NSPath(a), file, file))
	if d := time.Since(start); out != "0\t0\n0\n" || d < 200*time.Millisecond || d > 5*time.Second {
		t.Errorf("capture: %q in %v", out, d)
	}
}
