package rawip

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// The Lua module "rawip": this file registers it and holds its functions
// (open, resolve, source); lua_socket.go holds rawip.socket and its
// methods. They check arguments, call the core and push results.

// Module returns the Lua module "rawip", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "rawip",
		Doc:  "raw IP sockets (AF_INET/AF_INET6, SOCK_RAW): ICMP and any IP protocol, with kernel receive timestamps",
		Funcs: append([]luabind.Func{
			{Name: "open", Sig: "open{ proto [, family] [, hdrincl] [, device] [, ttl] [, broadcast] [, netns] } -> socket", Fn: open,
				Types: luabind.Types{"proto": "string|integer", "family": "integer", "hdrincl": "boolean", "device": "string", "ttl": "integer", "broadcast": "boolean", "netns": luabind.NetNSType, "socket": "rawip.socket"},
				Doc:   "a raw socket; proto: icmp, icmp6, igmp, tcp, udp, gre, esp, ah, sctp, raw (send only, with headers) or a number; family 4 (default; 6 for icmp6); broadcast = true lets an IPv4 socket send to broadcast addresses (SO_BROADCAST)"},
			{Name: "resolve", Sig: "resolve(host [, family]) -> address", Fn: resolve,
				Types: luabind.Types{"host": "string", "family": "integer", "address": "string"},
				Doc:   "host's address: an address as it is, or a name looked up (IPv4 preferred unless family is 6)"},
			{Name: "source", Sig: "source(dst [, { device, netns }]) -> address", Fn: source,
				Types: luabind.Types{"dst": "string", "device": "string", "netns": luabind.NetNSType, "address": "string"},
				Doc:   "the local address the kernel sends from to reach dst, as ip route get shows it"},
		}, srFuncs...),
		Types: []*luabind.Type{socketType},
	}
}

// needRaw is the capability raw sockets need.
const needRaw = "CAP_NET_RAW"

// open implements rawip.open{...}.
func open(L *lua.LState) int {
	o := luabind.CheckOptions(L, 1, "proto", "family", "hdrincl", "device", "ttl", "broadcast", "netns")
	if L.Get(1) == lua.LNil {
		luabind.TypeError(L, 1, "table")
	}
	cfg, name := checkConfig(o)
	cfg.NetNS = luabind.NetNSOption(o, "rawip.open")
	s, err := Open(cfg)
	if err != nil {
		object := name
		var noIf *netns.NoInterfaceError
		if errors.As(err, &noIf) {
			object = cfg.Device
		}
		luabind.Raise(L, &luabind.OpError{Op: "rawip.open", Object: object, Err: err, Need: needRaw})
	}
	ls := &socket{Socket: s, Handle: sockbind.Handle{Module: "rawip", Object: name, Need: needRaw}}
	ls.Track(L, "rawip socket "+name, s.Close)
	ls.Box(socketType, ls.field)
	L.Push(luabind.NewObject(L, socketType, ls))
	return 1
}

// checkConfig reads open's options but netns; name is the protocol's.
func checkConfig(o luabind.Options) (Config, string) {
	cfg := Config{Family: o.Int("family", 0), HdrIncl: o.Bool("hdrincl", false), Device: o.String("device", ""), TTL: o.Int("ttl", 0), Broadcast: o.Bool("broadcast", false)}
	var name string
	cfg.Proto, name = checkProto(o)
	if cfg.Family == 0 && name == "icmp6" {
		cfg.Family = 6
	}
	if cfg.Family == 6 && cfg.Proto == protocols["icmp"] && name == "icmp" {
		cfg.Proto = protocols["icmp6"]
	}
	if cfg.Family != 0 && cfg.Family != 4 && cfg.Family != 6 {
		o.Error("family", fmt.Sprintf("is %d: use 4 or 6", cfg.Family))
	}
	if cfg.TTL < 0 || cfg.TTL > 255 {
		o.Error("ttl", fmt.Sprintf("is %d: use 1 to 255", cfg.TTL))
	}
	return cfg, name
}

// checkProto reads the proto option: a name of protocols or a number.
func checkProto(o luabind.Options) (int, string) {
	switch v := o.Value("proto").(type) {
	case lua.LString:
		if p, ok := protocols[strings.ToLower(string(v))]; ok {
			return p, strings.ToLower(string(v))
		}
		o.Error("proto", fmt.Sprintf("is %q: use %s or a number", string(v), strings.Join(slices.Sorted(maps.Keys(protocols)), ", ")))
	case lua.LNumber:
		if v >= 0 && v <= 255 && v == lua.LNumber(int(v)) {
			return int(v), strconv.Itoa(int(v))
		}
		o.Error("proto", fmt.Sprintf("is %v: an IP protocol is 0 to 255", v))
	case *lua.LNilType:
		o.Error("proto", "is required: icmp, udp, ... or a number")
	}
	o.Error("proto", fmt.Sprintf("expects a string or a number, got %s", o.Value("proto").Type()))
	return 0, ""
}

// resolve implements rawip.resolve(host [, family]).
func resolve(L *lua.LState) int {
	host := luabind.CheckString(L, 1)
	family := luabind.OptInt(L, 2, 0)
	if family != 0 && family != 4 && family != 6 {
		luabind.ArgError(L, 2, "family is 4 or 6")
	}
	addr, err := Resolve(luabind.RuntimeOf(L).Context(), host, family)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "rawip.resolve", Object: host, Err: err})
	}
	L.Push(lua.LString(addr.String()))
	return 1
}

// source implements rawip.source(dst [, opts]).
func source(L *lua.LState) int {
	dst := checkAddr(L, 1)
	o := luabind.CheckOptions(L, 2, "device", "netns")
	device := o.String("device", "")
	ns := luabind.NetNSOption(o, "rawip.source")
	src, err := router{ns: ns, device: device}.Source(dst)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "rawip.source", Object: dst.String(), Err: err})
	}
	L.Push(lua.LString(src.String()))
	return 1
}

// checkAddr returns argument n as an IP address.
func checkAddr(L *lua.LState, n int) netip.Addr {
	s := luabind.CheckString(L, n)
	a, err := netip.ParseAddr(s)
	if err != nil {
		luabind.ArgError(L, n, fmt.Sprintf("%q is not an IP address (rawip.resolve looks names up)", s))
	}
	return a
}
