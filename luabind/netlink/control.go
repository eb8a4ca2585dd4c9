package netlink

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// A LinkChange says what SetLink changes; zero fields stay as they are.
type LinkChange struct {
	Up   *bool  // administrative state (IFF_UP)
	MTU  uint32 // IFLA_MTU's size: a larger value cannot be asked for
	MAC  net.HardwareAddr
	Name string
}

// SetLink applies ch to interface index, in one request.
func (c *Client) SetLink(index int, ch LinkChange) error {
	m := &rtnetlink.LinkMessage{
		Index:      uint32(index),
		Attributes: &rtnetlink.LinkAttributes{MTU: ch.MTU, Address: ch.MAC, Name: ch.Name},
	}
	if ch.Up != nil {
		m.Change = unix.IFF_UP
		if *ch.Up {
			m.Flags = unix.IFF_UP
		}
	}
	var what string
	var meanings map[unix.Errno]string
	if ch.Name != "" {
		what, meanings = "name "+ch.Name, linkNameMeanings
	}
	return explain(rtnl.SetLink(c.c, m), what, meanings)
}

// Revert is the change that takes link l, as it was before ch, back.
func (ch LinkChange) Revert(l *Link) LinkChange {
	var back LinkChange
	if ch.Up != nil {
		up := l.Up()
		back.Up = &up
	}
	if ch.MTU != 0 {
		back.MTU = uint32(l.MTU)
	}
	if ch.MAC != nil {
		back.MAC = l.MAC
	}
	if ch.Name != "" {
		back.Name = l.Name
	}
	return back
}

// String describes the change as ip link set would take it: "up mtu 1400".
func (ch LinkChange) String() string {
	var s string
	if ch.Up != nil {
		s += map[bool]string{true: " up", false: " down"}[*ch.Up]
	}
	if ch.MTU != 0 {
		s += fmt.Sprintf(" mtu %d", ch.MTU)
	}
	if ch.MAC != nil {
		s += " address " + ch.MAC.String()
	}
	if ch.Name != "" {
		s += " name " + ch.Name
	}
	if s == "" {
		return "(nothing)"
	}
	return s[1:]
}

// AddAddr gives interface index the address p (an IPv4 address gets its
// subnet's broadcast address too).
func (c *Client) AddAddr(index int, p netip.Prefix) error {
	_, err := rtnl.Do(c.c, unix.RTM_NEWADDR, rtnl.Create, rtnl.AddrMessage(uint32(index), p))
	return explain(err, p.String(), addrMeanings)
}

// DelAddr removes the address p from interface index.
func (c *Client) DelAddr(index int, p netip.Prefix) error {
	_, err := rtnl.Do(c.c, unix.RTM_DELADDR, rtnl.Change, rtnl.AddrMessage(uint32(index), p))
	return explain(err, p.String(), addrMeanings)
}
