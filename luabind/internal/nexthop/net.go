package nexthop

import (
	"fmt"
	"net"
	"sync"

	"github.com/mdlayher/netlink"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/rtnl"
)

// A Net is a network namespace as a sender's Links ask it: one rtnetlink
// connection, dialed on first use and kept until Close, since dialing
// into a namespace costs more than the questions. It holds no answers:
// the kernel's tables are read afresh each time. It is safe for
// concurrent use.
type Net struct {
	ns     *netns.NS
	mu     sync.Mutex
	c      *netlink.Conn
	closed bool
}

// NewNet returns the Net of namespace ns (nil: the current one).
func NewNet(ns *netns.NS) *Net { return &Net{ns: ns} }

// do runs fn with the namespace's connection; after Close the error is
// net.ErrClosed.
func (n *Net) do(fn func(c rtnl.Conn) error) error {
	c, err := n.conn()
	if err != nil {
		return err
	}
	return fn(c)
}

// conn returns the connection, dialing it the first time.
func (n *Net) conn() (*netlink.Conn, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return nil, net.ErrClosed
	}
	if n.c == nil {
		c, err := rtnl.Dial(n.ns, 0)
		if err != nil {
			return nil, fmt.Errorf("rtnetlink: %w", err)
		}
		n.c = c
	}
	return n.c, nil
}

// Close closes the connection; it is idempotent.
func (n *Net) Close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.closed = true
	if n.c == nil {
		return nil
	}
	err := n.c.Close()
	n.c = nil
	return err
}
