package packet

import (
	"errors"
	"fmt"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/internal/sockbind"
	"github.com/netlua/netlua/luabind/pcap"
)

// packet.socket: its type, its fields and its methods (see lua.go for the
// module).

func init() {
	socketType.Methods = append(socketMethods, srpMethods...)
}

var socketType = &luabind.Type{
	Name: "packet.socket",
	Doc:  "an AF_PACKET socket bound to one interface; closed when the script ends",
	Fields: []luabind.Field{
		{Name: "ifname", Type: "string", Doc: "the interface: veth0"},
		{Name: "ifindex", Type: "integer", Doc: "its index in its namespace"},
		{Name: "mac", Type: "string", Doc: "its MAC address: 02:00:c6:12:00:01 (nil on loopback)"},
		{Name: "ip", Type: "string", Doc: "its first IPv4 address when the socket was opened (nil if none)"},
		{Name: "prefix", Type: "integer", Doc: "the prefix length of that address: 24"},
		{Name: "mtu", Type: "integer", Doc: "its MTU when the socket was opened"},
		{Name: "closed", Type: "boolean", Doc: "true after close()"},
	},
	Get: get,
}

// socket is a Socket as Lua holds it.
type socket struct {
	*Socket
	sockbind.Handle
	ifname lua.LValue // boxed once: each conversion of a string to an LValue allocates
	mac    lua.LValue
	sent   sockbind.Numbers // what send returns
	info   infoCache
}

// infoCache holds the values of info fields that repeat from frame to
// frame, so that recv allocates less.
type infoCache struct {
	ifindex, proto, length sockbind.Numbers
	src                    [8]byte
	srcLen                 uint8
	srcV                   lua.LValue
}

// srcValue is info's source address as a Lua string.
func (c *infoCache) srcValue(info *Info) lua.LValue {
	if c.srcV == nil || c.src != info.src || c.srcLen != info.srcLen {
		c.src, c.srcLen, c.srcV = info.src, info.srcLen, lua.LString(info.Src().String())
	}
	return c.srcV
}

// String describes the socket for tostring.
func (s *socket) String() string { return s.Socket.String() }

// get serves the socket's fields (sockbind.Handle.Field).
func get(L *lua.LState, v any, key string) lua.LValue { return v.(*socket).Field(key) }

// field computes the field key of the socket.
func (s *socket) field(key string) lua.LValue {
	switch key {
	case "ifname":
		return s.ifname
	case "ifindex":
		return lua.LNumber(s.Index())
	case "mac":
		return s.mac
	case "ip":
		if !s.Addr().IsValid() {
			return lua.LNil
		}
		return lua.LString(s.Addr().Addr().String())
	case "prefix":
		if !s.Addr().IsValid() {
			return lua.LNil
		}
		return lua.LNumber(s.Addr().Bits())
	case "mtu":
		return lua.LNumber(s.MTU())
	}
	return lua.LNil
}

