package rtnl

import (
	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/netlua/netlua/luabind/internal/netns"
	"golang.org/x/sys/unix"
)

// A Conn sends a request and returns the kernel's replies. *netlink.Conn
// is one; nltest.Dial makes fakes.
type Conn interface {
	Execute(m netlink.Message) ([]netlink.Message, error)
}

// Dial opens an rtnetlink socket inside ns (nil: the current namespace),
// bound to the legacy multicast group mask groups (0 for none). Extended
// acknowledgements are asked for, so that errors carry the kernel's
// explanation when it has one.
func Dial(ns *netns.NS, groups uint32) (*netlink.Conn, error) {
	fd, err := ns.NetlinkFD()
	if err != nil {
		return nil, err
	}
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{Groups: groups, NetNS: fd})
	if err != nil {
		return nil, err
	}
	_ = c.SetOption(netlink.ExtendedAcknowledge, true) // kernels before 4.12 lack it
	return c, nil
}

// Flags for requests.
const (
	// Change asks for a change and its acknowledgement.
	Change = netlink.Request | netlink.Acknowledge
	// Create asks to create what must not exist yet.
	Create = Change | netlink.Create | netlink.Excl
	// Get asks for one object.
	Get = netlink.Request
	// Dump asks for every object of a kind.
	Dump = netlink.Request | netlink.Dump
)

// Do sends m as a request of type typ with flags and returns the replies.
func Do(c Conn, typ uint16, flags netlink.HeaderFlags, m rtnetlink.Message) ([]netlink.Message, error) {
	data, err := m.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return c.Execute(netlink.Message{
		Header: netlink.Header{Type: netlink.HeaderType(typ), Flags: flags},
		Data:   data,
	})
}

// Message is the constraint of a pointer to an rtnetlink message type M,
// for the generic functions that decode Ms.
type Message[M any] interface {
	*M
	rtnetlink.Message
}

// Decode unmarshals the replies msgs as messages of type M.
func Decode[M any, P Message[M]](msgs []netlink.Message) ([]M, error) {
	out := make([]M, len(msgs))
	for i, m := range msgs {
		if err := P(&out[i]).UnmarshalBinary(m.Data); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// List dumps the objects of request type typ (RTM_GETLINK, ...), asking
// with req, which may select a family.
func List[M any, P Message[M]](c Conn, typ uint16, req P) ([]M, error) {
	msgs, err := Do(c, typ, Dump, req)
	if err != nil {
		return nil, err
	}
	return Decode[M, P](msgs)
}
