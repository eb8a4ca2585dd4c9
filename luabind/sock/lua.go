package sock

import (
	"fmt"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/inet"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// The Lua module "sock": this file registers it and holds sock.tcp and
// sock.udp; lua_socket.go holds the socket's methods.

// Module returns the Lua module "sock", a fresh value for a runtime to be
// built with (see luabind.New).
func Module() *luabind.Module {
	return &luabind.Module{
		Name: "sock",
		Doc:  "TCP and UDP sockets (IPv4, IPv6) in any namespace: blocking with timeouts, non-blocking with on(), or parked in sock.go tasks",
		Funcs: []luabind.Func{
			{Name: "tcp", Sig: "tcp([{ family, netns, timeout, nonblock }]) -> socket", Fn: openTCP,
				Types: openTypes, Doc: "a TCP socket; family \"ipv4\" or \"ipv6\" (default: that of the first address used, else ipv4); timeout: the default of blocking calls in seconds (nil: forever); nonblock: calls return at once"},
			{Name: "udp", Sig: "udp([{ family, netns, timeout, nonblock }]) -> socket", Fn: openUDP,
				Types: openTypes, Doc: "a UDP socket, with the options of tcp"},
			goFunc,
		},
		Types: []*luabind.Type{socketType, taskType, handleType},
	}
}

var openTypes = luabind.Types{"family": "\"ipv4\"|\"ipv6\"", "netns": luabind.NetNSType, "timeout": "number", "nonblock": "boolean", "socket": "sock.socket"}

func openTCP(L *lua.LState) int { return open(L, inet.TCP, "tcp") }
func openUDP(L *lua.LState) int { return open(L, inet.UDP, "udp") }

// open implements sock.tcp and sock.udp.
func open(L *lua.LState, typ int, name string) int {
	o := luabind.CheckOptions(L, 1, "family", "netns", "timeout", "nonblock")
	cfg := inet.Config{Type: typ, Family: checkFamily(o)}
	cfg.NetNS = luabind.NetNSOption(o, "sock."+name)
	s, err := inet.Open(cfg)
	if err != nil {
		luabind.Raise(L, &luabind.OpError{Op: "sock." + name, Err: err})
	}
	pushSocket(L, &socket{Socket: s, timeout: checkOptTimeout(o), nonblock: o.Bool("nonblock", false)})
	return 1
}

// pushSocket records s for cleanup and pushes it as a sock.socket.
func pushSocket(L *lua.LState, s *socket) {
	s.Handle = sockbind.Handle{Module: "sock"}
	s.Track(L, "sock socket", s.Socket.Close)
	L.Push(luabind.NewObject(L, socketType, s))
}

// checkOptTimeout reads the timeout option: Forever when absent.
func checkOptTimeout(o luabind.Options) time.Duration {
	if !o.Has("timeout") {
		return inet.Forever
	}
	s := o.Number("timeout", 0)
	if math.IsNaN(s) || s < 0 || s > 1e9 {
		o.Error("timeout", "must be 0 or more seconds")
	}
	return time.Duration(s * float64(time.Second))
}

// checkFamily reads the family option: 0 when absent.
func checkFamily(o luabind.Options) int {
	switch f := o.String("family", ""); f {
	case "":
		return 0
	case "ipv4":
		return 4
	case "ipv6":
		return 6
	default:
		o.Error("family", fmt.Sprintf("is %q: use \"ipv4\" or \"ipv6\"", f))
	}
	return 0
}
