package lab

import (
	"crypto/rand"
	"os"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// dnsmasq starts dnsmasq in h with the same pid and lease files as in
// every other host, answering lab.example with answer; it daemonizes and
// runs until the host is torn down.
func dnsmasq(t *testing.T, h *Host, answer string) {
	t.Helper()
	addr := h.Ends()[0].Addr
	run(t, h, testlab.NeedTool(t, "dnsmasq", "dnsmasq-base"),
		"--pid-file=/run/dnsmasq.pid", "--dhcp-leasefile=/var/lib/misc/dnsmasq.leases",
		"--log-facility=/var/log/dnsmasq.log", "--user=root",
		"--listen-address="+addr.Addr().String(), "--bind-interfaces", "--no-resolv", "--no-hosts",
		"--address=/lab.example/"+answer, "--dhcp-range="+hostAddr(addr.Masked(), 100).Addr().String()+","+hostAddr(addr.Masked(), 150).Addr().String())
}

// Two dnsmasq with one pid file, lease file and log run side by side in
// two private hosts, each with its own files (its pid is the one pgrep
// finds in its host); each host resolves the other's name through its
// own /etc/hosts, and the other's lab.example through the resolv.conf the
// test wrote in its directory: glibc's getent is the oracle.
func TestPrivateDirsRunTwoDnsmasq(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{Private: true})
	h1, h2 := mustHost(t, l, "h1"), mustHost(t, l, "h2")
	mustLink(t, l, h1, h2)
	if h1.Dir() == "" || h2.Dir() == "" {
		t.Fatal("no private directories") // and the test would write the machine's files
	}
	dnsmasq(t, h1, "198.18.0.81")
	dnsmasq(t, h2, "198.18.0.82")
	for _, h := range []*Host{h1, h2} {
		pid := strings.TrimSpace(run(t, h, "cat", "/run/dnsmasq.pid"))
		if got := strings.TrimSpace(run(t, h, "pgrep", "-x", "dnsmasq")); got != pid || pid == "" {
			t.Errorf("%s: /run/dnsmasq.pid holds %q, pgrep finds %q", h.Name(), pid, got)
		}
		if _, err := os.Stat(h.Dir() + "/var/lib/misc/dnsmasq.leases"); err != nil {
			t.Errorf("%s: its lease file: %v", h.Name(), err)
		}
	}
	if out := run(t, h1, "getent", "ahostsv4", "h2"); strings.Fields(out)[0] != "198.18.0.2" {
		t.Errorf("h1: getent ahostsv4 h2: %q, want 198.18.0.2", out)
	}
	for _, c := range []struct {
		h          *Host
		ns, answer string
	}{{h1, "198.18.0.2", "198.18.0.82"}, {h2, "198.18.0.1", "198.18.0.81"}} {
		if err := os.WriteFile(c.h.Dir()+"/etc/resolv.conf", []byte("nameserver "+c.ns+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if out := run(t, c.h, "getent", "ahostsv4", "lab.example"); strings.Fields(out)[0] != c.answer {
			t.Errorf("%s: getent ahostsv4 lab.example: %q, want %s (from %s's dnsmasq)", c.h.Name(), out, c.answer, c.ns)
		}
	}
}

// A host of a lab without private directories has none, and sees the
// machine's /run: a file its command makes there is the machine's (the
// test removes it).
func TestNoPrivateDirs(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	h := mustHost(t, l, "h1")
	if h.Dir() != "" {
		t.Errorf("Dir is %q, want none", h.Dir())
	}
	name := "/run/netlua-test-" + rand.Text()[:10]
	run(t, h, "touch", name)
	defer os.Remove(name)
	if _, err := os.Stat(name); err != nil {
		t.Errorf("the host's %s is not the machine's: %v", name, err)
	}
}
