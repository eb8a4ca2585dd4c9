package packet

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/lab/labtest"
	"github.com/netlua/netlua/luabind/pcap"
	"github.com/netlua/netlua/luabind/testlab"
)

// The tests of scripts/bench: each runs briefly in a lab, and what it
// says it sent is what the receiver counted.

func TestScriptsNeedArguments(t *testing.T) {
	for _, tt := range []struct{ name, usage string }{
		{"send.lua", "IFACE"},
		{"recv.lua", "IFACE"},
		{"bench/send_loop.lua", "IFACE [COUNT [SECONDS]]"},
		{"bench/blast.lua", "IFACE [COUNT [SECONDS [WORKERS]]]"},
		{"bench/blast_xdp.lua", "IFACE [COUNT [SECONDS]]"},
		{"bench/build_send.lua", "IFACE [COUNT [SECONDS [fresh]]]"},
		{"bench/capture.lua", "IFACE COUNT [SECONDS [FILE [FILTER [WORKERS]]]]"},
	} {
		res := testlab.Run(t, "", "scripts/"+tt.name)
		if res.Code != 2 || !strings.Contains(res.Stderr, "usage: netlua scripts/"+tt.name+" "+tt.usage) {
			t.Errorf("%s without arguments: exit %d\n%s", tt.name, res.Code, res.Stderr)
		}
	}
}

// The sender scripts send exactly the frames they say, and print a rate.
func TestSenderScripts(t *testing.T) {
	for _, tt := range []struct {
		script string
		count  int
		out    *regexp.Regexp
		more   []string // arguments after IFACE COUNT SECONDS
	}{
		{"bench/send_loop.lua", 20000, regexp.MustCompile(`^20000 frames of 60 bytes in [0-9.]+ s: [0-9]+ pps\n$`), nil},
		{"bench/blast.lua", 20000, regexp.MustCompile(`^20000 frames of 60 bytes in [0-9.]+ s: [0-9]+ pps\n$`), nil},
		{"bench/blast.lua", 20001, regexp.MustCompile(`^20001 frames of 60 bytes in [0-9.]+ s: [0-9]+ pps\n$`), []string{"1"}},
		{"bench/blast.lua", 20001, regexp.MustCompile(`^20001 frames of 60 bytes in [0-9.]+ s: [0-9]+ pps\n$`), []string{"3"}},
		{"bench/blast_xdp.lua", 20000, regexp.MustCompile(`^20000 frames of 60 bytes in [0-9.]+ s: [0-9]+ pps\n$`), nil},
		{"bench/build_send.lua", 2000, regexp.MustCompile(`^2000 frames built and sent in [0-9.]+ s: [0-9]+ pps\n$`), nil},
		{"bench/build_send.lua", 2000, regexp.MustCompile(`^2000 frames built and sent in [0-9.]+ s: [0-9]+ pps\n$`), []string{"fresh"}},
	} {
		t.Run(strings.Join(append([]string{tt.script}, tt.more...), " "), func(t *testing.T) {
			a, b := pair(t)
			sb := openOn(t, b, Config{Proto: unix.ETH_P_IP})
			argv := append([]string{testlab.Binary(t), labtest.Script(tt.script), a.Ifname, strconv.Itoa(tt.count), "30"}, tt.more...)
			out := labtest.Run(t, a, "", argv...)
			if !tt.out.MatchString(out) {
				t.Errorf("output %q, want %s", out, tt.out)
			}
			if st, _ := sb.Stats(); st.Received != uint64(tt.count) {
				t.Errorf("b received %d frames, want %d", st.Received, tt.count)
			}
		})
	}
}

