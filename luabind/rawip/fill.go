package rawip

import (
	"errors"
	"net"
	"net/netip"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/sock"
)

// A router answers frame.Fill for a raw IP socket: the source the route
// to a destination picks in the socket's namespace, through its device
// if it has one. There is no link layer to fill.
type router struct {
	ns     *netns.NS
	device string
}

// router is the socket's router, for filling packets given as layers.
func (s *Socket) router() router { return router{ns: s.ns, device: s.device} }

// LinkAddr implements frame.AddrSource: a raw IP socket has no link address.
func (router) LinkAddr() net.HardwareAddr { return nil }

// Source implements frame.AddrSource, as `ip route get` picks the source.
func (r router) Source(dst netip.Addr) (src netip.Addr, err error) {
	err = sock.InNS(r.ns, func() (err error) {
		src, err = sock.Source(dst, r.device)
		return err
	})
	return src, err
}

// errNoLink is MAC's error: nothing above a raw IP socket asks for it.
var errNoLink = errors.New("a raw IP socket has no link layer")

// MAC implements frame.AddrSource.
func (router) MAC(netip.Addr) (net.HardwareAddr, error) { return nil, errNoLink }

// sendBytes is argument 2 of sendto as the bytes to send: a string as it
// is, without a copy, or a packet given as layers, built with the first
// IP layer's dst (when unset) the address to and its src (when unset)
// the source the route to that address picks.
func (s *socket) sendBytes(L *lua.LState, to netip.Addr) []byte {
	if !frame.IsFrame(L.Get(2)) {
		return sock.Bytes(luabind.CheckString(L, 2))
	}
	data, err := frame.BuildFilled(L, 2, func(layers []*frame.Layer) error {
		frame.FillDst(layers, to)
		return frame.Fill(layers, s.router())
	})
	if err != nil {
		s.RaiseOn(L, "sendto", s.dst.str, err)
	}
	return data
}
