package packet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/testlab"
)

// s:capture writes what it receives to a pcap file that tcpdump and
// pcap.read read back: the same count, the same bytes.
func TestCaptureReadByTcpdump(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	a, b := pair(t)
	file := filepath.Join(t.TempDir(), "out.pcap")
	out := testlab.MustLua(t, pairLua(a, b)+fmt.Sprintf(`
		for i = 1, 20 do -- queued in sb before the capture starts
			sa:send(f.build{ f.ether{ src = sa.mac, dst = sb.mac, type = 0x88b5 }, ("frame %%02d "):format(i) .. ("."):rep(40 + i) })
		end
		local r = sb:capture{ file = %q, count = 20, duration = 10 }
		print(r.captured, r.dropped)
		local pcap = require "pcap"
		for bytes, info in pcap.read(%q) do
			print((bytes:gsub(".", function(c) return ("%%02x"):format(c:byte()) end)), info.len)
		end
	`, file, file), luaModules()...)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if lines[0] != "20\t0" || len(lines) != 21 {
		t.Fatalf("capture and pcap.read:\n%s\nwant 20 captured, 0 dropped, 20 records", out)
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
		if read := fmt.Sprintf("%x\t%d", want, len(want)); lines[i+1] != read {
			t.Errorf("frame %d: pcap.read gave %s, want %s", i+1, lines[i+1], read)
		}
	}
}

// pairLua is Lua code that opens sa on a, sending EtherType 0x88b6, and sb
// on b, receiving 0x88b5, with the frame module as f.
func pairLua(a, b *lab.End) string {
	return fmt.Sprintf(`
		local packet, f = require "packet", require "frame"
		local sa = packet.open("veth0", { netns = %q, proto = 0x88b6 })
		local sb = packet.open("veth0", { netns = %q, proto = 0x88b5 })`, labtest.NSPath(a), labtest.NSPath(b))
}

// tcpdumpFrames reads file with tcpdump -r and returns each frame's bytes
// from its hex dump (-xx); expr, if any, is tcpdump's filter.
func tcpdumpFrames(t *testing.T, tcpdump, file string, expr ...string) [][]byte {
	t.Helper()
	out, err := exec.Command(tcpdump, append([]string{"-r", file, "-nn", "-xx"}, expr...)...).CombinedOutput()
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
	`, labtest.NSPath(a), file, file), luaModules()...)
	if d := time.Since(start); out != "0\t0\n0\n" || d < 200*time.Millisecond || d > 5*time.Second {
		t.Errorf("capture: %q in %v", out, d)
	}
}

// snaplen cuts the frames written, which keep their original length.
func TestCaptureSnaplen(t *testing.T) {
	a, b := pair(t)
	file := filepath.Join(t.TempDir(), "cut.pcap")
	out := testlab.MustLua(t, pairLua(a, b)+fmt.Sprintf(`
		for i = 1, 3 do
			sa:send(f.build{ f.ether{ src = sa.mac, dst = sb.mac, type = 0x88b5 }, ("x"):rep(100) })
		end
		local r = sb:capture{ file = %q, count = 3, snaplen = 20 }
		print(r.captured)
		local pcap = require "pcap"
		local function hex(s) return (s:gsub(".", function(c) return ("%%02x"):format(c:byte()) end)) end
		local want = (sb.mac:gsub(":", "")) .. (sa.mac:gsub(":", "")) .. "88b5" .. ("78"):rep(6)
		for bytes, info in pcap.read(%q) do print(#bytes, info.len, hex(bytes) == want) end
	`, file, file), luaModules()...)
	if want := "3\n" + strings.Repeat("20\t114\ttrue\n", 3); out != want {
		t.Errorf("capture with snaplen 20:\n%s\nwant\n%s", out, want)
	}
}

// capture on a closed socket is a Lua error, and writes no file.
func TestCaptureClosed(t *testing.T) {
	a, _ := pair(t)
	file := filepath.Join(t.TempDir(), "never.pcap")
	out := testlab.MustLua(t, fmt.Sprintf(`
		local s = require("packet").open("veth0", { netns = %q })
		s:close()
		print(pcall(s.capture, s, { file = %q, count = 1 }))
	`, labtest.NSPath(a), file), luaModules()...)
	if want := ":4: packet.capture: veth0: the socket is closed\n"; !strings.HasPrefix(out, "false\t") || !strings.HasSuffix(out, want) {
		t.Errorf("capture on a closed socket: %q, want %q", out, want)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("%s: %v, want no file", file, err)
	}
}

// duration = 0 is a capture of no time: it writes the frames already
// queued and returns at once (a watchdog interrupts it after 10 s, which
// would end the script with an error). Leaving duration out still
// captures until the count.
func TestCaptureNoDuration(t *testing.T) {
	a, b := pair(t)
	file := filepath.Join(t.TempDir(), "queued.pcap")
	out, err := testlab.RunLuaWith(t, pairLua(a, b)+fmt.Sprintf(`
		for i = 1, 3 do
			sa:send(f.build{ f.ether{ src = sa.mac, dst = sb.mac, type = 0x88b5 }, ("x"):rep(50) })
		end
		local r = sb:capture{ file = %q, duration = 0 }
		print(r.captured, r.dropped)
		local n = 0
		for _ in require("pcap").read(%q) do n = n + 1 end
		print(n)
	`, file, file), func(rt *luabind.Runtime) {
		watchdog := time.AfterFunc(10*time.Second, func() { rt.Interrupt(errors.New("watchdog: capture{duration = 0} still running")) })
		t.Cleanup(func() { watchdog.Stop() })
	}, luaModules()...)
	if want := "3\t0\n3\n"; err != nil || out != want {
		t.Errorf("capture{duration = 0}: %q, %v; want %q", out, err, want)
	}
}