// capture.lua says when it listens, then writes what comes to its file.
func TestCaptureScript(t *testing.T) {
	a, b := pair(t)
	file := t.TempDir() + "/out.pcap"
	cmd := exec.Command(testlab.Binary(t), labtest.Script("bench/capture.lua"), b.Ifname, "50", "20", file, "ether proto 0x88b5")
	var out bytes.Buffer
	cmd.Stdout = &out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	labtest.Start(t, b, cmd)
	labtest.Collect(stderr).WaitFor(t, "listening on "+b.Ifname, 10*time.Second)
	sa := openOn(t, a, Config{Proto: exp})
	for i := range 50 {
		sa.Send(context.Background(), labtest.Frame(a, b, byte(i)))
	}
	if err := cmd.Wait(); err != nil || !strings.HasPrefix(out.String(), "50 frames captured, 0 dropped by the kernel, in ") {
		t.Fatalf("capture.lua: %v, output %q", err, out.String())
	}
	r, err := pcap.Open(context.Background(), file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	frames := 0
	for ; ; frames++ {
		data, _, err := r.Next(context.Background())
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if want := labtest.Frame(a, b, byte(frames)); !bytes.Equal(data, want) {
			t.Errorf("frame %d: % x, want % x", frames, data, want)
		}
	}
	if frames != 50 {
		t.Errorf("%s holds %d frames, want 50", file, frames)
	}
}

var startupOutput = regexp.MustCompile(`^netlua -e '': [0-9.]+ ms \(median of 3\)\npython3 -c 'import scapy.all': ([0-9.]+ ms \(median of 3\)|Scapy is not installed)\n$`)

func TestStartupScript(t *testing.T) {
	res := testlab.Run(t, "", "scripts/bench/startup.lua", "3")
	if res.Code != 0 || !startupOutput.MatchString(res.Stdout) {
		t.Errorf("exit %d, output %q, want %s\n%s", res.Code, res.Stdout, startupOutput, res.Stderr)
	}
}

// compare.lua --quick runs every comparison briefly: the table must have
// all its rows, with numbers, and no notes of missing tools.
func TestCompareScript(t *testing.T) {
	testlab.Privileged(t)
	testlab.NeedTool(t, "trafgen", "netsniff-ng")
	testlab.NeedTool(t, "tcpdump", "tcpdump")
	needScapy(t)
	res := testlab.Run(t, "", "scripts/bench/compare.lua", "--quick")
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	for _, row := range []string{
		`blast / trafgen -P1 +[0-9]+ pps +[0-9]+ pps +[0-9.]+  >= 1\.10 +(yes|NO)`,
		`blast xdp / best AF_PACKET blast +[0-9]+ pps +[0-9]+ pps +[0-9.]+  >= 1\.5 +(yes|NO)`,
		`s:send loop / trafgen -P1 +[0-9]+ pps +[0-9]+ pps +[0-9.]+  >= 0\.60 +(yes|NO)`,
		`build\+send loop / Scapy +[0-9]+ pps +[0-9]+ pps +[0-9.]+  >= 50 +(yes|NO)`,
		`  all layer tables new / Scapy +[0-9]+ pps +[0-9]+ pps +[0-9.]+  \(for reference\) +-`,
		`blast \(all workers\) / trafgen \(all CPUs\) +[0-9]+ pps +[0-9]+ pps +[0-9.]+  >= 1\.10 +(yes|NO)`,
		`capture / tcpdump -w, % of frames +[0-9.]+ % +[0-9.]+ % +[0-9.]+  100%, >= tcpdump +(yes|NO)`,
		`capture \(all workers\) / tcpdump -w, trafgen all CPUs, % +[0-9.]+ % +[0-9.]+ % +[0-9.]+  100%, >= tcpdump +(yes|NO)`,
		`  / netsniff-ng, % of frames +[0-9.]+ % +[0-9.]+ % +[0-9.]+  100%, >= netsniff-ng +(yes|NO)`,
		`parse Ether/IPv4/UDP/DNS / Scapy +[0-9]+ pps +[0-9]+ pps +[0-9.]+  >= 100 +(yes|NO)`,
		`  and read its question / Scapy +[0-9]+ pps +[0-9]+ pps +[0-9.]+  \(for reference\) +-`,
		`startup: import scapy.all / netlua +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+  <= 10 ms, >= 25 +(yes|NO)`,
		`lab tree 2,2 build / Mininet +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+  >= 3 +(yes|NO)`,
		`  build / ip netns\+ip link in sh +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+  \(for reference\) +-`,
		`  teardown / Mininet +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+  \(for reference\) +-`,
	} {
		if !regexp.MustCompile(`(?m)^` + row + `$`).MatchString(res.Stdout) {
			t.Errorf("no row %s in\n%s", row, res.Stdout)
		}
	}
	if strings.Contains(res.Stdout, "note:") {
		t.Errorf("notes in\n%s", res.Stdout)
	}
}

// needScapy skips (or fails under NETLUA_PRIVILEGED=1) without Scapy for
// the system's python3, which the bench scripts run.
func needScapy(t *testing.T) {
	if exec.Command("/usr/bin/python3", "-c", "import scapy.all").Run() == nil {
		return
	}
	msg := "Scapy is not installed (apt-get install python3-scapy)"
	if os.Getenv("NETLUA_PRIVILEGED") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
