package nexthop

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/rtnl"
)

// A Route is the kernel's answer to `ip route get DST oif IFACE`.
type Route struct {
	Src     netip.Addr // the preferred source; invalid when the kernel names none
	NextHop netip.Addr // the gateway, or the destination itself when on link
	Type    uint8      // RTN_UNICAST, RTN_BROADCAST, RTN_LOCAL, ...
}

// LookupRoute asks the kernel for the route to dst out of interface
// ifindex (0: any interface), in c's namespace.
func LookupRoute(c rtnl.Conn, ifindex int, dst netip.Addr) (Route, error) {
	req := &rtnetlink.RouteMessage{
		Family:    family(dst),
		DstLength: uint8(dst.BitLen()),
		Attributes: rtnetlink.RouteAttributes{
			Dst:      dst.AsSlice(),
			OutIface: uint32(ifindex),
		},
	}
	msgs, err := rtnl.Do(c, unix.RTM_GETROUTE, rtnl.Get, req)
	if err != nil {
		return Route{}, fmt.Errorf("route to %s: %w", dst, err)
	}
	routes, err := rtnl.Decode[rtnetlink.RouteMessage](msgs)
	if err != nil || len(routes) != 1 {
		return Route{}, fmt.Errorf("route to %s: %d replies: %w", dst, len(routes), err)
	}
	return routeOf(routes[0], dst), nil
}

// routeOf reads the reply m to a route request for dst.
func routeOf(m rtnetlink.RouteMessage, dst netip.Addr) Route {
	r := Route{Src: addrOf(m.Attributes.Src), NextHop: dst, Type: m.Type}
	if gw := addrOf(m.Attributes.Gateway); gw.IsValid() {
		r.NextHop = gw
	}
	return r
}

// addrOf is ip as a netip.Addr, IPv4 unmapped; invalid when ip is empty.
func addrOf(ip net.IP) netip.Addr {
	a, _ := netip.AddrFromSlice(ip)
	return a.Unmap()
}

// family is the address family of a.
func family(a netip.Addr) uint8 {
	if a.Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}
