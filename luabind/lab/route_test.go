package lab

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"github.com/netlua/netlua/luabind/testlab"
	"golang.org/x/sys/unix"
)

// mustRouter makes router name in l.
func mustRouter(t *testing.T, l *Lab, name string) *Host {
	t.Helper()
	r, err := l.Router(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// mustRoute installs the lab's routes.
func mustRoute(t *testing.T, l *Lab) {
	t.Helper()
	if err := l.Route(); err != nil {
		t.Fatal(err)
	}
}

// kernelRoutes are the static routes of h as the kernel lists them:
// "198.18.1.0/24 via 198.18.0.2", "::/0 via 2001:2::1".
func kernelRoutes(t *testing.T, h *Host) []string {
	t.Helper()
	c, err := rtnl.Dial(h.NetNS(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out []string
	for _, family := range []uint8{unix.AF_INET, unix.AF_INET6} {
		rs, err := rtnl.List(c, unix.RTM_GETROUTE, &rtnetlink.RouteMessage{Family: family})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Protocol != unix.RTPROT_STATIC {
				continue
			}
			dst, _ := netip.AddrFromSlice(r.Attributes.Dst)
			if r.DstLength == 0 {
				dst = netip.IPv4Unspecified()
				if family == unix.AF_INET6 {
					dst = netip.IPv6Unspecified()
				}
			}
			gw, _ := netip.AddrFromSlice(r.Attributes.Gateway)
			out = append(out, fmt.Sprintf("%s via %s", netip.PrefixFrom(dst, int(r.DstLength)), gw))
		}
	}
	return out
}

// unreachable fails the test if h reaches addr.
func unreachable(t *testing.T, h *Host, addr string) {
	t.Helper()
	res, err := h.Exec(context.Background(), Cmd{Argv: []string{"ping", "-c1", "-W1", addr}})
	if err != nil || res.Status == 0 {
		t.Errorf("%s reaches %s before routes (status %d, %v)", h.Name(), addr, res.Status, err)
	}
}

// A router has forwarding on, as the kernel reads it.
func TestRouterForwards(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	r := mustRouter(t, l, "")
	if r.Name() != "r1" || r.Kind() != "router" {
		t.Errorf("the router is %s, a %s", r.Name(), r.Kind())
	}
	for _, name := range []string{"net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"} {
		if v, err := r.Sysctl(name); err != nil || v != "1" {
			t.Errorf("%s = %q, %v; want 1", name, v, err)
		}
	}
}

// The Linux-router example: three subnets, one router. Each host gets
// default routes to the router and reaches the others, IPv4 and IPv6;
// the router needs no routes.
func TestRouteOneRouter(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	r := mustRouter(t, l, "r1")
	var hosts []*End
	for _, name := range []string{"h1", "h2", "h3"} {
		e, _ := mustLink(t, l, mustHost(t, l, name), r)
		hosts = append(hosts, e)
	}
	unreachable(t, hosts[0].Host, hosts[2].Addr.Addr().String())
	mustRoute(t, l)
	want := "0.0.0.0/0 via 198.18.0.2 ::/0 via 2001:2::2"
	if got := strings.Join(kernelRoutes(t, hosts[0].Host), " "); got != want {
		t.Errorf("h1's routes: %s, want %s", got, want)
	}
	if got := kernelRoutes(t, r); len(got) != 0 {
		t.Errorf("r1 has static routes: %v", got)
	}
	for _, a := range hosts {
		for _, b := range hosts {
			pings(t, a.Host, b.Addr.Addr().String(), b.Addr6.Addr().String())
		}
	}
}

// A chain h1 - r1 - r2 - r3 - h2: routers get routes to the subnets they
// are not on, along the chain, and the hosts reach each other.
func TestRouteChain(t *testing.T) {
	testlab.Privileged(t)
	l := testLab(t, Config{})
	h1, h2 := mustHost(t, l, "h1"), mustHost(t, l, "h2")
	r1, r2, r3 := mustRouter(t, l, "r1"), mustRouter(t, l, "r2"), mustRouter(t, l, "r3")
	e1, _ := mustLink(t, l, h1, r1) // 198.18.0.0/24
	mustLink(t, l, r1, r2)          // 198.18.1.0/24
	mustLink(t, l, r2, r3)          // 198.18.2.0/24
	e2, _ := mustLink(t, l, r3, h2) // 198.18.3.0/24, h2 is .2
	_ = e2
	mustRoute(t, l)
	want := "198.18.2.0/24 via 198.18.1.2 198.18.3.0/24 via 198.18.1.2 2001:2:0:2::/64 via 2001:2:0:1::2 2001:2:0:3::/64 via 2001:2:0:1::2"
	if got := strings.Join(kernelRoutes(t, r1), " "); got != want {
		t.Errorf("r1's routes: %s\nwant %s", got, want)
	}
	pings(t, h1, "198.18.3.2", "2001:2:0:3::2")
	pings(t, h2, e1.Addr.Addr().String(), e1.Addr6.Addr().String())
}
