package lab

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"time"

	"github.com/jsimonetti/rtnetlink/v2"

	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// addr6 is the IPv6 address that mirrors the IPv4 link address p, or
// none when the lab leaves IPv6 out: 198.18.K.N/24 (K counting the /24s
// of 198.18.0.0/15 from 0) is 2001:2:0:K::N/64, in the benchmarking
// range 2001:2::/48 (RFC 5180).
func (l *Lab) addr6(p netip.Prefix) netip.Prefix {
	if l.cfg.NoIPv6 || !p.IsValid() {
		return netip.Prefix{}
	}
	b := p.Addr().As4()
	k := int(b[1]-18)*256 + int(b[2])
	var a [16]byte
	a[0], a[1], a[3] = 0x20, 0x01, 0x02
	a[6], a[7] = byte(k>>8), byte(k)
	a[15] = b[3]
	return netip.PrefixFrom(netip.AddrFrom16(a), 64)
}

// addAddr6 gives interface index the IPv6 address p with IFA_F_NODAD:
// usable at once, without a second of tentative duplicate detection.
func addAddr6(c *netlink.Conn, index uint32, p netip.Prefix) error {
	m := rtnl.AddrMessage(index, p)
	m.Flags = unix.IFA_F_NODAD
	m.Attributes.Flags = unix.IFA_F_NODAD
	if _, err := rtnl.Do(c, unix.RTM_NEWADDR, rtnl.Create, m); err != nil {
		return fmt.Errorf("add address %s: %w", p, err)
	}
	return nil
}

// noDAD turns IPv6 duplicate address detection off for the host's
// interfaces to come. Lab addresses are unique by construction, and a
// router cannot resolve a neighbour for a forwarded packet while its
// link-local address is tentative (the kernel sends the solicitation
// from it), so without this IPv6 through a router fails for a second
// after each link. A kernel without IPv6 has no such sysctl: nothing to do.
func (h *Host) noDAD() error {
	for _, name := range []string{"net.ipv6.conf.default.accept_dad", "net.ipv6.conf.all.accept_dad"} {
		if err := h.SetSysctl(name, "0"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// waitIPv6 waits, for at most runningWait, until the kernel has put in
// the local routes of the end's IPv6 addresses, its own and its
// link-local one. It does that in a work queue after the address is
// added (even without duplicate address detection), and until then the
// address takes no traffic and route dumps lack it. It never fails.
func (e *End) waitIPv6() {
	if !e.Addr6.IsValid() {
		return
	}
	c, err := rtnl.Dial(e.Host.ns, 0)
	if err != nil {
		return
	}
	defer c.Close()
	for deadline := time.Now().Add(runningWait); time.Now().Before(deadline); {
		if e.hasLocalRoutes6(c) {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// hasLocalRoutes6 reports whether the local table holds routes to the
// end's IPv6 address and to a link-local address of its interface.
func (e *End) hasLocalRoutes6(c *netlink.Conn) bool {
	rs, err := rtnl.List(c, unix.RTM_GETROUTE, &rtnetlink.RouteMessage{Family: unix.AF_INET6})
	if err != nil {
		return true // nothing to wait for that can be seen
	}
	var own, linkLocal bool
	for _, r := range rs {
		dst, ok := netip.AddrFromSlice(r.Attributes.Dst)
		if !ok || r.Type != unix.RTN_LOCAL || r.Attributes.OutIface != uint32(e.Ifindex) {
			continue
		}
		own = own || dst == e.Addr6.Addr()
		linkLocal = linkLocal || dst.IsLinkLocalUnicast()
	}
	return own && linkLocal
}
