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

// LAN joins hosts on one Ethernet segment, as a switch does: a new host,
// the switch (sw1, sw2, ...), gets a veth to each of them and bridges them
// in its br0. The hosts' ends share the next free /24, .1, .2, ... in the
// order given; their peers, the switch's ports, have no address. On
// failure the caller closes the lab.
func (l *Lab) LAN(hosts []*Host) ([]*End, error) {
	if err := l.checkLAN(hosts); err != nil {
		return nil, err
	}
	subnet, err := l.cfg.Subnets.Next()
	if err != nil {
		return nil, err
	}
	l.subnets = append(l.subnets, subnet)
	sw, err := l.Host(l.switchName())
	if err != nil {
		return nil, err
	}
	bridge, err := addBridge(sw, subnet)
	if err != nil {
		return nil, fmt.Errorf("%s br0: %w", sw.name, err)
	}
	ends := make([]*End, len(hosts))
	for i, h := range hosts {
		if ends[i], err = l.port(sw, bridge, h, hostAddr(subnet, byte(i+1))); err != nil {
			return nil, err
		}
	}
	for _, e := range ends {
		e.waitRunning()
		e.Peer.waitRunning()
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

// switchName is the first of sw1, sw2, ... that names no host of the lab.
func (l *Lab) switchName() string {
	for n := 1; ; n++ {
		name := fmt.Sprintf("sw%d", n)
		if l.checkNewHost(name) == nil {
			return name
		}
	}
}

// addBridge makes br0 in sw, up, with the MAC 02:01 and the subnet's
// address (02:01:c6:12:03:00 for 198.18.3.0/24), and returns its index.
func addBridge(sw *Host, subnet netip.Prefix) (uint32, error) {
	c, err := rtnl.Dial(sw.ns, 0)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	err = rtnl.NewLink(c, &rtnetlink.LinkMessage{Attributes: &rtnetlink.LinkAttributes{
		Name:    "br0",
		Address: portMAC(subnet.Addr()),
		Info:    &rtnetlink.LinkInfo{Kind: "bridge"},
	}})
	if err != nil {
		return 0, err
	}
	index, err := rtnl.LinkIndex(c, "br0")
	if err != nil {
		return 0, err
	}
	return index, rtnl.SetUp(c, index)
}

// port links h to the switch sw: h's end gets addr, the switch's end
// becomes a port of the bridge, up and without an address.
func (l *Lab) port(sw *Host, bridge uint32, h *Host, addr netip.Prefix) (*End, error) {
	e := h.newEnd(addr)
	p := &End{Host: sw, Ifname: fmt.Sprintf("veth%d", len(sw.ends)), MAC: portMAC(addr.Addr())}
	e.Peer, p.Peer = p, e
	e.link = &Link{A: e, B: p}
	p.link = e.link
	if err := addVeth(e, p); err != nil {
		return nil, fmt.Errorf("%s %s - %s %s: %w", h.name, e.Ifname, sw.name, p.Ifname, err)
	}
	if err := e.configure(); err != nil {
		return nil, fmt.Errorf("%s %s: %w", h.name, e.Ifname, err)
	}
	if err := p.enslave(bridge); err != nil {
		return nil, fmt.Errorf("%s %s: %w", sw.name, p.Ifname, err)
	}
	h.ends = append(h.ends, e)
	sw.ends = append(sw.ends, p)
	return e, nil
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