var socketMethods = []luabind.Func{
	{Name: "send", Sig: "socket:send(bytes | layers [, opts]) -> n", Fn: socketSend,
		Types: luabind.Types{"bytes": "string", "layers": "frame.layer[]|frame.layer|frame.packet", "opts": "{ timeout?: number }", "n": "integer"},
		Doc: "sends one frame, link header included; returns the bytes sent; a frame over the MTU is an error naming the sizes. " +
			"Bytes go as given; layers are built with the addresses left unset filled in as Scapy fills them: ether.src the interface's MAC, " +
			"ether.dst the next hop's MAC (from the neighbour table, resolved by ARP/ND within opts.timeout seconds, default 1; broadcast above an ARP request), " +
			"ipv4/ipv6 src and arp psrc the source the route to dst picks, arp hwsrc the interface's MAC (f.build alone keeps the fixed defaults)"},
	{Name: "recv", Sig: "socket:recv([timeout]) -> bytes, info | nil", Fn: socketRecv,
		Types: luabind.Types{"timeout": "number", "bytes": "string", "info": "{ ifindex: integer, ifname: string, proto: integer, pkttype: string, src: string, ts: number, len: integer }"},
		Doc:   "the next frame and info = { ifindex, ifname, proto, pkttype, src, ts, len }; nil after timeout seconds (none: wait; ^C interrupts)"},
	{Name: "on", Sig: "socket:on(fn)", Fn: socketOn,
		Types: luabind.Types{"fn": "function"},
		Doc:   "calls fn(bytes, info) for each frame, through the event loop, until close(); a second call replaces fn"},
	{Name: "filter", Sig: "socket:filter(expression | program | nil)", Fn: socketFilter,
		Types: luabind.Types{"expression": "string", "program": "integer[][]"},
		Doc:   "replaces the kernel filter: a tcpdump expression, a classic BPF program {{code, jt, jf, k}, ...}, or nil for none; queued frames are dropped"},
	{Name: "stats", Sig: "socket:stats() -> { received, dropped }", Fn: socketStats,
		Types: luabind.Types{"received": "integer", "dropped": "integer"},
		Doc:   "the kernel's counts since open: frames that passed the filter (dropped ones included, as tcpdump counts) and frames dropped for want of buffer"},
	{Name: "capture", Sig: "socket:capture{ file [, count] [, duration] [, snaplen] [, workers] [, per_worker] [, spread] [, engine] } -> { captured, dropped [, workers] }", Fn: socketCapture,
		Types: luabind.Types{"file": "string", "count": "integer", "duration": "number", "snaplen": "integer", "captured": "integer", "dropped": "integer",
			"workers": "integer", "per_worker": "boolean", "spread": "string", "engine": "string"},
		Doc: "writes the frames the socket receives (queued ones first) to a pcap file, in Go from a TPACKET_V3 ring, until count frames or duration seconds, or ^C, which keeps what it got (duration 0: only the frames queued, at once; neither: until ^C); snaplen cuts frames, keeping their length; dropped counts frames the kernel had no room for; " + captureWorkersDoc + "; " +
			"engine \"xdp\": AF_XDP sockets, one a receive queue, fed by an XDP program (needs CAP_BPF or CAP_SYS_ADMIN; the frames it takes skip the kernel's stack and other sockets; stamped when read; detached at the end, or by the kernel if netlua dies; no workers)"},
	{Name: "blast", Sig: "socket:blast(bytes, { count | duration [, rate] [, vary] [, progress] [, workers] [, engine] }) -> { sent, seconds, pps, errors [, workers] }", Fn: socketBlast,
		Types: luabind.Types{"bytes": "string", "count": "integer", "duration": "number", "rate": "number", "vary": "table", "progress": "boolean", "workers": "integer", "engine": "string",
			"sent": "integer", "seconds": "number", "pps": "number", "errors": "integer"},
		Doc: "sends the frame over and over in Go (sendmmsg, 64 frames a call) until count frames or duration seconds, or ^C; " +
			"rate: frames per second (none, or over 1e9: full speed); " +
			`vary changes fields per frame, checksums kept right: { ["ipv4.src"] = "198.18.0.0/24", ["udp.dport"] = { 1000, 1999 }, ["ipv4.id"] = true, [42] = { 1, 100, width = 2 }, order = "random" } ` +
			"(fields ipv4.src, ipv4.dst, ipv4.id, ipv4.ttl, udp.sport, udp.dport, tcp.sport, tcp.dport, tcp.seq, or a byte offset from 0; " +
			"a range { lo, hi }, \"lo-hi\" or a CIDR; true: count on from the frame's value; order \"seq\" (default) or \"random\", for all or per field { lo, hi, order = }); " +
			"progress: a live rate line on stderr (default: on a terminal, for runs over 2 s); errors: frames the kernel refused (ENOBUFS), not sent again; " +
			workersDoc + "; " +
			"engine \"xdp\": through an AF_XDP socket on queue 0, up to 1024 frames a sendto (zero copy where the driver offers it, else copy, as on veth), frames up to 2048 bytes, one worker",
	},
	replayMethod,
	sniffMethod,
	{Name: "close", Sig: "socket:close()", Fn: socketClose,
		Doc: "closes the socket and ends its promiscuous membership and on(); safe to call twice"},
}

// check returns argument 1 as an open socket; call names the method.
func check(L *lua.LState, call string) *socket {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	s.CheckOpen(L, call)
	return s
}

// socketSend is the hot path of a Lua send loop: it neither allocates nor
// enters the runtime poller.
func socketSend(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	n, err := s.Send(s.Context(), s.sendBytes(L))
	if err != nil {
		s.Raise(L, "send", err)
	}
	L.Push(s.sent.Value(n))
	return 1
}

func socketRecv(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	return sockbind.Recv(L, &s.Handle, s.Recv, s.infoTable)
}

// pktTypes are the Lua strings of the packet types, boxed once.
var pktTypes = func() (t [8]lua.LValue) {
	for i := range t {
		t[i] = lua.LString(PktType(i).String())
	}
	return t
}()

// infoTable is info as scripts see it.
func (s *socket) infoTable(L *lua.LState, info *Info) *lua.LTable {
	t := L.CreateTable(0, 7)
	c := &s.info
	t.RawSetString("ifindex", c.ifindex.Value(info.Ifindex))
	t.RawSetString("ifname", s.ifname)
	t.RawSetString("proto", c.proto.Value(int(info.Proto)))
	var pt lua.LValue = lua.LString(info.PktType.String())
	if int(info.PktType) < len(pktTypes) {
		pt = pktTypes[info.PktType]
	}
	t.RawSetString("pkttype", pt)
	t.RawSetString("src", c.srcValue(info))
	t.RawSetString("ts", sockbind.Seconds(info.TS))
	t.RawSetString("len", c.length.Value(info.Len))
	return t
}

