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
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// The sr family on raw IP sockets: s:sr, s:sr1 (IPv4, hdrincl), and
// rawip.sr and rawip.sr1 (IPv4 or IPv6), which open sockets for the one
// call. Frames start at their IP header and go to its destination;
// replies are matched from their IP header on.

var srMethods = []luabind.Func{
	{Name: "sr", Sig: "socket:sr(frames [, opts]) -> ans, unans", Fn: socketSr, Types: srTypes(false, false),
		Doc: "sends IPv4 packets, header first (the socket needs hdrincl), each to its destination, and returns ans = { { sent, recv, rtt }, ... } " +
			"and unans = { sent, ... }, as Scapy's sr, from what the socket receives; rtt in seconds from the send to the reply's kernel timestamp; " + sockbind.SRDoc},
	{Name: "sr1", Sig: "socket:sr1(frames [, opts]) -> p, rtt | nil", Fn: socketSr1, Types: srTypes(true, false),
		Doc: "sr's first answer, as Scapy's sr1: the reply packet and its rtt, or nil after the timeout"},
}

var srFuncs = []luabind.Func{
	{Name: "sr", Sig: "sr(frames [, opts]) -> ans, unans", Fn: moduleSr, Types: srTypes(false, true),
		Doc: "sr for the call, IPv4 or IPv6 packets, header first: an IPPROTO_RAW socket sends, raw sockets of the packets' protocols and of ICMP (for errors) receive IPv4, " +
			"a packet socket receives IPv6 (raw IPv6 sockets give no header); opts.netns: their namespace"},
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
var errNeedHdrincl = errors.New("sr sends whole IPv4 packets: open the socket with hdrincl = true (IPv6: rawip.sr)")

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
	reqs := frame.CheckRequests(L, n, nil, s.prepare())
	for i, f := range reqs.Frames {
		if _, err := destination(f); err != nil {
			luabind.ArgError(L, n, "frame "+strconv.Itoa(i+1)+": "+err.Error())
		}
		if f[0]>>4 != reqs.Frames[0][0]>>4 {
			luabind.ArgError(L, n, "frame "+strconv.Itoa(i+1)+": the frames mix IPv4 and IPv6")
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

// prepare fills the source address a packet's layers leave unset, as
// sendto does, each destination's asked of the kernel once per call.
func (s *socket) prepare() frame.Prepare { return frame.Filler(frame.Memo(s.router())) }

// destination is the destination of an IPv4 or IPv6 packet.
func destination(b []byte) (netip.Addr, error) {
	switch {
	case len(b) >= ipv4Header && b[0]>>4 == 4:
		return netip.AddrFrom4([4]byte(b[16:20])), nil
	case len(b) >= ipv6Header && b[0]>>4 == 6:
		return netip.AddrFrom16([16]byte(b[24:40])), nil
	}
	return netip.Addr{}, errors.New("not an IP packet: sr sends frames from their IP header")
}

// ipv6Header is the length of an IPv6 header.
const ipv6Header = 40

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

// oneOffSr sends argument 1's frames from a raw socket of its own
// (IPPROTO_RAW, which takes whole packets) and runs the conversation.
// IPv4 replies come from raw sockets of the frames' protocols and of
// ICMP (its errors answer any protocol); IPv6 ones, header included,
// from an ipv6Tap. closeAll closes the sockets; after an error the
// ledger does, with the script.
func oneOffSr(L *lua.LState, call string) (*frame.Requests, conv.Result, func()) {
	o := luabind.CheckOptions(L, 2, append(sockbind.SROptions, "netns")...)
	ns := luabind.NetNSOption(o, "rawip."+call)
	var undo []func()
	closeAll := func() {
		for _, u := range undo {
			u()
		}
	}
	open := func(family, proto int) *socket {
		object := "protocol " + strconv.Itoa(proto)
		// Broadcast: probes may go to a subnet's broadcast address, as
		// Scapy's sr sends them.
		sk, err := Open(Config{Family: family, Proto: proto, NetNS: ns, Broadcast: family == 4})
		if err != nil {
			luabind.Raise(L, &luabind.OpError{Op: "rawip." + call, Object: object, Err: err, Need: needRaw})
		}
		s := &socket{Socket: sk, Handle: sockbind.Handle{Module: "rawip", Object: object, Need: needRaw}}
		s.Track(L, "rawip socket for "+call, sk.Close)
		undo = append(undo, func() { s.CloseMethod(L) })
		return s
	}
	sender := open(4, unix.IPPROTO_RAW)
	reqs := sender.requests(L, call, 1)
	if reqs.Frames[0][0]>>4 == 6 {
		sender = open(6, unix.IPPROTO_RAW)
		return reqs, sender.run(L, call, o, reqs, []conv.Receiver{openTap(L, call, ns, &undo)}), closeAll
	}
	protos := map[int]bool{unix.IPPROTO_ICMP: true}
	for _, f := range reqs.Frames {
		protos[int(f[9])] = true
	}
	var recv []conv.Receiver
	for _, p := range slices.Sorted(maps.Keys(protos)) {
		recv = append(recv, open(4, p).receiver())
	}
	return reqs, sender.run(L, call, o, reqs, recv), closeAll
}

// openTap opens an ipv6Tap for the call, closed with the script or by
// the undo it adds.
func openTap(L *lua.LState, call string, ns *netns.NS, undo *[]func()) conv.Receiver {
	t, err := openIPv6Tap(ns)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "rawip." + call, Object: "IPv6", Err: err, Need: needRaw})
	}
	u := luabind.RuntimeOf(L).Ledger.Add("IPv6 packet socket for "+call, t.Close)
	*undo = append(*undo, func() { u.Run() })
	return t.recv
}
