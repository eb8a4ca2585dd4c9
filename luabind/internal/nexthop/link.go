package nexthop

import (
	"fmt"
	"net"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/rtnl"
)

// DefaultTimeout is how long MAC waits for a neighbour to answer.
const DefaultTimeout = time.Second

// A Link is one interface of a namespace, as a sender out of it sees the
// network. It implements frame.AddrSource.
type Link struct {
	Net     *Net
	Index   int
	Name    string
	HWAddr  net.HardwareAddr // the interface's own link address
	Timeout time.Duration    // for resolution; 0 means DefaultTimeout
}

// LinkAddr is the interface's own link address.
func (l *Link) LinkAddr() net.HardwareAddr { return l.HWAddr }

// Source is the source address the kernel's route to dst picks.
func (l *Link) Source(dst netip.Addr) (netip.Addr, error) {
	var r Route
	err := l.Net.do(func(c rtnl.Conn) (err error) {
		r, err = LookupRoute(c, l.Index, dst)
		return err
	})
	if err != nil {
		return netip.Addr{}, err
	}
	if !r.Src.IsValid() {
		return netip.Addr{}, fmt.Errorf("route to %s%s: no source address", dst, l.via())
	}
	return r.Src, nil
}

// via names the interface for errors: " via veth0", or "" for none.
func (l *Link) via() string {
	if l.Name == "" {
		return ""
	}
	return " via " + l.Name
}

// broadcast is the Ethernet broadcast address, a new one each time.
func broadcast() net.HardwareAddr { return net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff} }

// MAC is the link address frames to dst go to: the multicast address of
// a multicast dst, broadcast for a broadcast one (255.255.255.255 or
// what the kernel's route calls broadcast, as a subnet's last address),
// else the next hop's address from the neighbour table, resolved when
// absent.
func (l *Link) MAC(dst netip.Addr) (net.HardwareAddr, error) {
	if mac := multicastMAC(dst); mac != nil {
		return mac, nil
	}
	if dst == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return broadcast(), nil
	}
	var mac net.HardwareAddr
	err := l.Net.do(func(c rtnl.Conn) error {
		r, err := LookupRoute(c, l.Index, dst)
		if err != nil {
			return err
		}
		if r.Type == unix.RTN_BROADCAST {
			mac = broadcast()
			return nil
		}
		mac, err = Resolve(c, l.Index, l.Name, r.NextHop, l.timeout())
		return err
	})
	return mac, err
}

// timeout is the resolution timeout.
func (l *Link) timeout() time.Duration {
	if l.Timeout <= 0 {
		return DefaultTimeout
	}
	return l.Timeout
}

// multicastMAC is the Ethernet address of multicast group a, or nil when
// a is no multicast address: 01:00:5e and the low 23 bits for IPv4
// (RFC 1112), 33:33 and the low 32 bits for IPv6 (RFC 2464).
func multicastMAC(a netip.Addr) net.HardwareAddr {
	if !a.IsMulticast() {
		return nil
	}
	if a.Is4() {
		b := a.As4()
		return net.HardwareAddr{0x01, 0x00, 0x5e, b[1] & 0x7f, b[2], b[3]}
	}
	b := a.As16()
	return net.HardwareAddr{0x33, 0x33, b[12], b[13], b[14], b[15]}
}
