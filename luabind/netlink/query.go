package netlink

import (
	"fmt"
	"io"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// A Client asks one network namespace about its links, addresses, routes
// and neighbours, and changes them.
type Client struct {
	c      rtnl.Conn
	closer io.Closer
}

// NewClient makes a Client over c, such as a fake from nltest.Dial.
func NewClient(c rtnl.Conn) *Client {
	cl := &Client{c: c}
	cl.closer, _ = c.(io.Closer)
	return cl
}

// Dial opens a Client inside ns (nil: the current namespace).
func Dial(ns *netns.NS) (*Client, error) {
	c, err := rtnl.Dial(ns, 0)
	if err != nil {
		return nil, err
	}
	return NewClient(c), nil
}

// Close closes the client's socket.
func (c *Client) Close() error {
	if c.closer == nil {
		return nil
	}
	return c.closer.Close()
}

// In runs fn with a Client inside ns, then closes it.
func In(ns *netns.NS, fn func(c *Client) error) error {
	c, err := Dial(ns)
	if err != nil {
		return err
	}
	defer c.Close()
	return fn(c)
}

// Links lists the interfaces, in index order.
func (c *Client) Links() ([]*Link, error) {
	msgs, err := rtnl.Links(c.c)
	if err != nil {
		return nil, err
	}
	links := make([]*Link, len(msgs))
	for i := range msgs {
		links[i] = linkFrom(&msgs[i])
	}
	return links, nil
}

// Link finds the interface called name. When there is none, the error
// is a *netns.NoInterfaceError listing those there are.
func (c *Client) Link(name string) (*Link, error) {
	m, err := rtnl.LinkByName(c.c, name)
	if err != nil {
		return nil, err
	}
	return linkFrom(&m), nil
}

// LinkByIndex finds interface index, with the same error as Link.
func (c *Client) LinkByIndex(index int) (*Link, error) {
	if index <= 0 {
		return nil, fmt.Errorf("%d is not an interface index", index)
	}
	m, err := rtnl.LinkByIndex(c.c, uint32(index))
	if err != nil {
		return nil, err
	}
	return linkFrom(&m), nil
}

// A Filter selects what a query returns; zero fields select everything.
type Filter struct {
	Index  int    // interface index
	Family int    // 4 or 6
	Table  uint32 // routes only; TableAll or 0 for every table
}

// TableAll selects routes of every table.
const TableAll = ^uint32(0)

// Addrs lists the addresses that f selects.
func (c *Client) Addrs(f Filter) ([]*Addr, error) {
	req := &rtnetlink.AddressMessage{Family: uint8(addressFamily(f.Family))}
	return dump(c, unix.RTM_GETADDR, req, "addresses", addrFrom,
		func(a *Addr) bool { return f.match(a.Index, a.Family()) })
}

// Routes lists the routes that f selects.
func (c *Client) Routes(f Filter) ([]*Route, error) {
	req := &rtnetlink.RouteMessage{Family: uint8(addressFamily(f.Family))}
	return dump(c, unix.RTM_GETROUTE, req, "routes", routeFrom, func(r *Route) bool {
		return f.match(r.Index, r.Family) && (f.Table == 0 || f.Table == TableAll || f.Table == r.Table)
	})
}

// Neighbors lists the neighbour entries that f selects.
func (c *Client) Neighbors(f Filter) ([]*Neigh, error) {
	req := &rtnetlink.NeighMessage{Family: uint16(addressFamily(f.Family))}
	return dump(c, unix.RTM_GETNEIGH, req, "neighbours", neighFrom,
		func(n *Neigh) bool { return f.match(n.Index, n.Family) })
}

// dump asks for every object of request type typ with req, converts them
// with conv, and returns those keep accepts, their interfaces named.
func dump[M any, P rtnl.Message[M], O named](c *Client, typ uint16, req P, what string,
	conv func(P) O, keep func(O) bool) ([]O, error) {
	msgs, err := rtnl.List(c.c, typ, req)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	var objs []O
	for i := range msgs {
		if o := conv(&msgs[i]); keep(o) {
			objs = append(objs, o)
		}
	}
	return objs, nameAll(c, objs)
}

// match reports whether an object of interface index and IP version
// passes the filter.
func (f Filter) match(index, version int) bool {
	return (f.Index == 0 || f.Index == index) && (f.Family == 0 || f.Family == version) && version != 0
}

// A named object has interface indexes to name.
type named interface{ name(names Names) }

// Names maps interface indexes to names.
type Names map[int]string

// Names lists the interfaces' names by index.
func (c *Client) Names() (Names, error) {
	links, err := c.Links()
	if err != nil {
		return nil, err
	}
	names := make(Names, len(links))
	for _, l := range links {
		names[l.Index] = l.Name
	}
	return names, nil
}

// nameAll fills in the interface names of objs.
func nameAll[T named](c *Client, objs []T) error {
	if len(objs) == 0 {
		return nil
	}
	names, err := c.Names()
	if err != nil {
		return err
	}
	for _, o := range objs {
		o.name(names)
	}
	return nil
}

func (a *Addr) name(n Names)  { a.Ifname = n[a.Index] }
func (x *Neigh) name(n Names) { x.Ifname = n[x.Index] }
func (r *Route) name(n Names) {
	r.Ifname = n[r.Index]
	for i := range r.Nexthops {
		r.Nexthops[i].Ifname = n[r.Nexthops[i].Index]
	}
}
