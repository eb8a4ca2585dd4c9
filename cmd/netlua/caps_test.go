package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// capsWait is how long a call that lacks a capability may take to say so.
const capsWait = time.Second

// A capsCase is a call run with some capabilities, and what its error
// must say: the capability it names and the setcap line it suggests
// ("" for none), or nothing at all (it succeeds).
type capsCase struct {
	name, code string
	need       string   // "CAP_NET_RAW"; "" when the call succeeds or names none
	setcap     string   // "cap_net_raw,cap_net_admin"; "" when no line fits
	not        []string // what the message must not say
}

// The three ways netlua is run without root (no capabilities, the two
// network ones, all three) each name the capability really missing, the
// one setcap line that grants it, and fail within capsWait. Each run is
// as nobody in a network namespace of its own, so even a wrong success
// touches nothing of the host.
func TestPrivilegesNamed(t *testing.T) {
	testlab.Privileged(t) // root is needed to switch to nobody
	setpriv := testlab.NeedTool(t, "setpriv", "util-linux")
	bin := testlab.Binary(t)
	unwritable := t.TempDir() // root's, 0700: nobody may not write in it
	pcapFile := filepath.Join(unwritable, "x.pcap")
	net := "cap_net_raw,cap_net_admin"
	sys := net + ",cap_sys_admin"
	ownNS := `netns = "/proc/self/ns/net"` // entering needs CAP_SYS_ADMIN, even one's own
	runs := []struct {
		caps  string // for setpriv's --inh-caps and --ambient-caps
		cases []capsCase
	}{
		{"", []capsCase{
			// A batch alone (the kernel refuses it whole, with one answer),
			// and after a request for the xt string match.
			{"nft.drop", `require("nft").drop{ proto = "tcp", dport = 80 }`, "CAP_NET_ADMIN", net, nil},
			{"nft.drop contains", `require("nft").drop{ proto = "tcp", contains = "HTTP" }`, "CAP_NET_ADMIN", net, nil},
			{"nfqueue.hook", `require("nfqueue").hook({ proto = "tcp" }, print)`, "CAP_NET_ADMIN", net, nil},
			{"netlink.set_link", `require("netlink").set_link("lo", { up = true })`, "CAP_NET_ADMIN", net, nil},
			{"packet.open", `require("packet").open("lo")`, "CAP_NET_RAW", net, nil},
			{"rawip.open", `require("rawip").open{ proto = "udp" }`, "CAP_NET_RAW", net, nil},
			{"lab.pair", `require("lab").pair()`, "CAP_SYS_ADMIN", sys, nil},
		}},
		{"+net_raw,+net_admin", []capsCase{
			{"packet.open netns", `require("packet").open("lo", { ` + ownNS + ` })`, "CAP_SYS_ADMIN", sys, nil},
			{"netlink.set_link netns", `require("netlink").set_link("lo", { up = true, ` + ownNS + ` })`, "CAP_SYS_ADMIN", sys, nil},
			{"nft.drop netns", `require("nft").drop{ proto = "tcp", ` + ownNS + ` }`, "CAP_SYS_ADMIN", sys, nil},
			{"lab.new", `require("lab").new()`, "CAP_SYS_ADMIN", sys, nil},
			{"pcap.writer", `require("pcap").writer("` + pcapFile + `")`, "", "",
				[]string{"CAP_", "setcap", "needs root"}},
			{"nft.drop", `require("nft").drop{ proto = "tcp", contains = "HTTP" }`, "", "", nil},
			{"capture xdp", xdpCapture, "CAP_SYS_ADMIN", sys, []string{"MEMLOCK"}},
		}},
		{"+net_raw,+net_admin,+sys_admin", []capsCase{
			{"packet.open netns", `require("packet").open("lo", { ` + ownNS + ` })`, "", "", nil},
			{"lab.pair", `require("lab").pair()`, "", "", nil},
			// Without CAP_IPC_LOCK the UMEMs fit in RLIMIT_MEMLOCK.
			{"capture xdp", xdpCapture, "", "", nil},
			{"blast xdp", `require("netlink").set_link("lo", { up = true })
				assert(require("packet").open("lo"):blast(("x"):rep(60), { count = 1000, engine = "xdp" }).sent == 1000)`, "", "", nil},
			// /run/netns is root's: no capability netlua suggests helps.
			{"lab.pair pin", `require("lab").pair{ pin = true }`, "CAP_DAC_OVERRIDE", "",
				[]string{"CAP_SYS_ADMIN", "setcap"}},
		}},
	}
	for _, run := range runs {
		for _, c := range run.cases {
			t.Run(strings.TrimPrefix(run.caps+"/"+c.name, "/"), func(t *testing.T) {
				checkCapsCase(t, setpriv, bin, run.caps, c)
			})
		}
	}
}

