package lab

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/testlab"
)

// labIPv6: lab ends have IPv6 addresses (Config.NoIPv6 unset), so tests
// expect their pairs too.
const labIPv6 = true

// pingOracle pings each pair's address with ping(8) inside the source
// host and reports which answered: ping's own exit status is the oracle.
// The hosts ping at once, each its targets in turn: two pings of one host
// at once may take each other's replies (iputils reports them as from a
// "DIFFERENT ADDRESS" and counts them).
func pingOracle(t *testing.T, pings []Ping) []bool {
	t.Helper()
	ok := make([]bool, len(pings))
	var wg sync.WaitGroup
	for _, from := range pingSources(pings) {
		wg.Go(func() {
			for i, p := range pings {
				if p.From == from {
					res, err := p.From.Exec(context.Background(), Cmd{Argv: []string{"ping", "-c2", "-i0.2", "-W1", p.Addr.String()}})
					ok[i] = err == nil && res.Status == 0
				}
			}
		})
	}
	wg.Wait()
	return ok
}

// pingSources are the hosts that ping, once each.
func pingSources(pings []Ping) []*Host {
	var hosts []*Host
	for _, p := range pings {
		if !slices.Contains(hosts, p.From) {
			hosts = append(hosts, p.From)
		}
	}
	return hosts
}

// A LAN of three, a separate pair, and a host that drops the echo
// requests of one other: pingall's matrix is the one ping(8) finds.
func TestPingAllMatchesPing(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	h1, h2, h3 := mustHost(t, l, "h1"), mustHost(t, l, "h2"), mustHost(t, l, "h3")
	mustLAN(t, l, h1, h2, h3)
	mustLink(t, l, mustHost(t, l, "c"), mustHost(t, l, "d"))
	run(t, h3, "nft", "add table ip t; add chain ip t in { type filter hook input priority 0; }; add rule ip t in ip saddr 198.18.0.1 icmp type echo-request drop")

	pings, err := l.PingAll(context.Background(), PingOptions{})
	if err != nil {
		t.Fatal(err)
	}
	families := 1
	if labIPv6 {
		families = 2
	}
	if len(pings) != 5*4*families {
		t.Fatalf("%d pairs, want %d (5 addressed hosts, the switch left out, in %d families)", len(pings), 20*families, families)
	}
	want := pingOracle(t, pings)
	reached := 0
	for i, p := range pings {
		if p.OK != want[i] {
			t.Errorf("%s -> %s (%s): pingall says %v, ping says %v", p.From.Name(), p.To.Name(), p.Addr, p.OK, want[i])
		}
		if p.OK {
			reached++
		}
	}
	// 6 pairs on the LAN but h1 -> h3, and c <-> d; in IPv6 (the rule
	// drops IPv4 only) all 8.
	if want := 7 + 8*(families-1); reached != want {
		t.Errorf("%d pairs reached, want %d:\n%s", reached, want, PingReport(pings))
	}
}

