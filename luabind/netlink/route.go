package netlink

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// A RouteSpec is a route to add or delete, as ip route takes it. When
// deleting, zero fields match any route.
type RouteSpec struct {
	Dst      netip.Prefix // required; /0 is the default route
	Gateway  netip.Addr   // via
	Index    int          // dev: the output interface
	Src      netip.Addr   // preferred source address
	Table    uint32       // 0 is main
	Metric   uint32       // 0 is the kernel's default (0 for IPv4, 1024 for IPv6)
	Proto    uint8        // 0 is static when adding
	Type     uint8        // 0 is unicast when adding
	Nexthops []Nexthop    // the paths of a multipath route
}

// Check reports a spec the kernel would refuse with a less helpful error.
func (s *RouteSpec) Check() error {
	if !s.Dst.IsValid() {
		return fmt.Errorf("a route needs a destination (dst)")
	}
	for _, a := range []netip.Addr{s.Gateway, s.Src} {
		if a.IsValid() && a.Is4() != s.Dst.Addr().Is4() {
			return fmt.Errorf("%s and %s are not of the same IP version", a, s.Dst)
		}
	}
	return nil
}

// String describes the route as ip route prints it.
func (s *RouteSpec) String() string {
	var b strings.Builder
	if s.Type != 0 && s.Type != unix.RTN_UNICAST {
		b.WriteString(routeTypes.name(uint32(s.Type)) + " ")
	}
	b.WriteString(dstString(s.Dst))
	if s.Gateway.IsValid() {
		b.WriteString(" via " + s.Gateway.String())
	}
	if s.Table != 0 && s.Table != unix.RT_TABLE_MAIN {
		b.WriteString(" table " + tables.name(s.Table))
	}
	if s.Metric != 0 {
		fmt.Fprintf(&b, " metric %d", s.Metric)
	}
	return b.String()
}

// dstString is a destination as ip prints it: "default" for /0.
func dstString(p netip.Prefix) string {
	if p.Bits() == 0 {
		return "default"
	}
	return p.String()
}

// message is the request for the route; add fills in the defaults that
// ip route add uses, delete leaves them as wildcards.
func (s *RouteSpec) message(add bool) *rtnetlink.RouteMessage {
	if add {
		a := s.asAdded()
		s = &a
	}
	m := &rtnetlink.RouteMessage{
		Family: uint8(addressFamily(ipVersion(s.Dst.Addr()))), DstLength: uint8(s.Dst.Bits()),
		Protocol: s.Proto, Type: s.Type, Scope: unix.RT_SCOPE_NOWHERE,
		Attributes: rtnetlink.RouteAttributes{OutIface: uint32(s.Index), Priority: s.Metric},
	}
	if s.Dst.Bits() > 0 {
		m.Attributes.Dst = s.Dst.Masked().Addr().AsSlice()
	}
	if s.Gateway.IsValid() {
		m.Attributes.Gateway = s.Gateway.AsSlice()
	}
	if s.Src.IsValid() {
		m.Attributes.Src = s.Src.AsSlice()
	}
	s.setTable(m)
	s.setNexthops(m)
	if add {
		s.setScope(m)
	}
	return m
}

// setTable puts the table in the header when it fits, else in RTA_TABLE.
func (s *RouteSpec) setTable(m *rtnetlink.RouteMessage) {
	t := s.Table
	if t == 0 {
		t = unix.RT_TABLE_MAIN
	}
	if t < 256 {
		m.Table = uint8(t)
	} else {
		m.Attributes.Table = t
	}
}

// setNexthops encodes the paths of a multipath route.
func (s *RouteSpec) setNexthops(m *rtnetlink.RouteMessage) {
	for _, nh := range s.Nexthops {
		hop := rtnetlink.NextHop{Hop: rtnetlink.RTNextHop{IfIndex: uint32(nh.Index)}}
		if nh.Weight > 1 {
			hop.Hop.Hops = uint8(nh.Weight - 1)
		}
		if nh.Gateway.IsValid() {
			hop.Gateway = nh.Gateway.AsSlice()
		}
		m.Attributes.Multipath = append(m.Attributes.Multipath, hop)
	}
}

