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

// The Lua module "packet": this file registers it and holds packet.open
// and the readers of its arguments; lua_socket.go holds the methods of
// packet.socket. They check arguments, call the core and push results.

// Module returns the Lua module "packet", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "packet",
		Doc:  "raw frames on an interface (AF_PACKET sockets): send, receive, capture to pcap",
		Funcs: append([]luabind.Func{
			{Name: "open", Sig: "open(ifname [, opts]) -> socket", Fn: open,
				Types: luabind.Types{"ifname": "string", "opts": "{ proto?: string|integer, promisc?: boolean, filter?: string|integer[][], netns?: " + luabind.NetNSType + " }", "socket": "packet.socket"},
				Doc:   "a packet socket on ifname; opts: proto (\"all\", \"ipv4\", \"ipv6\", \"arp\" or an EtherType), promisc, filter (a tcpdump expression, or classic BPF {{code, jt, jf, k}, ...} as tcpdump -dd prints), netns"},
		}, srpFuncs...),
		Types: []*luabind.Type{socketType},
	}
}

// needRaw is the capability packet sockets need.
const needRaw = "CAP_NET_RAW"

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
	ls.Box(socketType, ls.field)
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

// maxInstructions is the kernel's BPF_MAXINSNS.
const maxInstructions = 4096

// bpfProgram reads a classic BPF program from Lua: an array of
// instructions, each {code, jt, jf, k} (as `tcpdump -dd` prints them) or
// {code = , jt = , jf = , k = }. The kernel checks the program itself.
func bpfProgram(t *lua.LTable) ([]bpf.RawInstruction, error) {
	n := t.Len()
	if n == 0 || n > maxInstructions {
		return nil, fmt.Errorf("has %d instructions: a program has 1 to %d", n, maxInstructions)
	}
	prog := make([]bpf.RawInstruction, n)
	for i := range prog {
		ins, ok := t.RawGetInt(i + 1).(*lua.LTable)
		if !ok {
			return nil, fmt.Errorf("instruction %d is a %s, not a table {code, jt, jf, k}", i+1, t.RawGetInt(i+1).Type())
		}
		var err error
		if prog[i], err = bpfInstruction(ins); err != nil {
			return nil, fmt.Errorf("instruction %d: %w", i+1, err)
		}
	}
	return prog, nil
}

// bpfFields are an instruction's fields in tcpdump -dd order, with their
// largest values.
var bpfFields = [4]struct {
	name string
	max  float64
}{{"code", 0xffff}, {"jt", 0xff}, {"jf", 0xff}, {"k", 0xffffffff}}

// bpfInstruction reads one {code, jt, jf, k}.
func bpfInstruction(t *lua.LTable) (bpf.RawInstruction, error) {
	var v [4]uint32
	for i, f := range bpfFields {
		x := t.RawGetString(f.name)
		if x == lua.LNil {
			x = t.RawGetInt(i + 1)
		}
		n, ok := x.(lua.LNumber)
		if !ok || float64(n) < 0 || float64(n) > f.max || n != lua.LNumber(int64(n)) {
			return bpf.RawInstruction{}, fmt.Errorf("%s must be an integer from 0 to %d, got %s", f.name, uint32(f.max), x.String())
		}
		v[i] = uint32(n)
	}
	return bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: v[3]}, nil
}
