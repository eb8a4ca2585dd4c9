package packet

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/net/bpf"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/filter"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// The Lua module "packet". This file and methods.go are its binding: they
// check arguments, call the core and push results.

func init() {
	socketType.Methods = methods
}

// Module returns the Lua module "packet", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "packet",
		Doc:  "raw frames on an interface (AF_PACKET sockets): send, receive, capture to pcap",
		Funcs: []luabind.Func{
			{Name: "open", Sig: "open(ifname [, opts]) -> socket", Fn: open,
				Types: luabind.Types{"ifname": "string", "opts": "{ proto?: string|integer, promisc?: boolean, filter?: string|integer[][], netns?: lab.host|lab.end|string }", "socket": "packet.socket"},
				Doc:   "a packet socket on ifname; opts: proto (\"all\", \"ipv4\", \"ipv6\", \"arp\" or an EtherType), promisc, filter (a tcpdump expression, or classic BPF {{code, jt, jf, k}, ...} as tcpdump -dd prints), netns"},
		},
		Types: []*luabind.Type{socketType},
	}
}

// needRaw is the capability packet sockets need.
const needRaw = "CAP_NET_RAW"

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
	static luabind.Static   // the fields that never change, boxed at open
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

// get serves the socket's fields: closed, and the others, which never
// change, from the values boxed at open, so that reading them allocates
// nothing.
func get(L *lua.LState, v any, key string) lua.LValue {
	s := v.(*socket)
	if key == "closed" {
		return lua.LBool(s.Closed())
	}
	return s.static.Get(key)
}

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

// protoNames are the EtherTypes proto takes by name.
var protoNames = map[string]uint16{"all": ProtoAll, "ipv4": ProtoIPv4, "ipv6": ProtoIPv6, "arp": ProtoARP}

// open implements packet.open(ifname [, opts]).
func open(L *lua.LState) int {
	ifname := luabind.CheckString(L, 1)
	o := luabind.CheckOptions(L, 2, "proto", "promisc", "filter", "netns")
	cfg := Config{Proto: checkProto(o), Promisc: o.Bool("promisc", false), Filter: checkFilter(o)}
	cfg.NetNS = luabind.NetNSOption(o, "packet.open")
	s, err := Open(ifname, cfg)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "packet.open", Object: ifname, Err: err, Need: needRaw})
	}
	ls := &socket{Socket: s, ifname: lua.LString(s.Name()), mac: lua.LNil,
		Handle: sockbind.Handle{Module: "packet", Object: s.Name(), Need: needRaw}}
	ls.Track(L, "packet socket on "+ifname, s.Close)
	if mac := s.MAC(); mac != nil {
		ls.mac = lua.LString(mac.String())
	}
	ls.static = luabind.NewStatic(socketType, ls.field, "closed")
	L.Push(luabind.NewObject(L, socketType, ls))
	return 1
}

// checkProto reads the proto option: a name or an EtherType.
func checkProto(o luabind.Options) uint16 {
	switch v := o.Value("proto").(type) {
	case *lua.LNilType:
		return ProtoAll
	case lua.LString:
		if p, ok := protoNames[strings.ToLower(string(v))]; ok {
			return p
		}
		o.Error("proto", fmt.Sprintf("is %q: use all, arp, ipv4, ipv6 or an EtherType number", string(v)))
	case lua.LNumber:
		if v >= 1 && v <= 0xffff && v == lua.LNumber(int(v)) {
			return uint16(v)
		}
		o.Error("proto", fmt.Sprintf("is %v: an EtherType is 1 to 0xffff", v))
	}
	o.Error("proto", fmt.Sprintf("expects a string or a number, got %s", o.Value("proto").Type()))
	return 0
}

// checkFilter reads the filter option: a classic BPF program as a table.
func checkFilter(o luabind.Options) []bpf.RawInstruction {
	switch v := o.Value("filter").(type) {
	case *lua.LNilType:
		return nil
	case lua.LString:
		return compileFilter(o.L, "packet.open", string(v))
	case *lua.LTable:
		prog, err := bpfProgram(v)
		if err != nil {
			o.Error("filter", err.Error())
		}
		return prog
	}
	o.Error("filter", fmt.Sprintf("expects an expression or a table of BPF instructions, got %s", o.Value("filter").Type()))
	return nil
}

// compileFilter compiles a tcpdump expression for the call op; a
// mistake raises the compiler's error, which names the column. It is the
// one place where a filter is compiled for a live socket (open's filter
// option and s:filter), whose frames reach the filter without their VLAN
// tag: the kernel holds it beside them (see TestLiveVLANFilters).
func compileFilter(L *lua.LState, op, expr string) []bpf.RawInstruction {
	prog, err := filter.CompileLive(expr)
	if err != nil {
		luabind.Errorf(L, op, "%v", err)
	}
	return prog.Raw()
}
