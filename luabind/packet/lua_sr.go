package packet

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/conv"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// The sr family on packet sockets: s:srp, s:srp1, and packet.srp and
// packet.srp1, which open a socket for the one call.

var srpMethods = []luabind.Func{
	{Name: "srp", Sig: "socket:srp(frames [, opts]) -> ans, unans", Fn: socketSrp, Types: srpTypes(false, false),
		Doc: "sends frames (bytes, layers, a packet, a generator or a list of them) and returns ans = { { sent, recv, rtt }, ... } " +
			"and unans = { sent, ... }, as Scapy's srp; rtt in seconds from the send to the reply's kernel timestamp; " + sockbind.SRDoc +
			"; filter (a tcpdump expression) keeps only the replies it matches; the socket's own outgoing frames are never replies"},
	{Name: "srp1", Sig: "socket:srp1(frames [, opts]) -> p, rtt | nil", Fn: socketSrp1, Types: srpTypes(true, false),
		Doc: "srp's first answer, as Scapy's srp1: the reply packet and its rtt, or nil after the timeout"},
}

var srpFuncs = []luabind.Func{
	{Name: "srp", Sig: "srp(ifname, frames [, opts]) -> ans, unans", Fn: moduleSrp, Types: srpTypes(false, true),
		Doc: "socket:srp on a packet socket opened on ifname for the call (opts.netns: its namespace)"},
	{Name: "srp1", Sig: "srp1(ifname, frames [, opts]) -> p, rtt | nil", Fn: moduleSrp1, Types: srpTypes(true, true),
		Doc: "socket:srp1 on a packet socket opened on ifname for the call (opts.netns: its namespace)"},
}

// srpTypes are the doc types of the functions: first for srp1, oneOff
// for packet.srp and packet.srp1 (ifname, netns).
func srpTypes(first, oneOff bool) luabind.Types {
	if !oneOff {
		return sockbind.SRTypes(first, sockbind.SROptsType(", filter?: string"))
	}
	t := sockbind.SRTypes(first, sockbind.SROptsType(", filter?: string, netns?: "+luabind.NetNSType))
	t["ifname"] = "string"
	return t
}

func socketSrp(L *lua.LState) int {
	s := check(L, "srp")
	reqs, res := s.srp(L, "srp", 2, luabind.CheckOptions(L, 3, append(sockbind.SROptions, "filter")...))
	return sockbind.PushAnswers(L, reqs, res)
}

func socketSrp1(L *lua.LState) int {
	s := check(L, "srp1")
	reqs, res := s.srp(L, "srp1", 2, luabind.CheckOptions(L, 3, append(sockbind.SROptions, "filter")...))
	return sockbind.PushFirst(L, reqs, res)
}

// srp runs the conversation of argument n's frames on the socket.
func (s *socket) srp(L *lua.LState, call string, n int, o luabind.Options) (*frame.Requests, conv.Result) {
	opt := sockbind.CheckSR(o)
	var match *filter.Program
	if expr := o.String("filter", ""); expr != "" {
		var err error
		if match, err = filter.Compile(expr); err != nil {
			luabind.Errorf(L, "packet."+call, "filter: %v", err)
		}
	}
	reqs := frame.CheckRequests(L, n, s.firstLayer(), s.prepare())
	send := func(ctx context.Context, data []byte) error {
		_, err := s.Send(ctx, data)
		return err
	}
	res := sockbind.RunSR(L, &s.Handle, call, reqs, send, []conv.Receiver{s.receiver(match)}, opt)
	return reqs, res
}

// prepare fills the addresses a frame's layers leave unset, as send
// does, each destination's asked of the kernel once per call.
func (s *socket) prepare() frame.Prepare { return frame.Filler(frame.Memo(s.Link(0))) }

// firstLayer is the layer the socket's frames start with: Ethernet, or
// IP on an interface without a link header (tun).
func (s *socket) firstLayer() *frame.Proto {
	if s.header == 0 {
		return nil
	}
	return frame.Ether
}

// receiver is the socket's receive for a conversation: frames this host
// sent are skipped, and so are those match (if any) refuses.
func (s *socket) receiver(match *filter.Program) conv.Receiver {
	return func(ctx context.Context) ([]byte, time.Time, error) {
		data, info, err := s.Recv(ctx, -1)
		if err != nil || info.PktType == Outgoing || (match != nil && !match.MatchLen(data, info.Len)) {
			return nil, time.Time{}, err
		}
		if info.TS.IsZero() {
			info.TS = time.Now()
		}
		return data, info.TS, nil
	}
}

func moduleSrp(L *lua.LState) int {
	s, reqs, res := oneOffSrp(L, "srp")
	n := sockbind.PushAnswers(L, reqs, res)
	s.CloseMethod(L)
	return n
}

func moduleSrp1(L *lua.LState) int {
	s, reqs, res := oneOffSrp(L, "srp1")
	n := sockbind.PushFirst(L, reqs, res)
	s.CloseMethod(L)
	return n
}

// oneOffSrp opens a socket on argument 1's interface and runs the
// conversation of argument 2's frames on it. The caller closes the
// socket; after an error, the ledger does, with the script.
func oneOffSrp(L *lua.LState, call string) (*socket, *frame.Requests, conv.Result) {
	ifname := luabind.CheckString(L, 1)
	o := luabind.CheckOptions(L, 3, append(sockbind.SROptions, "filter", "netns")...)
	cfg := Config{NetNS: luabind.NetNSOption(o, "packet."+call)}
	sk, err := Open(ifname, cfg)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "packet." + call, Object: ifname, Err: err, Need: needRaw})
	}
	s := &socket{Socket: sk, Handle: sockbind.Handle{Module: "packet", Object: sk.Name(), Need: needRaw}}
	s.Track(L, "packet socket on "+ifname+" for "+call, sk.Close)
	reqs, res := s.srp(L, call, 2, o)
	return s, reqs, res
}
