package nftcore_test

import (
	"errors"
	"github.com/netlua/netlua/luabind/internal/nftcore"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// These tests need root and the kernel's nftables; each works inside lab
// namespaces of its own, never on the machine's ruleset.

// tableIn makes a nftcore.Table in the namespace of e, closed after the test.
func tableIn(t *testing.T, e *lab.End, persist bool) *nftcore.Table {
	t.Helper()
	c, err := nftcore.Dial(e.NetNS())
	if err != nil {
		t.Fatal(err)
	}
	tb := nftcore.NewTable(c, persist)
	t.Cleanup(func() { tb.Close() })
	return tb
}

func TestOwnedTableGoesWithItsSocket(t *testing.T) {
	_, b := labtest.Pair(t)
	tb := tableIn(t, b, false)
	nftcore.MustAdd(t, tb, nftcore.Match{Proto: unix.IPPROTO_TCP, Contains: []byte("HTTP")}, nftcore.Drop)
	if got := labtest.NFT(t, b.NetNS(), "list", "tables"); got != "table inet netlua\n" {
		t.Fatalf("tables: %q", got)
	}
	if got := labtest.NFT(t, b.NetNS(), "list", "table", "inet", "netlua"); !strings.Contains(got, "flags owner") {
		t.Errorf("the table is not owned:\n%s", got)
	}
	if err := tb.Close(); err != nil {
		t.Fatal(err)
	}
	if got := labtest.NFT(t, b.NetNS(), "list", "ruleset"); got != "" {
		t.Errorf("ruleset after Close:\n%s", got)
	}
}

// A table called netlua that netlua did not make stays as it is: netlua
// makes netlua_2 beside it, and the kernel refuses changes to netlua's
// table from any other socket.
func TestOtherTablesAndSocketsStayApart(t *testing.T) {
	_, b := labtest.Pair(t)
	foreign := "table inet netlua {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tudp dport 53 accept\n\t}\n}\n"
	cmd := exec.Command("nft", "-f", "-")
	cmd.Stdin = strings.NewReader(foreign)
	if out, err := runIn(b.NetNS(), cmd); err != nil {
		t.Fatalf("nft -f: %v\n%s", err, out)
	}
	tb := tableIn(t, b, false)
	r := nftcore.MustAdd(t, tb, nftcore.Match{Proto: unix.IPPROTO_ICMP}, nftcore.Drop)
	if tb.Name() != "inet netlua_2" {
		t.Errorf("table %s, want inet netlua_2", tb.Name())
	}
	other, err := nftcore.Dial(b.NetNS())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	m, _ := nftcore.DelRuleMsg("netlua_2", r.Chain, r.Handle)
	if _, err := other.Batch([]netlink.Message{m}); !errors.Is(err, os.ErrPermission) {
		t.Errorf("another socket deleting netlua's rule: %v, want a permission error", err)
	}
	tb.Close()
	if got := labtest.NFT(t, b.NetNS(), "list", "ruleset"); got != foreign {
		t.Errorf("ruleset after netlua:\n%s\nwant only the foreign table:\n%s", got, foreign)
	}
}

// runIn runs cmd inside ns and returns its combined output.
func runIn(ns *netns.NS, cmd *exec.Cmd) ([]byte, error) {
	var out []byte
	err := ns.Do(func() (err error) {
		out, err = cmd.CombinedOutput()
		return err
	})
	return out, err
}

func TestPersistentTableStays(t *testing.T) {
	_, b := labtest.Pair(t)
	tb := tableIn(t, b, true)
	var created string
	tb.Created = func(name string, _ []nftcore.Taken) { created = name }
	nftcore.MustAdd(t, tb, nftcore.Match{Proto: unix.IPPROTO_UDP}, nftcore.Accept)
	tb.Close()
	got := labtest.NFT(t, b.NetNS(), "list", "ruleset")
	if created != "inet netlua_persist" || !strings.HasPrefix(got, "table inet netlua_persist {\n\tchain input") {
		t.Errorf("created %q; ruleset after Close:\n%s", created, got)
	}
}

// Counters count exactly the packets a rule matched, and their IP bytes.
func TestCountersAreExact(t *testing.T) {
	a, b := labtest.Pair(t)
	tb := tableIn(t, b, false)
	http := nftcore.MustAdd(t, tb, nftcore.Match{Proto: unix.IPPROTO_UDP, Dport: nftcore.Port(9999), Contains: []byte("HTTP")}, nftcore.Drop)
	all := nftcore.MustAdd(t, tb, nftcore.Match{Proto: unix.IPPROTO_UDP, Dport: nftcore.Port(9999)}, nftcore.Count)
	const req = "GET / HTTP/1.1\r\n\r\n"
	labtest.SendUDP(t, a, 9999, req, "hello", req, req, "hello")
	labtest.SendUDP(t, a, 9998, req)
	c, err := http.Counter()
	if want := (nftcore.Counter{Packets: 3, Bytes: 3 * (20 + 8 + uint64(len(req)))}); err != nil || c != want {
		t.Errorf("drop counter %+v, %v; want %+v", c, err, want)
	}
	// The dropped packets never reach the second rule.
	c, err = all.Counter()
	if want := (nftcore.Counter{Packets: 2, Bytes: 2 * (20 + 8 + 5)}); err != nil || c != want {
		t.Errorf("count counter %+v, %v; want %+v", c, err, want)
	}
}

// Two tables of two sockets in one namespace, as two netlua processes
// make them: the kernel refuses the second the name the first owns, with
// EPERM; the second takes netlua_2, both rules work, and each Close
// removes only its own table.
func TestTablesSideBySide(t *testing.T) {
	a, b := labtest.Pair(t)
	first, second := tableIn(t, b, false), tableIn(t, b, false)
	r1 := nftcore.MustAdd(t, first, nftcore.Match{Proto: unix.IPPROTO_UDP, Dport: nftcore.Port(9999)}, nftcore.Count)
	r2 := nftcore.MustAdd(t, second, nftcore.Match{Proto: unix.IPPROTO_UDP, Dport: nftcore.Port(9999)}, nftcore.Count)
	if first.Name() != "inet netlua" || second.Name() != "inet netlua_2" {
		t.Errorf("tables %s and %s, want inet netlua and inet netlua_2", first.Name(), second.Name())
	}
	labtest.SendUDP(t, a, 9999, "one", "two")
	for i, r := range []*nftcore.Rule{r1, r2} {
		if c, err := r.Counter(); err != nil || c.Packets != 2 {
			t.Errorf("table %d counted %+v, %v; want 2 packets", i+1, c, err)
		}
	}
	first.Close()
	if got := labtest.NFT(t, b.NetNS(), "list", "tables"); got != "table inet netlua_2\n" {
		t.Errorf("tables after the first closed: %q", got)
	}
	second.Close()
	if got := labtest.NFT(t, b.NetNS(), "list", "ruleset"); got != "" {
		t.Errorf("ruleset after both closed:\n%s", got)
	}
}

// A Chance rule reads back through nft as the numgen rule nft itself
// writes (the lab's loss tests measure the share it drops).
func TestChanceRule(t *testing.T) {
	_, b := labtest.Pair(t)
	tb := tableIn(t, b, false)
	nftcore.MustAdd(t, tb, nftcore.Match{Hook: "output", Proto: unix.IPPROTO_UDP, Chance: 250_000}, nftcore.Count)
	got := labtest.NFT(t, b.NetNS(), "list", "table", "inet", tb.Name()[len("inet "):])
	if !strings.Contains(got, "meta l4proto udp numgen random mod 1000000 < 250000 counter") {
		t.Errorf("nft lists:\n%s", got)
	}
}