func socketOn(L *lua.LState) int {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	// Timestamps from now, not from the reader's first receive.
	if err := s.conn.EnableTimestamps(); err != nil {
		s.Raise(L, "on", err)
	}
	return sockbind.On(L, &s.Handle, s.Recv, s.infoTable)
}

func socketFilter(L *lua.LState) int {
	s := check(L, "filter")
	var err error
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
		err = s.SetFilter(nil)
	case lua.LString:
		err = s.SetFilter(compileFilter(L, "packet.filter", string(v)))
	case *lua.LTable:
		prog, perr := bpfProgram(v)
		if perr != nil {
			luabind.ArgError(L, 2, "program "+perr.Error())
		}
		err = s.SetFilter(prog)
	default:
		luabind.TypeError(L, 2, "string, table or nil")
	}
	if err != nil {
		s.Raise(L, "filter", err)
	}
	return 0
}

func socketStats(L *lua.LState) int {
	s := check(L, "stats")
	st, err := s.Stats()
	if err != nil {
		s.Raise(L, "stats", err)
	}
	t := L.CreateTable(0, 2)
	t.RawSetString("received", lua.LNumber(st.Received))
	t.RawSetString("dropped", lua.LNumber(st.Dropped))
	L.Push(t)
	return 1
}

func socketCapture(L *lua.LState) int {
	s := check(L, "capture")
	s.CheckNoCallback(L, "capture")
	o := luabind.CheckOptions(L, 2, "file", "count", "duration", "snaplen", "workers", "per_worker", "spread", "engine")
	engine := checkEngine(o)
	file := o.String("file", "")
	if file == "" {
		o.Error("file", "is required: the pcap file to write")
	}
	lim := checkLimits(o)
	if o.Has("workers") || o.Has("per_worker") || o.Has("spread") {
		if engine == EngineXDP {
			o.Error("engine", "\"xdp\" takes no workers, per_worker or spread: it has a socket for each receive queue")
		}
		return captureWorkers(L, s, o, file, lim)
	}
	w, err := pcap.Create(file, pcap.WriterOptions{Snaplen: o.Int("snaplen", 0)})
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "packet.capture", Object: file, Err: err})
	}
	var st CaptureStats
	switch queued := o.Has("duration") && lim.Duration == 0; {
	case engine == EngineXDP && queued: // AF_XDP sockets made now hold nothing yet
	case engine == EngineXDP:
		st, err = s.CaptureXDP(s.Context(), w, lim)
	case queued:
		st, err = s.CaptureQueued(s.Context(), w, lim.Count)
	default:
		st, err = s.Capture(s.Context(), w, lim)
	}
	if cerr := w.Close(); err == nil && cerr != nil {
		luabind.Raise(L, &luabind.OpError{Op: "packet.capture", Object: file, Err: cerr})
	}
	if err != nil {
		s.Raise(L, "capture", err)
	}
	luabind.RuntimeOf(L).TakeInterrupt(L) // ^C ended the capture: at the prompt, r = s:capture{} gets r
	L.Push(captureTable(L, st))
	return 1
}

// checkLimits reads the count and duration options.
func checkLimits(o luabind.Options) Limits {
	count := o.Int("count", 0)
	if count < 0 {
		o.Error("count", "must be 0 or more")
	}
	secs := o.Number("duration", 0)
	if math.IsNaN(secs) || secs < 0 || secs > 1e9 {
		o.Error("duration", "must be 0 or more seconds")
	}
	return Limits{Count: count, Duration: time.Duration(secs * float64(time.Second))}
}

func socketBlast(L *lua.LState) int {
	s := check(L, "blast")
	frame := luabind.CheckString(L, 2)
	opt := checkBlast(L)
	rt := luabind.RuntimeOf(L)
	st, err := s.Blast(rt.Context(), sock.Bytes(frame), opt)
	var verr *VaryError
	if errors.As(err, &verr) {
		varyError(L, &verr.Field, verr.Msg)
	}
	if err != nil {
		s.Raise(L, "blast", err)
	}
	// ^C ends a script as soon as blast returns: say what it did. At the
	// prompt ^C ends only the blast, whose result the prompt shows.
	if !rt.TakeInterrupt(L) && rt.Interrupted() != nil && opt.Progress == nil {
		fmt.Fprintf(rt.Stderr, "blast: %s (interrupted)\n", st)
	}
	t := L.CreateTable(0, 4)
	t.RawSetString("sent", lua.LNumber(st.Sent))
	t.RawSetString("seconds", lua.LNumber(st.Elapsed.Seconds()))
	t.RawSetString("pps", lua.LNumber(st.PPS()))
	t.RawSetString("errors", lua.LNumber(st.Errors))
	if len(st.Workers) > 0 {
		t.RawSetString("workers", workersTable(L, st.Workers))
	}
	L.Push(t)
	return 1
}

func socketClose(L *lua.LState) int {
	return luabind.CheckObject[*socket](L, 1, socketType).CloseMethod(L)
}
