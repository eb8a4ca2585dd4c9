package lab

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// Router makes a host called name (r1, r2, ... when empty) with IPv4
// and IPv6 forwarding on: Route sends traffic between subnets through
// routers only.
func (l *Lab) Router(name string) (*Host, error) {
	if name == "" {
		name = l.freeName("r")
	}
	h, err := l.Host(name)
	if err != nil {
		return nil, err
	}
	if err := h.Forward(true); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	h.router = true
	return h, nil
}

// Kind is what the host is: "switch", "router" or "host".
func (h *Host) Kind() string {
	switch {
	case h.sw != nil:
		return "switch"
	case h.router:
		return "router"
	}
	return "host"
}

// freeName is the first of prefix1, prefix2, ... that names no host.
func (l *Lab) freeName(prefix string) string {
	for n := 1; ; n++ {
		name := fmt.Sprintf("%s%d", prefix, n)
		if l.checkNewHost(name) == nil {
			return name
		}
	}
}

// A Route is a static route of a host: to Dst through the router at
// Via, one of the host's neighbours. A /0 Dst is the default route.
type Route struct {
	Dst netip.Prefix
	Via netip.Addr
}

// Routes computes the static routes that let every host reach every
// subnet of the lab along a shortest path (fewest routers), forwarding
// through routers only: a host that is no router and has exactly one
// router beside it gets default routes (IPv4 and IPv6) to it instead.
func (l *Lab) Routes() map[*Host][]Route {
	nets := l.segments()
	out := map[*Host][]Route{}
	for _, h := range l.hosts {
		if h.sw != nil {
			continue
		}
		if gw := soleRouter(h, nets); gw != nil {
			out[h] = defaultRoutes(gw)
			continue
		}
		out[h] = shortestRoutes(h, nets)
	}
	return out
}

// segments maps each subnet of the lab to the ends of hosts on it
// (switches' ports have no address and are left out).
func (l *Lab) segments() map[netip.Prefix][]*End {
	nets := map[netip.Prefix][]*End{}
	for _, h := range l.hosts {
		for _, e := range h.ends {
			if e.Addr.IsValid() {
				nets[e.Addr.Masked()] = append(nets[e.Addr.Masked()], e)
			}
		}
	}
	return nets
}

// soleRouter is the end of the one router beside the host h, nil when h
// is a router or has none or several beside it.
func soleRouter(h *Host, nets map[netip.Prefix][]*End) *End {
	if h.router {
		return nil
	}
	var found *End
	for _, e := range h.ends {
		for _, n := range nets[e.Addr.Masked()] {
			if n.Host == h || !n.Host.router {
				continue
			}
			if found != nil && found.Host != n.Host {
				return nil
			}
			if found == nil {
				found = n
			}
		}
	}
	return found
}

// defaultRoutes are the default routes through the router end gw.
func defaultRoutes(gw *End) []Route {
	rs := []Route{{netip.PrefixFrom(netip.IPv4Unspecified(), 0), gw.Addr.Addr()}}
	if gw.Addr6.IsValid() {
		rs = append(rs, Route{netip.PrefixFrom(netip.IPv6Unspecified(), 0), gw.Addr6.Addr()})
	}
	return rs
}

// shortestRoutes are h's routes to the subnets it is not on, found by a
// breadth-first search from h's own subnets, crossing routers only; the
// first hop of each path is the router beside h it starts with.
func shortestRoutes(h *Host, nets map[netip.Prefix][]*End) []Route {
	via := map[netip.Prefix]*End{} // first hop towards each subnet reached
	var queue []netip.Prefix
	for _, e := range h.ends {
		via[e.Addr.Masked()] = nil
		queue = append(queue, e.Addr.Masked())
	}
	var rs []Route
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, r := range nets[s] {
			if !r.Host.router || r.Host == h {
				continue
			}
			hop := via[s]
			if hop == nil {
				hop = r
			}
			for _, next := range r.Host.ends {
				t := next.Addr.Masked()
				if _, seen := via[t]; seen || !next.Addr.IsValid() {
					continue
				}
				via[t] = hop
				queue = append(queue, t)
				rs = append(rs, routesVia(t, next.Addr6, hop)...)
			}
		}
	}
	return rs
}

// routesVia are the IPv4 route to subnet t and, when the lab has IPv6,
// the route to t6's /64, both through the router end hop.
func routesVia(t netip.Prefix, t6 netip.Prefix, hop *End) []Route {
	rs := []Route{{t, hop.Addr.Addr()}}
	if t6.IsValid() && hop.Addr6.IsValid() {
		rs = append(rs, Route{t6.Masked(), hop.Addr6.Addr()})
	}
	return rs
}

// Route installs the routes Routes computes, with netlink, replacing
// routes of the same destination (so a second Route after more links
// brings them up to date). On failure the caller closes the lab.
func (l *Lab) Route() error {
	if l.closed {
		return errors.New("the lab is closed")
	}
	for h, rs := range l.Routes() {
		if err := h.addRoutes(rs); err != nil {
			return fmt.Errorf("%s: %w", h.name, err)
		}
	}
	return nil
}

// addRoutes adds (or replaces) the host's routes.
func (h *Host) addRoutes(rs []Route) error {
	if len(rs) == 0 {
		return nil
	}
	c, err := rtnl.Dial(h.ns, 0)
	if err != nil {
		return err
	}
	defer c.Close()
	for _, r := range rs {
		if _, err := rtnl.Do(c, unix.RTM_NEWROUTE, rtnl.Change|netlink.Create|netlink.Replace, r.message()); err != nil {
			return fmt.Errorf("route %s via %s: %w", r.Dst, r.Via, err)
		}
	}
	return nil
}

// message is the RTM_NEWROUTE request of a static unicast route in the
// main table, as `ip route replace DST via VIA` sends it.
func (r Route) message() *rtnetlink.RouteMessage {
	family := uint8(unix.AF_INET)
	if r.Dst.Addr().Is6() {
		family = unix.AF_INET6
	}
	m := &rtnetlink.RouteMessage{
		Family: family, DstLength: uint8(r.Dst.Bits()), Table: unix.RT_TABLE_MAIN,
		Protocol: unix.RTPROT_STATIC, Scope: unix.RT_SCOPE_UNIVERSE, Type: unix.RTN_UNICAST,
		Attributes: rtnetlink.RouteAttributes{Gateway: r.Via.AsSlice()},
	}
	if r.Dst.Bits() > 0 {
		m.Attributes.Dst = r.Dst.Addr().AsSlice()
	}
	return m
}
