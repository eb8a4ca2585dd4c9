package lab

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/ledger"
	"github.com/netlua/netlua/luabind/testlab"
)

// testLab makes a lab torn down at the end of the test.
func testLab(t *testing.T, cfg Config) *Lab {
	t.Helper()
	if cfg.Ledger == nil {
		cfg.Ledger = &ledger.Ledger{}
	}
	l := New(cfg)
	t.Cleanup(func() {
		if err := cfg.Ledger.Unwind(); err != nil {
			t.Error(err)
		}
	})
	return l
}

// mustHost makes host name in l.
func mustHost(t *testing.T, l *Lab, name string) *Host {
	t.Helper()
	h, err := l.Host(name)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// mustLink links x and y in l.
func mustLink(t *testing.T, l *Lab, x, y *Host) (*End, *End) {
	t.Helper()
	a, b, err := l.Link(x, y)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// run runs argv in h and returns its output, failing unless it exits 0.
func run(t *testing.T, h *Host, argv ...string) string {
	t.Helper()
	res, err := h.Exec(context.Background(), Cmd{Argv: argv})
	if err != nil || res.Status != 0 {
		t.Fatalf("%s: %s: status %d, err %v\n%s", h.Name(), strings.Join(argv, " "), res.Status, err, res.Output)
	}
	return string(res.Output)
}

func TestLinkEndsReachEachOther(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	a, b := mustLink(t, l, mustHost(t, l, "a"), mustHost(t, l, "b"))
	run(t, a.Host, "ping", "-c1", "-W1", b.Addr.Addr().String())
	run(t, b.Host, "ping", "-c1", "-W1", a.Addr.Addr().String())
}

func TestLinkConfiguresBothEnds(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	a, b := mustLink(t, l, mustHost(t, l, "a"), mustHost(t, l, "b"))
	for _, e := range []*End{a, b} {
		out := run(t, e.Host, "ip", "-o", "addr", "show", "dev", e.Ifname)
		if !strings.Contains(out, "inet "+e.Addr.String()) {
			t.Errorf("%s %s has no %s:\n%s", e.Host.Name(), e.Ifname, e.Addr, out)
		}
		out = run(t, e.Host, "ip", "-o", "link", "show")
		for _, want := range []string{e.MAC.String(), "lo: <LOOPBACK,UP", e.Ifname + "@"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: ip link has no %q:\n%s", e.Host.Name(), want, out)
			}
		}
		if strings.Contains(out, "NO-CARRIER") || strings.Contains(out, "state DOWN") {
			t.Errorf("%s: an interface is not running:\n%s", e.Host.Name(), out)
		}
	}
}

// Each host numbers its own interfaces in link order.
func TestInterfaceNamesPerHost(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	r1, r2, r3 := mustHost(t, l, "r1"), mustHost(t, l, "r2"), mustHost(t, l, "r3")
	e12, e21 := mustLink(t, l, r1, r2)
	e23, e32 := mustLink(t, l, r2, r3)
	e13, e31 := mustLink(t, l, r1, r3)
	want := []struct {
		end    *End
		ifname string
		subnet string
	}{
		{e12, "veth0", "198.18.0.1/24"}, {e21, "veth0", "198.18.0.2/24"},
		{e23, "veth1", "198.18.1.1/24"}, {e32, "veth0", "198.18.1.2/24"},
		{e13, "veth1", "198.18.2.1/24"}, {e31, "veth1", "198.18.2.2/24"},
	}
	for _, w := range want {
		if w.end.Ifname != w.ifname || w.end.Addr.String() != w.subnet {
			t.Errorf("%s: %s %s, want %s %s", w.end.Host.Name(), w.end.Ifname, w.end.Addr, w.ifname, w.subnet)
		}
	}
	if n := len(r2.Ends()); n != 2 {
		t.Errorf("r2 has %d ends, want 2", n)
	}
	run(t, r3, "ping", "-c1", "-W1", e13.Addr.Addr().String())
}

func TestHostRefuses(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	mustHost(t, l, "r1")
	tests := []struct{ name, want string }{
		{"r1", "the lab has a host of that name"},
		{"a/b", "is not a host name"},
		{"..", "is not a host name"},
		{strings.Repeat("x", 33), "is not a host name"},
	}
	for _, tt := range tests {
		if _, err := l.Host(tt.name); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Host(%q) = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestHostDefaultNames(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	for i := 1; i <= 2; i++ {
		if h := mustHost(t, l, ""); h.Name() != fmt.Sprintf("h%d", i) {
			t.Errorf("host %d is called %q", i, h.Name())
		}
	}
}

func TestLinkRefusesOneHost(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	h := mustHost(t, l, "r1")
	if _, _, err := l.Link(h, h); err == nil || err.Error() != "r1 and r1 are the same host" {
		t.Errorf("Link(r1, r1) = %v", err)
	}
}

func TestCloseTearsDown(t *testing.T) {
	testlab.Privileged(t)
	ledger := &ledger.Ledger{}
	l := testLab(t, Config{Ledger: ledger})
	a, b := mustHost(t, l, "a"), mustHost(t, l, "b")
	mustLink(t, l, a, b)
	if n := ledger.Len(); n != 2 {
		t.Errorf("ledger has %d entries, want one per host", n)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if n := ledger.Len(); n != 0 {
		t.Errorf("ledger has %d entries after Close", n)
	}
	if a.NetNS().FD() != -1 || b.NetNS().FD() != -1 {
		t.Error("Close left a namespace open")
	}
	if _, err := l.Host("c"); err == nil {
		t.Error("a closed lab made a host")
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// A closed lab makes no link, and says why rather than which namespace
// call failed.
func TestLinkRefusesClosedLab(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	a, b := mustHost(t, l, "a"), mustHost(t, l, "b")
	l.Close()
	if _, _, err := l.Link(a, b); err == nil || err.Error() != "the lab is closed" {
		t.Errorf("Link after Close = %v, want \"the lab is closed\"", err)
	}
}

// Pair makes hosts a and b joined by one link, as lab.pair does.
func TestPair(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	a, b, err := l.Pair()
	if err != nil {
		t.Fatal(err)
	}
	if a.Host.Name() != "a" || b.Host.Name() != "b" || a.Peer != b || len(l.Hosts()) != 2 {
		t.Errorf("Pair made %v and %v in %d hosts", a, b, len(l.Hosts()))
	}
	run(t, a.Host, "ping", "-c1", "-W1", b.Addr.Addr().String())
}

// Two labs pinning the same names get distinct ones; closing unpins.
func TestPinNamesAreUnique(t *testing.T) {
	testlab.Privileged(t)
	prefix := "netlua-test-" + rand.Text()[:10] + "-" // not the pid: a stale pin may hold it
	l1 := testLab(t, Config{Pin: true, PinPrefix: prefix})
	l2 := testLab(t, Config{Pin: true, PinPrefix: prefix})
	h1, h2 := mustHost(t, l1, "a"), mustHost(t, l2, "a")
	if h1.Pinned() != prefix+"a" || h2.Pinned() != prefix+"a-2" {
		t.Errorf("pinned as %q and %q, want %sa and %sa-2", h1.Pinned(), h2.Pinned(), prefix, prefix)
	}
	l1.Close()
	l2.Close()
	for _, name := range []string{prefix + "a", prefix + "a-2"} {
		if _, err := os.Stat("/run/netns/" + name); err == nil {
			t.Errorf("/run/netns/%s is still there after Close", name)
		}
	}
}

// More than 100 labs of one process may pin the same host name at once:
// the 150th is named a-150.
func TestManyPinsOfOneName(t *testing.T) {
	testlab.Privileged(t)
	prefix := "netlua-test-" + rand.Text()[:10] + "-" // not the pid: a stale pin may hold it
	ledger := &ledger.Ledger{}
	var last *Host
	for range 150 {
		last = mustHost(t, testLab(t, Config{Pin: true, PinPrefix: prefix, Ledger: ledger}), "a")
	}
	if want := prefix + "a-150"; last.Pinned() != want {
		t.Errorf("the 150th pinned as %q, want %q", last.Pinned(), want)
	}
}
