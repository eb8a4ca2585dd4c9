package stdlib_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

func TestMain(m *testing.M) { testlab.Main(m) }

// runTCPTest writes body as a test file (families loop over ipv4 and ipv6
// around it, as ported tests do) and runs netlua test on it.
func runTCPTest(t *testing.T, body string) testlab.Result {
	t.Helper()
	testlab.Privileged(t)
	path := filepath.Join(t.TempDir(), "tt_test.lua")
	script := "local tcptest = require \"tcptest\"\n" +
		"for _, family in ipairs{\"ipv4\", \"ipv6\"} do\n" +
		"test(\"tt \" .. family, function(t)\n" +
		"  local tt = tcptest.new(t, { family = family })\n" +
		body + "\nend)\nend\n"
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	return testlab.Run(t, "", "test", "-v", path)
}

// handshake is a passive open as packetdrill's scripts start: the remote's
// SYN, the kernel's SYN-ACK checked, the remote's ACK, then accept.
const handshake = `
  local l = tt:listen(8080)
  tt:inject{ flags = "S", seq = 0, win = 1000, options = {{"MSS", 1000}, {"SAckOK", ""}, {"NOP"}, {"WScale", 6}} }
  local sa = tt:expect{ flags = "SA", seq = 0, ack = 1, options = %s }
  tt:inject{ flags = ".", seq = 1, ack = 1, win = 257 }
`

