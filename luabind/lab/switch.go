package lab

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// SwitchOptions configure a switch's bridge.
type SwitchOptions struct {
	// STP turns the kernel's spanning tree protocol on, so that switches
	// may be linked in a loop; ports then wait the bridge's forward delay
	// (2 s here) before they pass frames.
	STP bool
	// VLANFiltering makes the bridge filter by VLAN (IEEE 802.1Q), which
	// ports with a VLAN turn on anyway. Kernels without
	// CONFIG_BRIDGE_VLAN_FILTERING refuse it.
	VLANFiltering bool
}

// A Switch is a Linux bridge, br0, in a host of its own. Hosts linked to
// it share one subnet, its segment's: switches linked to each other form
// one segment.
type Switch struct {
	host   *Host
	bridge uint32 // br0's index in host
	seg    *segment
	opts   SwitchOptions
}

// A segment is an Ethernet segment: switches joined by links, and the
// subnet their hosts share, handed out at the first host's link.
type segment struct {
	subnet netip.Prefix // invalid until a host joins
	next   int          // the number of the next host: .1, .2, ...
	stp    bool         // every switch of the segment runs STP
	member []*Switch    // its switches
}

// Switch makes a switch host called name (sw1, sw2, ... when empty) with
// its bridge br0 up. On failure the caller closes the lab.
func (l *Lab) Switch(name string, o SwitchOptions) (*Host, error) {
	if name == "" {
		name = l.switchName()
	}
	h, err := l.Host(name)
	if err != nil {
		return nil, err
	}
	sw := &Switch{host: h, seg: &segment{next: 1, stp: o.STP}, opts: o}
	sw.seg.member = []*Switch{sw}
	if sw.bridge, err = addBridge(h, o); err != nil {
		return nil, fmt.Errorf("%s br0: %w", name, err)
	}
	h.sw = sw
	return h, nil
}

// switchName is the first of sw1, sw2, ... that names no host of the lab.
func (l *Lab) switchName() string { return l.freeName("sw") }

// Bridge attributes (linux/if_link.h), which rtnetlink does not name.
const (
	iflaBrForwardDelay  = 1
	iflaBrSTPState      = 5
	iflaBrVLANFiltering = 7
)

// stpForwardDelay is the bridge's forward delay with STP on, in
// hundredths of a second: the kernel's least, 2 s (the default is 15 s).
const stpForwardDelay = 200

// addBridge makes br0 in sw, up, and returns its index.
func addBridge(sw *Host, o SwitchOptions) (uint32, error) {
	c, err := rtnl.Dial(sw.ns, 0)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	data, err := bridgeData(o)
	if err != nil {
		return 0, err
	}
	err = rtnl.NewLink(c, &rtnetlink.LinkMessage{Attributes: &rtnetlink.LinkAttributes{
		Name: "br0",
		Info: &rtnetlink.LinkInfo{Kind: "bridge", Data: &rtnetlink.LinkData{Name: "bridge", Data: data}},
	}})
	if err != nil {
		return 0, bridgeError(err, o)
	}
	index, err := rtnl.LinkIndex(c, "br0")
	if err != nil {
		return 0, err
	}
	return index, rtnl.SetUp(c, index)
}

// bridgeData is the IFLA_INFO_DATA of a bridge with the options o.
func bridgeData(o SwitchOptions) ([]byte, error) {
	ae := netlink.NewAttributeEncoder()
	if o.STP {
		ae.Uint32(iflaBrForwardDelay, stpForwardDelay)
		ae.Uint32(iflaBrSTPState, 1)
	}
	if o.VLANFiltering {
		ae.Uint8(iflaBrVLANFiltering, 1)
	}
	return ae.Encode()
}

// ErrNoVLANFiltering is the error of a VLAN asked of a kernel without
// bridge VLAN filtering.
var ErrNoVLANFiltering = errors.New("this kernel has no bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING): switches cannot have VLANs here")

// bridgeError is err, said plainly when the kernel lacks VLAN filtering:
// its stub answers EOPNOTSUPP.
func bridgeError(err error, o SwitchOptions) error {
	if o.VLANFiltering && errors.Is(err, unix.EOPNOTSUPP) {
		return ErrNoVLANFiltering
	}
	return err
}

// linkSwitch links x and y, one of them or both switches, and returns
// their ends in that order.
func (l *Lab) linkSwitch(x, y *Host) (*End, *End, error) {
	switch {
	case x.sw != nil && y.sw != nil:
		return l.trunk(x.sw, y.sw)
	case y.sw != nil:
		e, err := l.join(x, y.sw)
		if err != nil {
			return nil, nil, err
		}
		return e, e.Peer, nil
	}
	e, err := l.join(y, x.sw)
	if err != nil {
		return nil, nil, err
	}
	return e.Peer, e, nil
}

