package rawip

import (
	"context"
	"errors"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/frame"
	"github.com/netlua/netlua/luabind/internal/conv"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// The sr family on raw IP sockets: s:sr, s:sr1, and rawip.sr and
// rawip.sr1, which open sockets for the one call. Frames start at their
// IPv4 header and go to its destination; replies are matched from their
// IP header on.

var srMethods = []luabind.Func{
	{Name: "sr", Sig: "socket:sr(frames [, opts]) -> ans, unans", Fn: socketSr, Types: srTypes(false, false),
		Doc: "sends IPv4 packets, header first (the socket needs hdrincl), each to its destination, and returns ans = { { sent, recv, rtt }, ... } " +
			"and unans = { sent, ... }, as Scapy's sr, from what the socket receives; rtt in seconds from the send to the reply's kernel timestamp; " + sockbind.SRDoc},
	{Name: "sr1", Sig: "socket:sr1(frames [, opts]) -> p, rtt | nil", Fn: socketSr1, Types: srTypes(true, false),
		Doc: "sr's first answer, as Scapy's sr1: the reply packet and its rtt, or nil after the timeout"},
}

var srFuncs = []luabind.Func{
	{Name: "sr", Sig: "sr(frames [, opts]) -> ans, unans", Fn: moduleSr, Types: srTypes(false, true),
		Doc: "socket:sr for the call: a hdrincl socket sends, and raw sockets of the packets' protocols and of ICMP (for errors) receive; opts.netns: their namespace"},
	{Name: "sr1", Sig: "sr1(frames [, opts]) -> p, rtt | nil", Fn: moduleSr1, Types: srTypes(true, true),
		Doc: "rawip.sr's first answer: the reply packet and its rtt, or nil after the timeout"},
}

// srTypes are the doc types of the functions: first for sr1, oneOff
// for rawip.sr and rawip.sr1 (netns).
func srTypes(first, oneOff bool) luabind.Types {
	if oneOff {
		return sockbind.SRTypes(first, sockbind.SROptsType(", netns?: "+luabind.NetNSType))
	}
	return sockbind.SRTypes(first, sockbind.SROptsType(""))
}

// errNeedHdrincl is the error of sr on a socket that builds the headers.
var errNeedHdrincl = errors.New("sr sends whole IPv4 packets: open the socket with hdrincl = true (IPv6: packet.srp)")

func socketSr(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	o := luabind.CheckOptions(L, 3, sockbind.SROptions...)
	reqs := s.requests(L, "sr", 2)
	return sockbind.PushAnswers(L, reqs, s.run(L, "sr", o, reqs, []conv.Receiver{s.receiver()}))
}

func socketSr1(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	o := luabind.CheckOptions(L, 3, sockbind.SROptions...)
	reqs := s.requests(L, "sr1", 2)
	return sockbind.PushFirst(L, reqs, s.run(L, "sr1", o, reqs, []conv.Receiver{s.receiver()}))
}

// requests reads argument n's frames for the socket to send.
func (s *socket) requests(L *lua.LState, call string, n int) *frame.Requests {
	s.CheckOpen(L, call)
	if !s.HdrIncl() {
		s.Raise(L, call, errNeedHdrincl)
	}
	reqs := frame.CheckRequests(L, n, frame.IPv4, s.prepare())
	for i, f := range reqs.Frames {
		if _, err := destination(f); err != nil {
			luabind.ArgError(L, n, "frame "+strconv.Itoa(i+1)+": "+err.Error())
		}
	}
	return reqs
}

// run runs the conversation of reqs, sent by the socket and received by
// recv.
func (s *socket) run(L *lua.LState, call string, o luabind.Options, reqs *frame.Requests, recv []conv.Receiver) conv.Result {
	opt := sockbind.CheckSR(o)
	send := func(ctx context.Context, data []byte) error {
		dst, _ := destination(data)
		_, err := s.SendTo(ctx, data, dst)
		return err
	}
	return sockbind.RunSR(L, &s.Handle, call, reqs, send, recv, opt)
}

// prepare is what the socket does to a frame's layers before it is
// built: nothing yet (the seam where unset addresses will be filled).
func (s *socket) prepare() frame.Prepare { return nil }

// destination is the destination of an IPv4 packet.
func destination(b []byte) (netip.Addr, error) {
	if len(b) < ipv4Header || b[0]>>4 != 4 {
		return netip.Addr{}, errors.New("not an IPv4 packet: sr sends frames from their IPv4 header (IPv6: packet.srp)")
	}
	return netip.AddrFrom4([4]byte(b[16:20])), nil
}

// receiver is the socket's receive for a conversation.
func (s *socket) receiver() conv.Receiver {
	return func(ctx context.Context) ([]byte, time.Time, error) {
		data, info, err := s.Recv(ctx, -1)
		if err != nil {
			return nil, time.Time{}, err
		}
		if info.TS.IsZero() {
			info.TS = time.Now()
		}
		return data, info.TS, nil
	}
}

func moduleSr(L *lua.LState) int {
	reqs, res, closeAll := oneOffSr(L, "sr")
	n := sockbind.PushAnswers(L, reqs, res)
	closeAll()
	return n
}

func moduleSr1(L *lua.LState) int {
	reqs, res, closeAll := oneOffSr(L, "sr1")
	n := sockbind.PushFirst(L, reqs, res)
	closeAll()
	return n
}

// oneOffSr opens a hdrincl socket to send argument 1's frames and a
// receiving socket per IP protocol among them, ICMP's always (its errors
// answer any protocol), and runs the conversation. closeAll closes them;
// after an error the ledger does, with the script.
func oneOffSr(L *lua.LState, call string) (*frame.Requests, conv.Result, func()) {
	o := luabind.CheckOptions(L, 2, append(sockbind.SROptions, "netns")...)
	ns := luabind.NetNSOption(o, "rawip."+call)
	var socks []*socket
	closeAll := func() {
		for _, s := range socks {
			s.CloseMethod(L)
		}
	}
	open := func(proto int) *socket {
		sk, err := Open(Config{Proto: proto, NetNS: ns})
		if err != nil {
			luabind.Raise(L, &luabind.OpError{Op: "rawip." + call, Object: "protocol " + strconv.Itoa(proto), Err: err, Need: needRaw})
		}
		s := &socket{Socket: sk, Handle: sockbind.Handle{Module: "rawip", Object: "protocol " + strconv.Itoa(proto), Need: needRaw}}
		s.Track(L, "rawip socket for "+call, sk.Close)
		socks = append(socks, s)
		return s
	}
	sender := open(unix.IPPROTO_RAW)
	reqs := sender.requests(L, call, 1)
	protos := map[int]bool{unix.IPPROTO_ICMP: true}
	for _, f := range reqs.Frames {
		protos[int(f[9])] = true
	}
	var recv []conv.Receiver
	for _, p := range slices.Sorted(maps.Keys(protos)) {
		recv = append(recv, open(p).receiver())
	}
	return reqs, sender.run(L, call, o, reqs, recv), closeAll
}
