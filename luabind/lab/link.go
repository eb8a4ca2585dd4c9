package lab

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/jsimonetti/rtnetlink/v2/driver"
	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// An End is one side of a link: a veth interface inside a host.
type End struct {
	Host    *Host
	Peer    *End             // the other side of the link
	Ifname  string           // "veth0"
	MAC     net.HardwareAddr // 02:00:c6:12:00:01
	Addr    netip.Prefix     // 198.18.0.1/24; not valid on a switch's port
	Addr6   netip.Prefix     // 2001:2::1/64; not valid on a port or without IPv6
	Ifindex int              // inside the host's namespace
	link    *Link            // the link it is one end of
	shaper  *shaper          // what shapes its egress, nil before the first Shape
}

// NetNS returns the namespace of the end's host; it implements netns.Holder.
func (e *End) NetNS() *netns.NS { return e.Host.ns }

// String describes the end: lab end a veth0 02:00:c6:12:00:01 198.18.0.1/24
// (a switch's port has no address).
func (e *End) String() string {
	s := fmt.Sprintf("lab end %s %s %s", e.Host.name, e.Ifname, e.MAC)
	if e.Addr.IsValid() {
		s += " " + e.Addr.String()
	}
	return s
}

// Link joins two hosts with a veth pair on the next free /24: x gets .1
// and y gets .2, both up. The veth is made inside x with its peer placed
// straight into y, so it never exists in netlua's own namespace. When x
// or y is a switch, the other joins it (see Switch).
func (l *Lab) Link(x, y *Host) (*End, *End, error) {
	if l.closed {
		return nil, nil, errors.New("the lab is closed")
	}
	if x == y {
		return nil, nil, fmt.Errorf("%s and %s are the same host", x.name, y.name)
	}
	if x.sw != nil || y.sw != nil {
		return l.linkSwitch(x, y)
	}
	subnet, err := l.cfg.Subnets.Next()
	if err != nil {
		return nil, nil, err
	}
	l.subnets = append(l.subnets, subnet)
	a, b := x.newEnd(hostAddr(subnet, 1)), y.newEnd(hostAddr(subnet, 2))
	a.Addr6, b.Addr6 = l.addr6(a.Addr), l.addr6(b.Addr)
	a.Peer, b.Peer = b, a
	a.link = &Link{A: a, B: b}
	b.link = a.link
	if err := addVeth(a, b); err != nil {
		return nil, nil, fmt.Errorf("%s %s - %s %s: %w", x.name, a.Ifname, y.name, b.Ifname, err)
	}
	for _, e := range []*End{a, b} {
		if err := e.configure(); err != nil {
			err = fmt.Errorf("%s %s: %w", e.Host.name, e.Ifname, err)
			return nil, nil, errors.Join(err, delLink(x.ns, a.Ifname))
		}
	}
	a.waitRunning()
	b.waitRunning()
	x.ends = append(x.ends, a)
	y.ends = append(y.ends, b)
	return a, b, nil
}

// newEnd is the host's next end, named veth0, veth1, ... in link order.
func (h *Host) newEnd(addr netip.Prefix) *End {
	return &End{
		Host:   h,
		Ifname: fmt.Sprintf("veth%d", len(h.ends)),
		MAC:    macFor(addr.Addr()),
		Addr:   addr,
	}
}

// addVeth creates the veth pair a-b inside a's host, with b's side
// placed in b's host (IFLA_NET_NS_FD in the peer's attributes).
func addVeth(a, b *End) error {
	c, err := rtnl.Dial(a.Host.ns, 0)
	if err != nil {
		return err
	}
	defer c.Close()
	peerFD := b.Host.ns.FD()
	if peerFD < 0 {
		return fmt.Errorf("%s: %w", b.Host.name, netns.ErrClosed)
	}
	peer := &rtnetlink.LinkMessage{
		Family: unix.AF_UNSPEC,
		Attributes: &rtnetlink.LinkAttributes{
			Name:    b.Ifname,
			Address: b.MAC,
			NetNS:   rtnetlink.NetNSForFD(uint32(peerFD)),
		},
	}
	return rtnl.NewLink(c, &rtnetlink.LinkMessage{
		Attributes: &rtnetlink.LinkAttributes{
			Name:    a.Ifname,
			Address: a.MAC,
			Info:    &rtnetlink.LinkInfo{Kind: "veth", Data: &driver.Veth{PeerInfo: peer}},
		},
	})
}

// configure finds the end's ifindex, brings it up and gives it its address.
func (e *End) configure() error {
	return onLink(e.Host.ns, e.Ifname, func(c *netlink.Conn, index uint32) error {
		e.Ifindex = int(index)
		if err := rtnl.SetUp(c, index); err != nil {
			return err
		}
		if err := rtnl.AddAddr(c, index, e.Addr); err != nil || !e.Addr6.IsValid() {
			return err
		}
		return addAddr6(c, index, e.Addr6)
	})
}

// runningWait bounds how long Link waits for the kernel to mark an end
// running. The kernel's linkwatch sets operstate UP some time after the
// carrier comes on, up to a second or more when the rtnl lock is busy
// (tearing down other namespaces holds it); until then ip shows
// NO-CARRIER and IPv6 addresses stay tentative, though frames pass.
const runningWait = 3 * time.Second

// waitRunning waits until the end is running (operstate UP), for at most
// runningWait. It never fails: frames pass as soon as the carrier is on.
func (e *End) waitRunning() {
	c, err := rtnl.Dial(e.Host.ns, 0)
	if err != nil {
		return
	}
	defer c.Close()
	for deadline := time.Now().Add(runningWait); time.Now().Before(deadline); {
		m, err := rtnl.LinkByIndex(c, uint32(e.Ifindex))
		if err != nil || m.Flags&unix.IFF_RUNNING != 0 {
			e.waitIPv6()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// setLinkUp sets the interface called name inside ns up.
func setLinkUp(ns *netns.NS, name string) error {
	return onLink(ns, name, func(c *netlink.Conn, index uint32) error {
		if err := rtnl.SetUp(c, index); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
}

// delLink deletes the interface called name inside ns (both sides of a
// veth go together), after a link failed half way.
func delLink(ns *netns.NS, name string) error {
	return onLink(ns, name, func(c *netlink.Conn, index uint32) error {
		return rtnl.DelLink(c, index)
	})
}

// onLink dials rtnetlink inside ns and calls fn with the index of the
// interface called name.
func onLink(ns *netns.NS, name string, fn func(c *netlink.Conn, index uint32) error) error {
	c, err := rtnl.Dial(ns, 0)
	if err != nil {
		return err
	}
	defer c.Close()
	index, err := rtnl.LinkIndex(c, name)
	if err != nil {
		return err
	}
	return fn(c, index)
}