// join links host h to the switch sw: h's end gets the segment's next
// address, the switch's end becomes a port of br0.
func (l *Lab) join(h *Host, sw *Switch) (*End, error) {
	if h.sw != nil {
		return nil, fmt.Errorf("%s is a switch", h.name)
	}
	addr, err := l.segmentAddr(sw.seg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sw.host.name, err)
	}
	e, err := l.port(sw, h, addr)
	if err != nil {
		return nil, err
	}
	e.waitRunning()
	e.Peer.waitRunning()
	return e, nil
}

// segmentAddr is the next host address of the segment, which gets its
// subnet with its first host.
func (l *Lab) segmentAddr(seg *segment) (netip.Prefix, error) {
	if seg.next > maxLAN {
		return netip.Prefix{}, fmt.Errorf("a segment holds at most %d hosts", maxLAN)
	}
	if !seg.subnet.IsValid() {
		subnet, err := l.cfg.Subnets.Next()
		if err != nil {
			return netip.Prefix{}, err
		}
		l.subnets = append(l.subnets, subnet)
		seg.subnet = subnet
	}
	seg.next++
	return hostAddr(seg.subnet, byte(seg.next-1)), nil
}

// port links h to the switch sw: h's end gets addr, the switch's end
// becomes a port of the bridge, up and without an address.
func (l *Lab) port(sw *Switch, h *Host, addr netip.Prefix) (*End, error) {
	e := h.newEnd(addr)
	e.Addr6 = l.addr6(addr)
	p := sw.host.newPort(portMAC(addr.Addr()))
	e.Peer, p.Peer = p, e
	e.link = &Link{A: e, B: p}
	p.link = e.link
	if err := addVeth(e, p); err != nil {
		return nil, fmt.Errorf("%s %s - %s %s: %w", h.name, e.Ifname, sw.host.name, p.Ifname, err)
	}
	if err := e.configure(); err != nil {
		return nil, fmt.Errorf("%s %s: %w", h.name, e.Ifname, err)
	}
	if err := p.enslave(sw.bridge); err != nil {
		return nil, fmt.Errorf("%s %s: %w", sw.host.name, p.Ifname, err)
	}
	h.ends = append(h.ends, e)
	sw.host.ends = append(sw.host.ends, p)
	return e, nil
}

// trunk links two switches: a veth whose ends are ports of both bridges,
// which joins their segments into one. Two segments that both have
// hosts already cannot join (their subnets differ), and a second path
// between two switches makes a loop, which needs STP on both.
func (l *Lab) trunk(x, y *Switch) (*End, *End, error) {
	if err := joinSegments(x, y); err != nil {
		return nil, nil, err
	}
	a, b := x.host.newPort(l.trunkMAC()), y.host.newPort(l.trunkMAC())
	a.Peer, b.Peer = b, a
	a.link = &Link{A: a, B: b}
	b.link = a.link
	if err := addVeth(a, b); err != nil {
		return nil, nil, fmt.Errorf("%s %s - %s %s: %w", x.host.name, a.Ifname, y.host.name, b.Ifname, err)
	}
	for _, p := range []struct {
		e  *End
		sw *Switch
	}{{a, x}, {b, y}} {
		if err := p.e.enslave(p.sw.bridge); err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", p.sw.host.name, p.e.Ifname, err)
		}
	}
	x.host.ends = append(x.host.ends, a)
	y.host.ends = append(y.host.ends, b)
	a.waitRunning()
	b.waitRunning()
	return a, b, nil
}

// joinSegments makes y's segment x's, or says why it cannot be.
func joinSegments(x, y *Switch) error {
	switch {
	case x.seg == y.seg && !x.seg.stp:
		return fmt.Errorf("%s and %s are joined already: a loop of switches needs stp = true on each", x.host.name, y.host.name)
	case x.seg == y.seg:
		return nil
	case x.seg.subnet.IsValid() && y.seg.subnet.IsValid():
		return fmt.Errorf("%s and %s have hosts on different subnets already: link switches to each other before hosts", x.host.name, y.host.name)
	}
	keep, drop := x.seg, y.seg
	if !keep.subnet.IsValid() {
		keep, drop = drop, keep
	}
	keep.stp = keep.stp && drop.stp
	for _, sw := range drop.member {
		sw.seg = keep
	}
	keep.member = append(keep.member, drop.member...)
	return nil
}

// newPort is the switch's next end, a port without an address.
func (h *Host) newPort(mac net.HardwareAddr) *End {
	return &End{Host: h, Ifname: fmt.Sprintf("veth%d", len(h.ends)), MAC: mac}
}

// trunkMAC is the MAC of the next switch-to-switch port: 02:02 and a
// count, apart from the hosts' 02:00 and their ports' 02:01.
func (l *Lab) trunkMAC() net.HardwareAddr {
	l.ports++
	return net.HardwareAddr{0x02, 0x02, 0, 0, byte(l.ports >> 8), byte(l.ports)}
}
