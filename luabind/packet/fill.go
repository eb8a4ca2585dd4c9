package packet

import (
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/nexthop"
	"github.com/netlua/netlua/luabind/internal/sock"
)

var _ frame.AddrSource = (*nexthop.Link)(nil)

// Link is the socket's interface as nexthop sees it, for filling in the
// addresses of frames sent as layers; timeout bounds a neighbour's
// resolution (0: nexthop.DefaultTimeout).
func (s *Socket) Link(timeout time.Duration) *nexthop.Link {
	return &nexthop.Link{Net: s.routes, Index: s.ifi.Index, Name: s.ifi.Name, HWAddr: s.ifi.HardwareAddr, Timeout: timeout}
}

// sendBytes is argument 2 of send as the bytes to send: a string as it
// is, without a copy, or a frame given as layers, built with the
// addresses left unset filled in (option timeout, argument 3, bounds the
// next hop's resolution).
func (s *socket) sendBytes(L *lua.LState) []byte {
	if !frame.IsFrame(L.Get(2)) {
		return sock.Bytes(luabind.CheckString(L, 2))
	}
	o := luabind.CheckOptions(L, 3, "timeout")
	timeout := o.Number("timeout", nexthop.DefaultTimeout.Seconds())
	if timeout <= 0 {
		o.Error("timeout", "must be more than 0 seconds")
	}
	link := s.Link(time.Duration(timeout * float64(time.Second)))
	data, err := frame.BuildFilled(L, 2, frame.Filler(link))
	if err != nil {
		s.Raise(L, "send", err)
	}
	return data
}