// PingReport prints Mininet's pingall matrix: the lines Mininet 2.3's
// net.pingAll() prints for the same outcome (X for a pair not reached,
// the dropped share rounded down).
func TestPingReportIsMininets(t *testing.T) {
	a, b, c := &Host{name: "h1"}, &Host{name: "h2"}, &Host{name: "h3"}
	pings := []Ping{{From: a, To: b, OK: true}, {From: a, To: c}, {From: b, To: a, OK: true},
		{From: b, To: c, OK: true}, {From: c, To: a, OK: true}, {From: c, To: b, OK: true}}
	for i := range pings {
		pings[i].Addr = netip.MustParseAddr(fmt.Sprintf("198.18.0.%d", i+1))
	}
	want := "*** Ping: testing ping reachability\nh1 -> h2 X \nh2 -> h1 h3 \nh3 -> h1 h2 \n*** Results: 16% dropped (5/6 received)\n"
	if got := PingReport(pings); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// A closed lab pings nothing.
func TestPingAllClosedLab(t *testing.T) {
	l := New(Config{})
	l.Close()
	if _, err := l.PingAll(context.Background(), PingOptions{}); err == nil {
		t.Error("pingall of a closed lab: no error")
	}
}

// BenchmarkPingAll pings every pair of a LAN of 8 hosts.
func BenchmarkPingAll(b *testing.B) {
	testlab.Privileged(b)
	l := New(Config{})
	defer l.Close()
	var hosts []*Host
	for i := range 8 {
		h, err := l.Host(fmt.Sprintf("h%d", i+1))
		if err != nil {
			b.Fatal(err)
		}
		hosts = append(hosts, h)
	}
	if _, err := l.LAN(hosts); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := l.PingAll(context.Background(), PingOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The IPv6 path: echo requests from a raw ICMPv6 socket reach an address
// the peer has and not one nobody has, as ping(8) finds. (The lab gives
// ends no IPv6 address yet; the test adds them with ip(8).)
func TestPingIPv6(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	a, b := mustLink(t, l, mustHost(t, l, "a"), mustHost(t, l, "b"))
	run(t, a.Host, "ip", "-6", "addr", "add", "2001:2:0:1::1/64", "dev", a.Ifname, "nodad")
	run(t, b.Host, "ip", "-6", "addr", "add", "2001:2:0:1::2/64", "dev", b.Ifname, "nodad")
	pings := []*Ping{
		{From: a.Host, To: b.Host, Addr: netip.MustParseAddr("2001:2:0:1::2")},
		{From: a.Host, To: b.Host, Addr: netip.MustParseAddr("2001:2:0:1::9")},
	}
	if err := a.Host.pingEach(context.Background(), pings, PingOptions{Timeout: time.Second, Resend: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	got := []Ping{*pings[0], *pings[1]}
	want := pingOracle(t, got)
	for i, p := range got {
		if p.OK != want[i] {
			t.Errorf("%s: pingall says %v, ping says %v", p.Addr, p.OK, want[i])
		}
	}
	if !want[0] || want[1] {
		t.Errorf("ping reached %v, want the first only", want)
	}
	if r := PingReport(got); !strings.HasPrefix(r, "*** Ping6: testing ping6 reachability\na -> b X \n") {
		t.Errorf("report:\n%s", r)
	}
}

// A LAN of k hosts takes k(k-1) neighbour entries; the hint names the
// kernel's limit only when a ping failed and the lab outgrows it.
func TestPingHint(t *testing.T) {
	l := New(Config{})
	var hosts []*Host
	for i := range 5 {
		h := &Host{name: fmt.Sprintf("h%d", i+1)}
		h.ends = []*End{{Host: h, Addr: netip.MustParsePrefix(fmt.Sprintf("198.18.0.%d/24", i+1))}}
		hosts = append(hosts, h)
	}
	pair := &Host{name: "x", ends: []*End{{Addr: netip.MustParsePrefix("198.18.1.1/24")}, {}}} // and a switch port
	l.hosts = append(hosts, pair, &Host{name: "y", ends: []*End{{Addr: netip.MustParsePrefix("198.18.1.2/24")}}})
	if got := l.neighbourNeed(netip.Addr.Is4); got != 5*4+2 {
		t.Errorf("need %d, want 22", got)
	}
	ok := []Ping{{From: hosts[0], To: hosts[1], Addr: netip.MustParseAddr("198.18.0.2"), OK: true}}
	lost := []Ping{{From: hosts[0], To: hosts[1], Addr: netip.MustParseAddr("198.18.0.2")}}
	for _, c := range []struct {
		pings []Ping
		limit int
		hint  bool
	}{{lost, 21, true}, {lost, 22, false}, {ok, 21, false}, {lost, 0, false}} {
		limit := func(family string) int { return map[string]int{"ipv4": c.limit}[family] }
		if got := l.PingHint(c.pings, limit); (got != "") != c.hint || c.hint && !strings.Contains(got, "net.ipv4.neigh.default.gc_thresh3=") {
			t.Errorf("limit %d, ok %v: hint %q", c.limit, c.pings[0].OK, got)
		}
	}
}
