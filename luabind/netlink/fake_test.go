package netlink

import (
	"net"
	"sync"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
	"github.com/netlua/netlua/luabind/internal/rtnl"
	"golang.org/x/sys/unix"
)

// A fakeKernel answers rtnetlink requests from the objects it holds, and
// records what it was asked, so that most tests need no privilege.
type fakeKernel struct {
	mu     sync.Mutex
	links  []rtnetlink.LinkMessage
	addrs  []rtnetlink.AddressMessage
	routes []rtnetlink.RouteMessage
	neighs []rtnetlink.NeighMessage
	reqs   []netlink.Message // every request, in order
	errno  unix.Errno        // the answer to changes, 0 for success
}

// newFakeKernel holds lo (1) and veth0 (2), up, with one address each,
// veth0's subnet route and a neighbour.
func newFakeKernel() *fakeKernel {
	return &fakeKernel{
		links: []rtnetlink.LinkMessage{
			fakeLink(1, "lo", "", 65536, unix.IFF_UP|unix.IFF_LOOPBACK|unix.IFF_RUNNING),
			fakeLink(2, "veth0", "veth", 1500, unix.IFF_UP|unix.IFF_RUNNING),
		},
		addrs: []rtnetlink.AddressMessage{
			*fakeAddr(1, "127.0.0.1/8"),
			*fakeAddr(2, "198.18.0.1/24"),
		},
		routes: []rtnetlink.RouteMessage{
			*fakeRoute(RouteSpec{Dst: mustPrefix("198.18.0.0/24"), Index: 2, Proto: unix.RTPROT_KERNEL}),
			*fakeRoute(RouteSpec{Dst: mustPrefix("198.18.0.1/32"), Index: 2, Table: 255, Type: unix.RTN_LOCAL}),
		},
		neighs: []rtnetlink.NeighMessage{{
			Family: unix.AF_INET, Index: 2, State: unix.NUD_REACHABLE,
			Attributes: &rtnetlink.NeighAttributes{Address: net.ParseIP("198.18.0.2").To4(), LLAddress: mac("02:00:c6:12:00:02")},
		}},
	}
}

func fakeLink(index uint32, name, kind string, mtu uint32, flags uint32) rtnetlink.LinkMessage {
	m := rtnetlink.LinkMessage{Index: index, Flags: flags, Attributes: &rtnetlink.LinkAttributes{
		Name: name, MTU: mtu, Address: mac("02:00:c6:12:00:01"), OperationalState: rtnetlink.OperStateUp,
	}}
	if kind != "" {
		m.Attributes.Info = &rtnetlink.LinkInfo{Kind: kind}
	}
	return m
}

func fakeAddr(index uint32, cidr string) *rtnetlink.AddressMessage {
	return rtnl.AddrMessage(index, mustPrefix(cidr))
}

func fakeRoute(s RouteSpec) *rtnetlink.RouteMessage { return s.message(true) }

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

// conn is a netlink connection to the fake kernel.
func (k *fakeKernel) conn() *netlink.Conn { return nltest.Dial(k.answer) }

// client is a Client of the fake kernel.
func (k *fakeKernel) client() *Client { return NewClient(k.conn()) }

// answer answers one request, as the kernel would.
func (k *fakeKernel) answer(reqs []netlink.Message) ([]netlink.Message, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	req := reqs[0]
	k.reqs = append(k.reqs, req)
	switch {
	case req.Header.Flags&netlink.Dump == netlink.Dump:
		return k.dump(req)
	case req.Header.Type == unix.RTM_GETLINK:
		return k.getLink(reqs)
	}
	return errorReply(k.errno, reqs)
}

// errorReply is the kernel's acknowledgement of reqs: errno, 0 for success.
// Its flags are its own, not the request's (NLM_F_EXCL would read as
// NLM_F_ACK_TLVS).
func errorReply(errno unix.Errno, reqs []netlink.Message) ([]netlink.Message, error) {
	msgs, err := nltest.Error(int(errno), reqs)
	for i := range msgs {
		msgs[i].Header.Flags = 0
	}
	return msgs, err
}

// getLink answers a request for one link by index.
func (k *fakeKernel) getLink(reqs []netlink.Message) ([]netlink.Message, error) {
	var want rtnetlink.LinkMessage
	if err := want.UnmarshalBinary(reqs[0].Data); err != nil {
		return nil, err
	}
	for _, l := range k.links {
		if l.Index == want.Index {
			return replies(reqs[0], unix.RTM_NEWLINK, []rtnetlink.LinkMessage{l}), nil
		}
	}
	return errorReply(unix.ENODEV, reqs)
}

// dump answers a dump request with every object of its kind.
func (k *fakeKernel) dump(req netlink.Message) ([]netlink.Message, error) {
	var msgs []netlink.Message
	switch req.Header.Type {
	case unix.RTM_GETLINK:
		msgs = replies(req, unix.RTM_NEWLINK, k.links)
	case unix.RTM_GETADDR:
		msgs = replies(req, unix.RTM_NEWADDR, k.addrs)
	case unix.RTM_GETROUTE:
		msgs = replies(req, unix.RTM_NEWROUTE, k.routes)
	case unix.RTM_GETNEIGH:
		msgs = replies(req, unix.RTM_NEWNEIGH, k.neighs)
	}
	for i := range msgs {
		msgs[i].Header.Flags |= netlink.Multi
	}
	done := netlink.Header{Type: netlink.Done, Flags: netlink.Multi, Sequence: req.Header.Sequence}
	return append(msgs, netlink.Message{Header: done, Data: make([]byte, 4)}), nil
}

// replies encodes objs as the answers to req.
func replies[M any, P rtnl.Message[M]](req netlink.Message, typ uint16, objs []M) []netlink.Message {
	msgs := make([]netlink.Message, len(objs))
	for i := range objs {
		msgs[i] = encode(typ, P(&objs[i]))
		msgs[i].Header.Sequence = req.Header.Sequence
	}
	return msgs
}

// encode makes a netlink message of type typ from m.
func encode(typ uint16, m rtnetlink.Message) netlink.Message {
	data, err := m.MarshalBinary()
	if err != nil {
		panic(err)
	}
	return netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(typ)}, Data: data}
}

// asked returns the requests of type typ, decoded as M.
func asked[M any, P rtnl.Message[M]](k *fakeKernel, typ uint16) []M {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []M
	for _, r := range k.reqs {
		if r.Header.Type == netlink.HeaderType(typ) {
			var m M
			if err := P(&m).UnmarshalBinary(r.Data); err != nil {
				panic(err)
			}
			out = append(out, m)
		}
	}
	return out
}
