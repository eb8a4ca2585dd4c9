package netlink

import (
	"net"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"golang.org/x/sys/unix"
)

// A Link is a network interface.
type Link struct {
	Index     int
	Name      string
	Kind      string // IFLA_INFO_KIND: "veth", "bridge"; "" for a plain device
	MAC       net.HardwareAddr
	MTU       int
	Flags     uint32 // IFF_UP, IFF_RUNNING, ...
	OperState string // "UP", "DOWN", "LOWERLAYERDOWN", ... as ip prints it
	Master    int    // index of the bridge or bond it is enslaved to, 0 if none
}

// Up reports whether the link is administratively up (IFF_UP).
func (l *Link) Up() bool { return l.Flags&unix.IFF_UP != 0 }

// Running reports whether the link is up with a carrier (IFF_RUNNING).
func (l *Link) Running() bool { return l.Flags&unix.IFF_RUNNING != 0 }

// An Addr is an IP address of an interface.
type Addr struct {
	Index     int
	Ifname    string
	Prefix    netip.Prefix // 198.18.0.1/24
	Scope     uint8
	Flags     uint32 // IFA_F_*
	Label     string // IPv4 only: the interface name, or name:label
	Broadcast netip.Addr
}

// Family is the address's IP version, 4 or 6.
func (a *Addr) Family() int { return ipVersion(a.Prefix.Addr()) }

// A Route is a routing table entry.
type Route struct {
	Family   int          // 4 or 6
	Dst      netip.Prefix // 0.0.0.0/0 for a default route
	Src      netip.Addr   // preferred source (RTA_PREFSRC)
	Gateway  netip.Addr
	Index    int // output interface, 0 if none
	Ifname   string
	Table    uint32
	Proto    uint8
	Scope    uint8
	Type     uint8 // RTN_UNICAST, ...
	Tos      uint8
	Metric   uint32
	Nexthops []Nexthop // the paths of a multipath route
}

// A Nexthop is one path of a multipath route.
type Nexthop struct {
	Gateway netip.Addr
	Index   int
	Ifname  string
	Weight  int // 1 + rtnh_hops, as ip prints it
}

// A Neigh is a neighbour (ARP or NDP) cache entry.
type Neigh struct {
	Family int // 4 or 6
	Index  int
	Ifname string
	Dst    netip.Addr
	MAC    net.HardwareAddr
	State  uint16 // NUD_* bits
	Flags  uint8  // NTF_* bits
}

// Router reports whether the neighbour is an IPv6 router (NTF_ROUTER).
func (n *Neigh) Router() bool { return n.Flags&unix.NTF_ROUTER != 0 }

// ipAddr converts the bytes of an IP address; nil or malformed is the
// zero Addr.
func ipAddr(b net.IP) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a
}

// ipVersion is 4 or 6 for a valid address, 0 otherwise.
func ipVersion(a netip.Addr) int {
	switch {
	case a.Is4():
		return 4
	case a.Is6():
		return 6
	}
	return 0
}

// linkFrom converts a link message.
func linkFrom(m *rtnetlink.LinkMessage) *Link {
	l := &Link{Index: int(m.Index), Flags: m.Flags, OperState: operState(0)}
	if a := m.Attributes; a != nil {
		l.Name, l.MAC, l.MTU = a.Name, a.Address, int(a.MTU)
		l.OperState = operState(uint8(a.OperationalState))
		if a.Info != nil {
			l.Kind = a.Info.Kind
		}
		if a.Master != nil {
			l.Master = int(*a.Master)
		}
	}
	return l
}

// addrFrom converts an address message. IFA_LOCAL is the address itself;
// IFA_ADDRESS is the peer on point-to-point links and the same otherwise.
func addrFrom(m *rtnetlink.AddressMessage) *Addr {
	a := &Addr{Index: int(m.Index), Scope: m.Scope, Flags: uint32(m.Flags)}
	if at := m.Attributes; at != nil {
		ip := ipAddr(at.Local)
		if !ip.IsValid() {
			ip = ipAddr(at.Address)
		}
		a.Prefix = netip.PrefixFrom(ip, int(m.PrefixLength))
		a.Label, a.Broadcast = at.Label, ipAddr(at.Broadcast)
		if at.Flags != 0 {
			a.Flags = at.Flags
		}
	}
	return a
}

// routeFrom converts a route message.
func routeFrom(m *rtnetlink.RouteMessage) *Route {
	at := &m.Attributes
	r := &Route{
		Family: family(int(m.Family)), Table: uint32(m.Table), Proto: m.Protocol,
		Scope: m.Scope, Type: m.Type, Tos: m.Tos, Metric: at.Priority,
		Src: ipAddr(at.Src), Gateway: ipAddr(at.Gateway), Index: int(at.OutIface),
	}
	if at.Table != 0 {
		r.Table = at.Table
	}
	dst := ipAddr(at.Dst)
	if !dst.IsValid() {
		dst = unspecified(r.Family)
	}
	r.Dst = netip.PrefixFrom(dst, int(m.DstLength))
	for _, nh := range at.Multipath {
		r.Nexthops = append(r.Nexthops, Nexthop{
			Gateway: ipAddr(nh.Gateway), Index: int(nh.Hop.IfIndex), Weight: int(nh.Hop.Hops) + 1,
		})
	}
	return r
}

// unspecified is 0.0.0.0 or ::, the destination of a default route.
func unspecified(version int) netip.Addr {
	if version == 6 {
		return netip.IPv6Unspecified()
	}
	return netip.IPv4Unspecified()
}

// neighFrom converts a neighbour message.
func neighFrom(m *rtnetlink.NeighMessage) *Neigh {
	n := &Neigh{Family: family(int(m.Family)), Index: int(m.Index), State: m.State, Flags: m.Flags}
	if a := m.Attributes; a != nil {
		n.Dst, n.MAC = ipAddr(a.Address), a.LLAddress
	}
	return n
}
