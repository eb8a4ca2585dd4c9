package lab

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// needMininet skips (or fails under NETLUA_PRIVILEGED=1, as NeedTool
// does) without Mininet for the system's python3 and brctl, which its
// Linux bridge switch runs.
func needMininet(t *testing.T) {
	t.Helper()
	testlab.NeedTool(t, "brctl", "bridge-utils")
	if exec.Command("/usr/bin/python3", "-c", "import mininet.net").Run() != nil {
		testlab.NeedTool(t, "mn", "--no-install-recommends mininet")
	}
}

// mininetSingle3 is Mininet's single,3 on a Linux bridge, h3 dropping
// h1's echo requests, and its pingAll: what Mininet itself prints.
const mininetSingle3 = `
import mininet.net
from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.nodelib import LinuxBridge
from mininet.topo import SingleSwitchTopo
mininet.net.fixLimits = lambda: None  # it would raise machine-wide limits
setLogLevel("output")
net = Mininet(topo=SingleSwitchTopo(3), switch=LinuxBridge, controller=None)
net.start()
net["h3"].cmd("nft 'add table ip t; add chain ip t in { type filter hook input priority 0; }; add rule ip t in ip saddr 10.0.0.1 icmp type echo-request drop'")
net.pingAll()
net.stop()
`

// lab:pingall{ print = true } prints what Mininet's pingAll prints for the
// same topology and the same dropped pair, byte for byte. Mininet runs in
// a private lab host: its switch and links stay in that host.
func TestPingAllPrintsAsMininet(t *testing.T) {
	testlab.Privileged(t)
	needMininet(t)
	l := testLab(t, Config{Private: true})
	res, err := mustHost(t, l, "mn").Exec(context.Background(), Cmd{Argv: []string{"/usr/bin/python3", "-c", mininetSingle3}, Timeout: DefaultTimeout})
	if err != nil || res.Status != 0 {
		t.Fatalf("mininet: status %d, %v\n%s", res.Status, err, res.Output)
	}
	// Mininet warns about bridge netfilter; its matrix is the rest.
	want := regexp.MustCompile(`(?s)\*\*\* Ping:.*`).FindString(string(res.Output))

	h1, h2, h3 := mustHost(t, l, "h1"), mustHost(t, l, "h2"), mustHost(t, l, "h3")
	mustLAN(t, l, h1, h2, h3)
	run(t, h3, "nft", "add table ip t; add chain ip t in { type filter hook input priority 0; }; add rule ip t in ip saddr 198.18.0.1 icmp type echo-request drop")
	pings, err := l.PingAll(context.Background(), PingOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var mine []Ping
	for _, p := range pings {
		if p.From.Name() != "mn" && p.To.Name() != "mn" && p.Addr.Is4() { // Mininet pings IPv4 only
			mine = append(mine, p)
		}
	}
	if got := PingReport(mine); got != want || !strings.Contains(want, "X") {
		t.Errorf("netlua prints\n%q\nMininet prints\n%q", got, want)
	}
}

// bench/lab_tree.lua times netlua, the shell version (which checks that
// h1 reaches h4 across its tree) and Mininet (which checks its pingAll).
func TestLabTreeBench(t *testing.T) {
	testlab.Privileged(t)
	needMininet(t)
	res := testlab.Run(t, "", "scripts/bench/lab_tree.lua", "1")
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s%s", res.Code, res.Stdout, res.Stderr)
	}
	for _, who := range []string{"netlua", "ip netns/ip link", "mininet"} {
		re := `(?m)^` + regexp.QuoteMeta(who) + ` tree,depth=2,fanout=2: build [0-9.]+ ms, teardown [0-9.]+ ms \(median of 1\)$`
		if !regexp.MustCompile(re).MatchString(res.Stdout) {
			t.Errorf("no times of %s in\n%s", who, res.Stdout)
		}
	}
	if strings.Contains(res.Stdout, "note:") {
		t.Errorf("notes in\n%s", res.Stdout)
	}
}
