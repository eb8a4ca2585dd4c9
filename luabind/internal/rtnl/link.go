package rtnl

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
)

// Links dumps every interface of the namespace, in index order.
func Links(c Conn) ([]rtnetlink.LinkMessage, error) {
	links, err := List(c, unix.RTM_GETLINK, &rtnetlink.LinkMessage{})
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	return links, nil
}

// LinkByName finds the interface called name. When there is none, the
// error is a *netns.NoInterfaceError.
func LinkByName(c Conn, name string) (rtnetlink.LinkMessage, error) {
	links, err := Links(c)
	if err != nil {
		return rtnetlink.LinkMessage{}, err
	}
	for _, l := range links {
		if l.Attributes != nil && l.Attributes.Name == name {
			return l, nil
		}
	}
	return rtnetlink.LinkMessage{}, noInterface(name, links)
}

// LinkByIndex gets the interface of index. When there is none, the error
// is a *netns.NoInterfaceError.
func LinkByIndex(c Conn, index uint32) (rtnetlink.LinkMessage, error) {
	msgs, err := Do(c, unix.RTM_GETLINK, Get, &rtnetlink.LinkMessage{Index: index})
	if errors.Is(err, unix.ENODEV) {
		links, lerr := Links(c)
		if lerr != nil {
			return rtnetlink.LinkMessage{}, lerr
		}
		return rtnetlink.LinkMessage{}, noInterface("", links)
	}
	if err != nil {
		return rtnetlink.LinkMessage{}, fmt.Errorf("get link %d: %w", index, err)
	}
	links, err := Decode[rtnetlink.LinkMessage](msgs)
	if err != nil || len(links) != 1 {
		return rtnetlink.LinkMessage{}, fmt.Errorf("get link %d: %d replies: %w", index, len(links), err)
	}
	return links[0], nil
}

// noInterface is the error for a name ("" for an index) missing among links.
func noInterface(name string, links []rtnetlink.LinkMessage) error {
	have := make([]string, 0, len(links))
	for _, l := range links {
		if l.Attributes != nil {
			have = append(have, l.Attributes.Name)
		}
	}
	return &netns.NoInterfaceError{Name: name, Have: have}
}

// LinkIndex finds the index of the interface called name.
func LinkIndex(c Conn, name string) (uint32, error) {
	l, err := LinkByName(c, name)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return l.Index, nil
}

// SetLink changes an interface: m names it by Index and carries the
// flags (with Change saying which) and attributes to set.
func SetLink(c Conn, m *rtnetlink.LinkMessage) error {
	m.Family = unix.AF_UNSPEC
	_, err := Do(c, unix.RTM_NEWLINK, Change, m)
	return err
}

// SetUp sets interface index up.
func SetUp(c Conn, index uint32) error {
	err := SetLink(c, &rtnetlink.LinkMessage{Index: index, Flags: unix.IFF_UP, Change: unix.IFF_UP})
	if err != nil {
		return fmt.Errorf("set up: %w", err)
	}
	return nil
}

// NewLink creates the interface m describes (a veth pair, ...).
func NewLink(c Conn, m *rtnetlink.LinkMessage) error {
	m.Family = unix.AF_UNSPEC
	_, err := Do(c, unix.RTM_NEWLINK, Create, m)
	return err
}

// DelLink deletes interface index (both sides of a veth go together).
func DelLink(c Conn, index uint32) error {
	_, err := Do(c, unix.RTM_DELLINK, Change, &rtnetlink.LinkMessage{Index: index})
	return err
}

// AddrMessage is the request that adds p to interface index, or deletes
// it: an IPv4 address gets the broadcast address of its subnet, as
// ifconfig and `ip addr add ... brd +` give it.
func AddrMessage(index uint32, p netip.Prefix) *rtnetlink.AddressMessage {
	ip := p.Addr().AsSlice()
	m := &rtnetlink.AddressMessage{
		Family:       unix.AF_INET6,
		PrefixLength: uint8(p.Bits()),
		Scope:        unix.RT_SCOPE_UNIVERSE,
		Index:        index,
		Attributes:   &rtnetlink.AddressAttributes{Address: ip, Local: ip},
	}
	if p.Addr().Is4() {
		m.Family = unix.AF_INET
		if p.Bits() < 31 {
			m.Attributes.Broadcast = broadcast(p)
		}
	}
	return m
}

// broadcast is the last address of the IPv4 subnet p.
func broadcast(p netip.Prefix) []byte {
	b := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	for i := range 4 {
		b[i] |= byte(host >> (24 - 8*i))
	}
	return b[:]
}

// AddAddr gives interface index the address p.
func AddAddr(c Conn, index uint32, p netip.Prefix) error {
	_, err := Do(c, unix.RTM_NEWADDR, Create, AddrMessage(index, p))
	if err != nil {
		return fmt.Errorf("add address %s: %w", p, err)
	}
	return nil
}