// A correct handshake and a data exchange pass, for IPv4 and IPv6; the
// kernel's own answers are the oracle: accept returns the connection, the
// bytes sent come back as two MSS-sized segments, the remote's data is
// read by recv, and the kernel acknowledges it. The absolute numbers on
// the wire are the relative ones plus the ISNs.
func TestTCPTestHandshakePasses(t *testing.T) {
	res := runTCPTest(t, strings.ReplaceAll(handshake, "%s", `{{"MSS", tt.family == "ipv6" and 1440 or 1460}, {"NOP"}, {"NOP"}, {"SAckOK", ""}, {"NOP"}, {"WScale", tcptest.ANY}}`)+`
  t:eq(sa.packet.tcp.ack, (tt.remote_isn + 1) % 2^32, "absolute ack")
  t:eq(sa.packet.tcp.seq, tt.local_isn, "absolute seq")
  local c = l:accept()
  c:send(string.rep("x", 2000))
  tt:expect{ flags = ".", seq = 1, ack = 1, len = 1000 }
  local last = tt:expect{ flags = "PA", seq = 1001, ack = 1, len = 1000 }
  t:eq(last.payload, string.rep("x", 1000))
  tt:inject{ flags = "PA", seq = 1, ack = 2001, win = 257, payload = "hello" }
  tt:expect{ flags = ".", seq = 2001, ack = 6 }
  t:eq(c:recv(), "hello")
  tt:expect_none(0.05)`)
	if res.Code != 0 || !strings.Contains(res.Stdout, "2 passed, 0 failed") {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
}

// reportCase is a script whose expectation is wrong in one way, and what
// its failure report must show.
type reportCase struct {
	name, body string
	want       []string // regular expressions, each matching a line of the report
}

var reportCases = []reportCase{
	{"wrong ack", strings.ReplaceAll(handshake, "ack = 1, options = %s", "ack = 2, options = tcptest.ANY"), []string{
		`tt_test\.lua:8: tt:expect: segment differs`,
		`^\s+field\s+expected\s+actual$`,
		`^\s+flags\s+SA\s+SA$`,
		`^\s+\* ack\s+2\s+1$`,
		`^\s+seq\s+0\s+0$`,
		`^\s+time\s+\+0\.000\s+\+0\.0\d+ \(ok, tolerance 0\.0200\)$`,
	}},
	{"wrong window", strings.ReplaceAll(handshake, "ack = 1, options = %s", "ack = 1, win = 64240, options = tcptest.ANY"), []string{
		`tt_test\.lua:8: tt:expect: segment differs`,
		`^\s+\* win\s+64240\s+65535$`,
		`^\s+ack\s+1\s+1$`,
	}},
	// flags = ANY passes any flags, and the other fields are still checked.
	{"any flags, wrong ack", strings.ReplaceAll(handshake, "flags = \"SA\", seq = 0, ack = 1, options = %s", "flags = tcptest.ANY, seq = 0, ack = 2, options = tcptest.ANY"), []string{
		`tt_test\.lua:8: tt:expect: segment differs`,
		`^\s+flags\s+\*\s+SA$`,
		`^\s+\* ack\s+2\s+1$`,
	}},
	// The remote's SYN offers no SACK: the kernel's SYN-ACK has no sackOK.
	{"missing option", `
  local l = tt:listen(8080)
  tt:inject{ flags = "S", seq = 0, win = 1000, options = {{"MSS", 1000}, {"NOP"}, {"WScale", 6}} }
  tt:expect{ flags = "SA", seq = 0, ack = 1, options = {{"MSS", 1460}, {"NOP"}, {"NOP"}, {"SAckOK", ""}, {"NOP"}, {"WScale", tcptest.ANY}} }`, []string{
		`tt_test\.lua:8: tt:expect: segment differs`,
		`^\s+\* options\s+<mss 1460,nop,nop,sackOK,nop,wscale \*>\s+<mss 14[46]0,nop,wscale \d+>$`,
	}},
	// Unanswered, the SYN-ACK comes again after the initial RTO, 1 s
	// (RFC 6298), not 0.5 s after it.
	{"late segment", `
  local l = tt:listen(8080)
  tt:inject{ flags = "S", seq = 0, win = 1000 }
  tt:expect{ flags = "SA", seq = 0, ack = 1 }
  tt:expect{ flags = "SA", seq = 0, ack = 1, at = 0.5 }`, []string{
		`tt_test\.lua:9: tt:expect: segment late by 0\.[45]\d+ s`,
		`^\s+\* time\s+\+0\.500\s+\+(0\.9[5-9]|1\.0)\d+ \(off by \+0\.[45]\d+, tolerance 0\.0825\)$`,
		`^\s+flags\s+SA\s+SA$`,
	}},
}

// Each wrong expectation fails, for IPv4 and IPv6, with the script's line,
// the expected and actual segments side by side, the differing field
// marked and, for timing, the measured offset.
func TestTCPTestReportsDifferences(t *testing.T) {
	for _, c := range reportCases {
		t.Run(c.name, func(t *testing.T) {
			res := runTCPTest(t, c.body)
			if res.Code != 1 || !strings.Contains(res.Stdout, "0 passed, 2 failed") {
				t.Fatalf("exit %d, want two failures\n%s%s", res.Code, res.Stdout, res.Stderr)
			}
			for _, re := range c.want {
				if n := len(regexp.MustCompile("(?m)"+re).FindAllString(res.Stdout, -1)); n != 2 {
					t.Errorf("%d reports (of 2) have a line matching %s\n%s", n, re, res.Stdout)
				}
			}
			testlab.NoGoTrace(t, res.Stdout+res.Stderr)
		})
	}
}

// NETLUA_TCP_TOLERANCE widens every time check of a run (the tests run
// with testlab's floor, 20 ms): the SYN-ACK the kernel sends again after
// 1 s, expected at 0.5 s, fails with packetdrill's tolerance (floor 0) and
// passes with a floor of 0.6 s; a value that is not a number is a usage
// error.
func TestTCPTestToleranceFromEnvironment(t *testing.T) {
	late := reportCases[len(reportCases)-1]
	if late.name != "late segment" {
		t.Fatalf("the last report case is %q, not the late segment", late.name)
	}
	// Unset (0), the tolerance is packetdrill's: 4 ms plus 12.5% of at.
	t.Setenv("NETLUA_TCP_TOLERANCE", "0")
	res := runTCPTest(t, late.body)
	if re := regexp.MustCompile(`(?m)^\s+\* time\s+\+0\.500\s+\+\S+ \(off by \+0\.[45]\d+, tolerance 0\.0665\)$`); res.Code != 1 || len(re.FindAllString(res.Stdout, -1)) != 2 {
		t.Fatalf("exit %d, want two failures with packetdrill's tolerance, 0.0665 s\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	t.Setenv("NETLUA_TCP_TOLERANCE", "0.6")
	if res := runTCPTest(t, late.body); res.Code != 0 || !strings.Contains(res.Stdout, "2 passed, 0 failed") {
		t.Fatalf("exit %d, want a pass with the wider tolerance\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	t.Setenv("NETLUA_TCP_TOLERANCE", "lots")
	res = runTCPTest(t, late.body)
	if res.Code != 1 || !strings.Contains(res.Stdout, `NETLUA_TCP_TOLERANCE must be 0 or more seconds, not "lots"`) {
		t.Fatalf("exit %d, want the variable's error\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	testlab.NoGoTrace(t, res.Stdout+res.Stderr)
}

// The remote's own stack never answers: tcpdump in the remote's host,
// the oracle, sees from the remote's MAC only the frames the script
// injected (no RST for the kernel's SYN-ACK and data, which a stack with
// the remote address would send, no ARP, no neighbour discovery), and the
// kernel's frames reach it.
func TestTCPTestRemoteStackSilent(t *testing.T) {
	tcpdump := testlab.NeedTool(t, "tcpdump", "tcpdump")
	dir := t.TempDir()
	os.Chmod(dir, 0o777) // tcpdump may drop privileges to write
	res := runTCPTest(t, `
  local pcap = "`+dir+`/" .. family .. ".pcap"
  local p = tt.remote:spawn{ "`+tcpdump+`", "-i", tt.remote.ifname, "-n", "-U", "--immediate-mode", "-Z", "root", "-w", pcap }
  while not p:read():find("listening on") do p:wait(0.01) end
  print("remote mac " .. tt.remote.mac .. " " .. pcap)
`+strings.ReplaceAll(handshake, "%s", "tcptest.ANY")+`
  local c = l:accept(2)
  c:send("data")
  tt:expect{ flags = "PA", seq = 1, len = 4 }
  tt:inject{ flags = "R", seq = 1, at = 0.05 }
  tt:expect_none(0.3)
  p:kill("INT"); p:wait(5)`)
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	runs := regexp.MustCompile(`remote mac (\S+) (\S+)`).FindAllStringSubmatch(res.Stdout, -1)
	if len(runs) != 2 {
		t.Fatalf("want two runs\n%s", res.Stdout)
	}
	for _, run := range runs {
		out, err := exec.Command(tcpdump, "-r", run[2], "-n", "-e").CombinedOutput()
		if err != nil {
			t.Fatalf("tcpdump -r: %v\n%s", err, out)
		}
		var fromRemote, toRemote []string
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			switch {
			case strings.Contains(line, run[1]+" >"):
				fromRemote = append(fromRemote, line)
			case strings.Contains(line, "> "+run[1]):
				toRemote = append(toRemote, line)
			}
		}
		// Injected: SYN, ACK, RST. The kernel sent its SYN-ACK and data.
		if len(fromRemote) != 3 || !strings.Contains(fromRemote[2], "Flags [R]") {
			t.Errorf("%s: frames from the remote's MAC, want the 3 injected:\n%s", run[2], strings.Join(fromRemote, "\n"))
		}
		if len(toRemote) != 2 {
			t.Errorf("%s: frames to the remote, want the kernel's SYN-ACK and data:\n%s", run[2], strings.Join(toRemote, "\n"))
		}
	}
}

// The harness's lab and its helpers, each checked against the kernel or a
// tool: the offloads off (ethtool -k), the remote's permanent neighbour
// entry (ip neigh), a sysctl set in the host only (the SYN-ACK offers no
// SACK; the remote's namespace keeps its own value), an ICMP "fragmentation
// needed" (IPv6: packet too big) makes the kernel resend smaller segments
// and lowers the path MTU that tcp_info reports.
func TestTCPTestLabAndHelpers(t *testing.T) {
	testlab.NeedTool(t, "ethtool", "ethtool")
	res := runTCPTest(t, `
  local out = tt.host:exec{ "ethtool", "-k", tt.host.ifname }
  for _, f in ipairs{ "tx-tcp-segmentation", "tx-tcp6-segmentation", "generic-segmentation-offload", "generic-receive-offload" } do
    t:match(out, "\n%s*" .. f:gsub("%-", "%%-") .. ": off")
  end
  t:match(tt.host:exec{ "ip", "neigh", "show", tt.remote_ip }, tt.remote.mac:gsub("%-", "%%-") .. " PERMANENT")
  tt:sysctl{ ["net.ipv4.tcp_sack"] = 0 }
  t:eq(tt.remote:sysctl("net.ipv4.tcp_sack"), "1")
  local l = tt:listen(8080)
  tt:inject{ flags = "S", seq = 0, win = 32792, options = { { "MSS", 1460 }, { "SAckOK", "" }, { "NOP" }, { "WScale", 7 } } }
  local mss = family == "ipv6" and 1440 or 1460
  tt:expect{ flags = "SA", seq = 0, ack = 1, options = { { "MSS", mss }, { "NOP" }, { "WScale", 8 } } }
  tt:inject{ flags = ".", seq = 1, ack = 1, win = 257 }
  local c = l:accept()
  c:send(string.rep("x", 2 * mss))
  tt:expect{ flags = ".", seq = 1, len = mss }
  tt:expect{ flags = "PA", seq = 1 + mss, len = mss }
  local mtu = family == "ipv6" and 1280 or 1200
  tt:inject_icmp{ type = "unreach", code = "frag", mtu = mtu, quote = { seq = 1, ack = 1 } }
  tt:expect{ flags = ".", seq = 1, len = mtu - (family == "ipv6" and 60 or 40) }
  t:eq(tt:tcp_info(c).pmtu, mtu)`)
	if res.Code != 0 || !strings.Contains(res.Stdout, "2 passed, 0 failed") {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
}

// tt:returned checks when a blocking call made in a task returned, as
// packetdrill's "0...0.200 accept()": too early an expectation fails with
// the measured time and offset.
func TestTCPTestReturnedTiming(t *testing.T) {
	body := `
  local l = tt:listen(8080)
  local accepting = tt:go(function() return l:accept() end)
  tt:inject{ at = 0.1, flags = "S", seq = 0, win = 32792 }
  tt:expect{ flags = "SA", seq = 0, ack = 1 }
  tt:inject{ at = 0.1, flags = ".", seq = 1, ack = 1, win = 257 }
  local c = tt:returned(accepting, AT)
  t:ok(c.fd > 0)`
	res := runTCPTest(t, strings.Replace(body, "AT", "0.2", 1))
	if res.Code != 0 || !strings.Contains(res.Stdout, "2 passed, 0 failed") {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	res = runTCPTest(t, strings.Replace(body, "AT", "0.1", 1))
	re := regexp.MustCompile(`tt_test\.lua:11: tt:returned: the call returned at \+0\.2\d+, expected \+0\.100 \(offset \+0\.1\d+, tolerance 0\.0325\)`)
	if res.Code != 1 || len(re.FindAllString(res.Stdout, -1)) != 2 {
		t.Fatalf("exit %d, want two failures matching %s\n%s%s", res.Code, re, res.Stdout, res.Stderr)
	}
}
