package nexthop

import (
	"errors"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/rtnl"
	"github.com/netlua/netlua/luabind/lab"
	"github.com/netlua/netlua/luabind/lab/labtest"
)

// dial opens an rtnetlink connection inside e's namespace.
func dial(t *testing.T, e *lab.End) *netlink.Conn {
	t.Helper()
	c, err := rtnl.Dial(e.NetNS(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ipRouteGet is what `ip route get DST oif IFACE` says in e's host: the
// route's type word ("broadcast", or "" for unicast), its gateway ("" on
// link) and its source.
func ipRouteGet(t *testing.T, e *lab.End, dst string) (typ, via, src string) {
	out := labtest.Run(t, e, "", "ip", "route", "get", dst, "oif", e.Ifname)
	m := regexp.MustCompile(`^(\w+ )?\S+ (via (\S+) )?dev \S+ src (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("ip route get %s: %q", dst, out)
	}
	return strings.TrimSpace(m[1]), m[3], m[4]
}

// LookupRoute agrees with ip route get on the source, the next hop and
// broadcast, on link and through a gateway.
func TestLookupRouteAgreesWithIP(t *testing.T) {
	a, b := labtest.Pair(t)
	labtest.Run(t, a, "", "ip", "route", "add", "198.19.5.0/24", "via", b.Addr.Addr().String())
	c := dial(t, a)
	bcast := netip.PrefixFrom(b.Addr.Addr(), 24).Masked().Addr().As4()
	bcast[3] = 255
	for _, dst := range []netip.Addr{b.Addr.Addr(), netip.MustParseAddr("198.19.5.7"), netip.AddrFrom4(bcast)} {
		r, err := LookupRoute(c, a.Ifindex, dst)
		if err != nil {
			t.Fatalf("%s: %v", dst, err)
		}
		typ, via, src := ipRouteGet(t, a, dst.String())
		hop := dst.String()
		if via != "" {
			hop = via
		}
		if r.Src.String() != src || r.NextHop.String() != hop || (r.Type == unix.RTN_BROADCAST) != (typ == "broadcast") {
			t.Errorf("%s: got src %s, next hop %s, type %d; ip route get: %s via %q src %s", dst, r.Src, r.NextHop, r.Type, typ, via, src)
		}
	}
}

// Resolve finds the peer's MAC by the kernel's own ARP, and leaves the
// entry in the table as the kernel does.
func TestResolve(t *testing.T) {
	a, b := labtest.Pair(t)
	mac, err := Resolve(dial(t, a), a.Ifindex, a.Ifname, b.Addr.Addr(), time.Second)
	if err != nil || mac.String() != b.MAC.String() {
		t.Fatalf("got %v, %v; want %s", mac, err, b.MAC)
	}
	out := labtest.Run(t, a, "", "ip", "neigh", "show", b.Addr.Addr().String())
	if want := b.Addr.Addr().String() + " dev veth0 lladdr " + b.MAC.String() + " REACHABLE"; !strings.HasPrefix(out, want) {
		t.Errorf("ip neigh: %q, want %q", out, want)
	}
}

// A stale entry's address is used at once, and the kernel told, which
// starts its confirmation (DELAY) as for a packet of its own.
func TestResolveStale(t *testing.T) {
	a, b := labtest.Pair(t)
	ip := b.Addr.Addr().String()
	fake := "02:00:00:00:00:77" // not b's: the answer must come from the table
	labtest.Run(t, a, "", "ip", "neigh", "replace", ip, "lladdr", fake, "nud", "stale", "dev", a.Ifname)
	mac, err := Resolve(dial(t, a), a.Ifindex, a.Ifname, b.Addr.Addr(), time.Second)
	if err != nil || mac.String() != fake {
		t.Fatalf("got %v, %v; want %s", mac, err, fake)
	}
	out := labtest.Run(t, a, "", "ip", "neigh", "show", ip)
	if want := ip + " dev veth0 lladdr " + fake + " DELAY"; !strings.HasPrefix(out, want) {
		t.Errorf("ip neigh: %q, want %q", out, want)
	}
}

// An address nobody holds is an error once the timeout has passed, not
// long after.
func TestResolveTimeout(t *testing.T) {
	a, b := labtest.Pair(t)
	absent := b.Addr.Addr().Next().Next()
	const timeout = 300 * time.Millisecond
	start := time.Now()
	_, err := Resolve(dial(t, a), a.Ifindex, a.Ifname, absent, timeout)
	took := time.Since(start)
	if !errors.Is(err, os.ErrDeadlineExceeded) || err.Error() != "no ARP reply from "+absent.String()+" on veth0 within 0.3 s" {
		t.Fatalf("got %v", err)
	}
	if took < timeout || took > timeout+time.Second {
		t.Errorf("took %v for a timeout of %v", took, timeout)
	}
}

// The multicast MACs are those the kernel lists for the groups an
// interface has joined (ip maddr).
func TestMulticastMACAgreesWithKernel(t *testing.T) {
	a, _ := labtest.Pair(t)
	var links, groups []string
	for _, line := range strings.Split(labtest.Run(t, a, "", "ip", "maddr", "show", "dev", a.Ifname), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "link":
			links = append(links, f[1])
		case len(f) == 2 && (f[0] == "inet" || f[0] == "inet6"):
			groups = append(groups, f[1])
		}
	}
	if len(groups) < 2 {
		t.Fatalf("ip maddr lists groups %v", groups)
	}
	var ours []string
	for _, g := range groups {
		mac := multicastMAC(netip.MustParseAddr(g)).String()
		if !slices.Contains(links, mac) {
			t.Errorf("%s: %s is not among the kernel's %v", g, mac, links)
		}
		ours = append(ours, mac)
	}
	for _, l := range links {
		if !slices.Contains(ours, l) {
			t.Errorf("the kernel's %s is no group's MAC here (%v)", l, ours)
		}
	}
	if multicastMAC(netip.MustParseAddr("198.18.0.1")) != nil {
		t.Error("a unicast address has a multicast MAC")
	}
}

// The error names ARP or neighbour discovery by the address's family.
func TestNoReplyError(t *testing.T) {
	for addr, want := range map[string]string{
		"198.18.0.2": "no ARP reply from 198.18.0.2 on veth0 within 1 s",
		"2001:2::2":  "no neighbour advertisement from 2001:2::2 on veth0 within 1 s",
	} {
		err := &NoReplyError{Addr: netip.MustParseAddr(addr), Ifname: "veth0", Timeout: time.Second}
		if err.Error() != want {
			t.Errorf("got %q, want %q", err, want)
		}
	}
}
