package lab

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/rtnl"
)

// maxLAN bounds the hosts of one LAN: they are numbered .1 up in a /24.
const maxLAN = 250

// LAN joins hosts on one Ethernet segment: a new switch (sw1, sw2, ...)
// with a link to each of them. The hosts' ends share the next free /24,
// .1, .2, ... in the order given; their peers, the switch's ports, have
// no address. On failure the caller closes the lab.
func (l *Lab) LAN(hosts []*Host) ([]*End, error) {
	if err := l.checkLAN(hosts); err != nil {
		return nil, err
	}
	sw, err := l.Switch("", SwitchOptions{})
	if err != nil {
		return nil, err
	}
	ends := make([]*End, len(hosts))
	for i, h := range hosts {
		if ends[i], err = l.join(h, sw.sw); err != nil {
			return nil, err
		}
	}
	return ends, nil
}

// checkLAN refuses a LAN the lab cannot make.
func (l *Lab) checkLAN(hosts []*Host) error {
	if l.closed {
		return errors.New("the lab is closed")
	}
	if len(hosts) < 2 || len(hosts) > maxLAN {
		return fmt.Errorf("a LAN joins 2 to %d hosts, not %d", maxLAN, len(hosts))
	}
	seen := map[*Host]bool{}
	for _, h := range hosts {
		if seen[h] {
			return fmt.Errorf("%s is on the LAN twice", h.name)
		}
		seen[h] = true
	}
	return nil
}

// enslave makes the end a port of the bridge with index bridge, up.
func (e *End) enslave(bridge uint32) error {
	return onLink(e.Host.ns, e.Ifname, func(c *netlink.Conn, index uint32) error {
		e.Ifindex = int(index)
		m := &rtnetlink.LinkMessage{Index: index, Attributes: &rtnetlink.LinkAttributes{Master: &bridge}}
		if err := rtnl.SetLink(c, m); err != nil {
			return fmt.Errorf("master br0: %w", err)
		}
		return rtnl.SetUp(c, index)
	})
}

// portMAC is the MAC of the switch's port to the host at ip: 02:01 then
// the address bytes, beside the host's own 02:00 one.
func portMAC(ip netip.Addr) net.HardwareAddr {
	mac := macFor(ip)
	mac[1] = 0x01
	return mac
}