// setScope fills in the scope the type and gateway imply, as ip route
// add does.
func (s *RouteSpec) setScope(m *rtnetlink.RouteMessage) {
	switch {
	case m.Type == unix.RTN_LOCAL || m.Type == unix.RTN_NAT:
		m.Scope = unix.RT_SCOPE_HOST
	case m.Type == unix.RTN_BROADCAST || m.Type == unix.RTN_MULTICAST || m.Type == unix.RTN_ANYCAST:
		m.Scope = unix.RT_SCOPE_LINK
	case m.Type == unix.RTN_UNICAST && !s.Gateway.IsValid() && len(s.Nexthops) == 0:
		m.Scope = unix.RT_SCOPE_LINK
	default:
		m.Scope = unix.RT_SCOPE_UNIVERSE
	}
}

// ip6DefaultMetric is the metric the kernel gives an IPv6 route added
// without one (IP6_RT_PRIO_USER).
const ip6DefaultMetric = 1024

// asAdded is s with the defaults of ip route add filled in: protocol
// static (ip says boot; static tells a reader that a program put it
// there), type unicast, and for IPv6 the kernel's metric. AddRoute sends
// it, and deleting it removes exactly that route: left zero, a deletion
// takes these as wildcards, and could remove an older route to the same
// destination (the kernel's prefix route, metric 256) instead.
func (s RouteSpec) asAdded() RouteSpec {
	if s.Proto == 0 {
		s.Proto = unix.RTPROT_STATIC
	}
	if s.Type == 0 {
		s.Type = unix.RTN_UNICAST
	}
	if s.Metric == 0 && s.Dst.Addr().Is6() {
		s.Metric = ip6DefaultMetric
	}
	return s
}

// AddRoute adds the route s.
func (c *Client) AddRoute(s RouteSpec) error {
	if err := s.Check(); err != nil {
		return err
	}
	_, err := rtnl.Do(c.c, unix.RTM_NEWROUTE, rtnl.Create, s.message(true))
	return explain(err, "route "+s.String(), routeMeanings)
}

// DelRoute deletes the first route that s matches, as the kernel finds it.
func (c *Client) DelRoute(s RouteSpec) error {
	if err := s.Check(); err != nil {
		return err
	}
	_, err := rtnl.Do(c.c, unix.RTM_DELROUTE, rtnl.Change, s.message(false))
	return explain(err, "route "+s.String(), routeMeanings)
}

// FindRoute returns the route that DelRoute(s) would delete, with the
// same "is not there" error when there is none.
func (c *Client) FindRoute(s RouteSpec) (*Route, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	table := s.Table
	if table == 0 {
		table = unix.RT_TABLE_MAIN
	}
	routes, err := c.Routes(Filter{Family: ipVersion(s.Dst.Addr()), Table: table})
	if err != nil {
		return nil, err
	}
	for _, r := range routes {
		if s.matches(r) {
			return r, nil
		}
	}
	return nil, explain(unix.ESRCH, "route "+s.String(), routeMeanings)
}

// matches reports whether s, read as a deletion, selects r.
func (s *RouteSpec) matches(r *Route) bool {
	return r.Dst == s.Dst.Masked() &&
		(s.Gateway == netip.Addr{} || s.Gateway == r.Gateway) &&
		(s.Index == 0 || s.Index == r.Index) &&
		(s.Metric == 0 || s.Metric == r.Metric) &&
		(s.Proto == 0 || s.Proto == r.Proto) &&
		(s.Type == 0 || s.Type == r.Type) &&
		(!s.Src.IsValid() || s.Src == r.Src)
}

// Spec is the spec that adds r again exactly, or deletes exactly it.
func (r *Route) Spec() RouteSpec {
	return RouteSpec{
		Dst: r.Dst, Gateway: r.Gateway, Index: r.Index, Src: r.Src, Table: r.Table,
		Metric: r.Metric, Proto: r.Proto, Type: r.Type, Nexthops: r.Nexthops,
	}
}