// xdpCapture is a short capture with engine xdp, whose XDP program needs
// CAP_BPF (or CAP_SYS_ADMIN).
const xdpCapture = `require("packet").open("lo"):capture{ file = os.tmpname(), engine = "xdp", duration = 0.1 }`

// checkCapsCase runs c as nobody with caps and checks its message.
func checkCapsCase(t *testing.T, setpriv, bin, caps string, c capsCase) {
	stderr, code, took := runAsNobody(t, setpriv, bin, caps, c.code)
	if took > capsWait {
		t.Errorf("took %v, want at most %v", took, capsWait)
	}
	if strings.Contains(stderr, "goroutine ") {
		t.Errorf("a Go trace:\n%s", stderr)
	}
	for _, no := range c.not {
		if strings.Contains(stderr, no) {
			t.Errorf("the message says %q:\n%s", no, stderr)
		}
	}
	switch {
	case c.need == "" && c.not == nil:
		if code != 0 {
			t.Errorf("exit %d, want success:\n%s", code, stderr)
		}
		return
	case code != 1:
		t.Errorf("exit %d, want 1:\n%s", code, stderr)
	}
	if c.need != "" && !strings.Contains(stderr, "needs root or "+c.need) {
		t.Errorf("the message does not name %s:\n%s", c.need, stderr)
	}
	if c.setcap != "" && !strings.Contains(stderr, "sudo setcap "+c.setcap+"+ep ") {
		t.Errorf("the message does not suggest setcap %s:\n%s", c.setcap, stderr)
	}
}

// runAsNobody runs netlua -e code as nobody with the capabilities caps
// (ambient, so they survive the change of user), in a new network and
// mount namespace, and returns its stderr, exit status and running time.
func runAsNobody(t *testing.T, setpriv, bin, caps, code string) (string, int, time.Duration) {
	t.Helper()
	unshare := testlab.NeedTool(t, "unshare", "util-linux")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := []string{"--reuid=65534", "--regid=65534", "--clear-groups"}
	if caps != "" {
		args = append(args, "--inh-caps="+caps, "--ambient-caps="+caps)
	}
	args = append(args, "--", bin, "-e", code)
	// A /run of its own, with root's /run/netns as a machine has it: the
	// host's /run may lack netns, and a tmpfs /run lets anyone make it.
	const ownRun = `mount -t tmpfs -o mode=755 netlua-test /run && mkdir -m 755 /run/netns && exec "$@"`
	args = append([]string{"--net", "--mount", "--propagation", "private", "--", "sh", "-c", ownRun, "sh", setpriv}, args...)
	cmd := exec.CommandContext(ctx, unshare, args...)
	cmd.Dir = "/"
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("still running after 30 s:\n%s", stderr.String())
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stderr.String(), 0, took
	case !errors.As(err, &exit):
		t.Fatalf("unshare: %v\n%s", err, stderr.String())
	}
	return stderr.String(), exit.ExitCode(), took
}

// Under setcap (file capabilities on a copy of the binary, run as
// nobody) the lab exercises pass with their solutions, forwarding
// included: lab operations netlua performs itself run no program, whose
// children would have no capabilities (checked here too, as the README
// says it).
func TestLabUnderSetcap(t *testing.T) {
	testlab.Privileged(t)
	setpriv := testlab.NeedTool(t, "setpriv", "util-linux")
	setcap := testlab.NeedTool(t, "setcap", "libcap2-bin")
	// Not t.TempDir, whose parent only root may search: netlua finds
	// itself by name to keep its capabilities in a command's mount
	// namespace, and nobody must reach that name.
	dir, err := os.MkdirTemp("", "netlua-setcap-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "netlua")
	copyFile(t, testlab.Binary(t), bin, 0o755)
	if out, err := exec.Command(setcap, "cap_net_raw,cap_net_admin,cap_sys_admin+ep", bin).CombinedOutput(); err != nil {
		t.Fatalf("setcap: %v\n%s", err, out)
	}
	exercises := os.DirFS(filepath.Join(testlab.Root(), "scripts", "lab"))
	if err := os.CopyFS(filepath.Join(dir, "lab"), exercises); err != nil {
		t.Fatal(err)
	}
	code := `local a = require("lab").pair(); io.write((a:exec{ "grep", "CapEff", "/proc/self/status" }))`
	stdout, stderr := runSetcap(t, setpriv, bin, dir, "-e", code)
	if want := "CapEff:\t0000000000000000\n"; stdout != want {
		t.Errorf("an exec'd child has %q, want %q\n%s", stdout, want, stderr)
	}
	// pingall's raw sockets and the private directories (nobody may
	// write the machine's /run, not the host's) need no root either.
	code = `local n = require("lab").new{ private = true }; local a, b = n:host("a"), n:host("b"); n:link(a, b)
		local r = n:pingall(); io.write(tostring(r.received == r.sent and r.sent > 0), " ", (a:exec{ "getent", "ahostsv4", "b" }):match("^%S+"), " ",
		(a:exec{ "sh", "-c", "echo x > /run/f && cat /run/f" }))`
	stdout, stderr = runSetcap(t, setpriv, bin, dir, "-e", code)
	if want := "true 198.18.0.2 x\n"; stdout != want {
		t.Errorf("pingall and private directories under setcap: %q, want %q\n%s", stdout, want, stderr)
	}
	// Switches (with STP), routers, routes, IPv6 and shaping (qdiscs
	// through netlink, nft, the NFQUEUE delay line) need no root or
	// program either: the builders and link:shape, down and up.
	code = `local lab = require "lab"
		local d = lab.dumbbell{ left = 1, right = 1, bottleneck = { delay = "5ms", loss = 1, rate = "50mbit" } }
		local t = lab.tree(2, 2); local sw = lab.new():switch("s", { stp = true })
		local k = d.r1.ifaces[2].link; k:down(); k:up(); k:shape{ rate = "20mbit" }
		local r, v = d:pingall{ timeout = 5 }, t:pingall()
		io.write(tostring(v.received == v.sent and v.sent > 0), " ", tostring(r.received > 0), " ", k.shaping.rate, " ", d.h1:sysctl{ ["net.ipv4.ip_forward"] = 0 }["net.ipv4.ip_forward"], "\n")`
	stdout, stderr = runSetcap(t, setpriv, bin, dir, "-e", code)
	if want := "true true tbf 0\n"; stdout != want {
		t.Errorf("switches, routers and shaping under setcap: %q, want %q\n%s", stdout, want, stderr)
	}
	stdout, stderr = runSetcap(t, setpriv, bin, dir, "test", "lab")
	if !strings.Contains(stdout, " 0 failed") {
		t.Errorf("the lab exercises under setcap:\n%s%s", stdout, stderr)
	}
}

// runSetcap runs bin with args as nobody, no capabilities but the file's,
// in dir, with the exercises' solutions, and returns what it wrote.
func runSetcap(t *testing.T, setpriv, bin, dir string, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", "--", bin}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NETLUA_LAB_SOLUTIONS=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Errorf("netlua %s: %v", strings.Join(args, " "), err)
	}
	return stdout.String(), stderr.String()
}

// copyFile copies src to dst with mode perm.
func copyFile(t *testing.T, src, dst string, perm os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, perm); err != nil {
		t.Fatal(err)
	}
}
