package sock

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/internal/inet"
	"github.com/netlua/netlua/luabind/internal/sock"
	"github.com/netlua/netlua/luabind/internal/sockbind"
)

// sock.socket: its type, its fields and its methods (see lua.go for the
// module).

var socketType = &luabind.Type{
	Name: "sock.socket",
	Doc:  "a TCP or UDP socket; closed when the script ends",
	Fields: []luabind.Field{
		{Name: "fd", Type: "integer", Doc: "the descriptor, or -1 before the socket is open (at its first address)"},
		{Name: "family", Type: "string", Doc: "\"ipv4\" or \"ipv6\", or nil before the socket is open"},
		{Name: "closed", Type: "boolean", Doc: "true after close()"},
	},
	Get: get,
}

func init() { socketType.Methods = append(append(socketMethods, onMethod), optionMethods...) }

// maxRecv is the largest read: a whole UDP datagram.
const maxRecv = 1 << 16

// socket is an inet.Socket as Lua holds it.
type socket struct {
	*inet.Socket
	sockbind.Handle
	timeout  time.Duration // of blocking calls without their own
	nonblock bool
	buf      []byte
	sent     sockbind.Numbers
}

// String describes the socket for tostring.
func (s *socket) String() string { return s.Socket.String() }

// get serves the socket's fields.
func get(L *lua.LState, v any, key string) lua.LValue {
	s := v.(*socket)
	switch key {
	case "fd":
		return lua.LNumber(s.FD())
	case "family":
		switch s.Family() {
		case 4:
			return lua.LString("ipv4")
		case 6:
			return lua.LString("ipv6")
		}
		return lua.LNil
	case "closed":
		return lua.LBool(s.Socket.Closed())
	}
	return lua.LNil
}

var socketMethods = []luabind.Func{
	{Name: "bind", Sig: "socket:bind(addr, port)", Fn: socketBind,
		Types: luabind.Types{"addr": "string", "port": "integer"},
		Doc:   "binds to addr (\"\" or \"*\": any address) and port (0: an ephemeral one)"},
	{Name: "listen", Sig: "socket:listen([backlog])", Fn: socketListen,
		Types: luabind.Types{"backlog": "integer"}, Doc: "makes a TCP socket accept connections; backlog defaults to 128"},
	{Name: "accept", Sig: "socket:accept([timeout]) -> conn, ip, port", Fn: socketAccept,
		Types: luabind.Types{"timeout": "number", "conn": "sock.socket", "ip": "string", "port": "integer"},
		Doc:   "the next connection and its peer's address, waiting at most timeout seconds (default: the socket's)"},
	{Name: "connect", Sig: "socket:connect(ip, port [, timeout])", Fn: socketConnect,
		Types: luabind.Types{"ip": "string", "port": "integer", "timeout": "number"},
		Doc:   "connects, waiting at most timeout seconds for the handshake; a nonblock socket returns at once (on(\"writable\") tells when it is done)"},
	{Name: "send", Sig: "socket:send(data) -> n", Fn: socketSend,
		Types: luabind.Types{"data": "string", "n": "integer"},
		Doc:   "writes all of data, waiting for room (a nonblock socket writes what fits: n may be less, even 0)"},
	{Name: "recv", Sig: "socket:recv([max [, timeout]]) -> data | nil", Fn: socketRecv,
		Types: luabind.Types{"max": "integer", "timeout": "number", "data": "string"},
		Doc:   "up to max bytes (default 65536) as soon as some are there; nil at the end of the stream"},
	{Name: "sendto", Sig: "socket:sendto(data, ip, port) -> n", Fn: socketSendto,
		Types: luabind.Types{"data": "string", "ip": "string", "port": "integer", "n": "integer"},
		Doc:   "sends one datagram to ip and port"},
	{Name: "recvfrom", Sig: "socket:recvfrom([max [, timeout]]) -> data, ip, port", Fn: socketRecvfrom,
		Types: luabind.Types{"max": "integer", "timeout": "number", "data": "string", "ip": "string", "port": "integer"},
		Doc:   "the next datagram (cut to max bytes, default 65536) and its sender"},
	{Name: "shutdown", Sig: "socket:shutdown(how)", Fn: socketShutdown,
		Types: luabind.Types{"how": "\"r\"|\"w\"|\"rw\""}, Doc: "shuts down reading (r), writing (w: sends a FIN) or both"},
	{Name: "local_addr", Sig: "socket:local_addr() -> ip, port", Fn: socketLocalAddr,
		Types: luabind.Types{"ip": "string", "port": "integer"}, Doc: "the address the socket is bound to"},
	{Name: "peer_addr", Sig: "socket:peer_addr() -> ip, port", Fn: socketPeerAddr,
		Types: luabind.Types{"ip": "string", "port": "integer"}, Doc: "the address the socket is connected to"},
	{Name: "close", Sig: "socket:close()", Fn: socketClose, Doc: "closes the socket; safe to call twice"},
}

// check returns argument 1 as an open socket, for call.
func check(L *lua.LState, call string) *socket {
	s := luabind.CheckObject[*socket](L, 1, socketType)
	if s.Socket.Closed() {
		s.raise(L, call, "", net.ErrClosed)
	}
	return s
}

// raise raises err of call on the socket; target (an address) follows
// the call's name: "sock.connect 198.18.0.2:80: connection refused (ECONNREFUSED)".
func (s *socket) raise(L *lua.LState, call, target string, err error) {
	op := "sock." + call
	if target != "" {
		op += " " + target
	}
	if errors.Is(err, net.ErrClosed) {
		err = sock.ErrClosedSocket
	}
	luabind.Raise(L, &luabind.OpError{Op: op, Err: err})
}

// checkAddrPort reads arguments n (an IP address; "" or "*" is any when
// any is true) and n+1 (a port).
func checkAddrPort(L *lua.LState, n int, any bool) netip.AddrPort {
	str := luabind.CheckString(L, n)
	port := luabind.CheckInt(L, n+1)
	if port < 0 || port > 65535 {
		luabind.ArgError(L, n+1, fmt.Sprintf("port %d: use 0 to 65535", port))
	}
	if any && (str == "" || str == "*") {
		return netip.AddrPortFrom(netip.Addr{}, uint16(port))
	}
	a, err := netip.ParseAddr(str)
	if err != nil {
		luabind.ArgError(L, n, fmt.Sprintf("%q is not an IP address", str))
	}
	return netip.AddrPortFrom(a.WithZone(""), uint16(port))
}

// checkTimeout reads optional argument n as a timeout, the socket's own
// when absent; a nonblock socket's calls never wait.
func (s *socket) checkTimeout(L *lua.LState, n int) time.Duration {
	if L.Get(n) != lua.LNil {
		return sockbind.CheckTimeout(L, n)
	}
	return s.timeout
}

// checkMax reads optional argument n, the most bytes to receive.
func checkMax(L *lua.LState, n int) int {
	max := luabind.OptInt(L, n, maxRecv)
	if max < 1 || max > maxRecv {
		luabind.ArgError(L, n, fmt.Sprintf("max %d: use 1 to %d", max, maxRecv))
	}
	return max
}

// buffer is the socket's receive buffer, cut to max.
func (s *socket) buffer(max int) []byte {
	if s.buf == nil {
		s.buf = make([]byte, maxRecv)
	}
	return s.buf[:max]
}

func pushAddr(L *lua.LState, ap netip.AddrPort) int {
	L.Push(lua.LString(ap.Addr().String()))
	L.Push(lua.LNumber(ap.Port()))
	return 2
}

func socketBind(L *lua.LState) int {
	s := check(L, "bind")
	ap := checkAddrPort(L, 2, true)
	if err := s.Bind(ap); err != nil {
		s.raise(L, "bind", hostPort(ap), err)
	}
	return 0
}

// hostPort writes ap as errors name it: "198.18.0.2:80", "[2001:2::2]:80", "*:80".
func hostPort(ap netip.AddrPort) string {
	if !ap.Addr().IsValid() {
		return "*:" + strconv.Itoa(int(ap.Port()))
	}
	return ap.String()
}

func socketListen(L *lua.LState) int {
	s := check(L, "listen")
	backlog := luabind.OptInt(L, 2, 128)
	if err := s.Listen(backlog); err != nil {
		s.raise(L, "listen", "", err)
	}
	return 0
}

func socketAccept(L *lua.LState) int {
	s := check(L, "accept")
	timeout := s.checkTimeout(L, 2)
	var c *inet.Socket
	var from netip.AddrPort
	_, err := s.wait(L, "accept", unix.POLLIN, timeout, func(*int) (err error) {
		c, from, err = s.TryAccept()
		return err
	})
	if err == errParked {
		return L.YieldAgain()
	}
	if err != nil {
		s.raise(L, "accept", "", err)
	}
	pushSocket(L, &socket{Socket: c, timeout: s.timeout, nonblock: s.nonblock})
	return 1 + pushAddr(L, from)
}

func socketConnect(L *lua.LState) int {
	s := check(L, "connect")
	ap := checkAddrPort(L, 2, false)
	timeout := s.checkTimeout(L, 4)
	_, err := s.wait(L, "connect", unix.POLLOUT, timeout, func(*int) error { return s.TryConnect(ap) })
	if err == errParked {
		return L.YieldAgain()
	}
	if err != nil && !(s.nonblock && err == inet.ErrWouldBlock) {
		s.raise(L, "connect", ap.String(), err)
	}
	return 0
}

func socketSend(L *lua.LState) int {
	s := check(L, "send")
	data := sock.Bytes(luabind.CheckString(L, 2))
	n, err := s.wait(L, "send", unix.POLLOUT, s.timeout, func(n *int) error {
		m, err := s.TrySend(data[*n:])
		*n += m
		if err == nil && *n < len(data) {
			return inet.ErrWouldBlock
		}
		return err
	})
	if err == errParked {
		return L.YieldAgain()
	}
	if err != nil && !(s.nonblock && err == inet.ErrWouldBlock) {
		s.raise(L, "send", "", err)
	}
	L.Push(s.sent.Value(n))
	return 1
}

func socketRecv(L *lua.LState) int {
	s := check(L, "recv")
	p := s.buffer(checkMax(L, 2))
	timeout := s.checkTimeout(L, 3)
	var n int
	_, err := s.wait(L, "recv", unix.POLLIN, timeout, func(*int) (err error) {
		n, err = s.TryRecv(p)
		return err
	})
	if err == errParked {
		return L.YieldAgain()
	}
	if err != nil {
		s.raise(L, "recv", "", err)
	}
	if n == 0 && s.Type() == inet.TCP {
		L.Push(lua.LNil)
		return 1
	}
	L.Push(lua.LString(p[:n]))
	return 1
}

func socketSendto(L *lua.LState) int {
	s := check(L, "sendto")
	data := sock.Bytes(luabind.CheckString(L, 2))
	ap := checkAddrPort(L, 3, false)
	var n int
	_, err := s.wait(L, "sendto", unix.POLLOUT, s.timeout, func(*int) (err error) {
		n, err = s.TrySendTo(data, ap)
		return err
	})
	if err == errParked {
		return L.YieldAgain()
	}
	if err != nil {
		s.raise(L, "sendto", ap.String(), err)
	}
	L.Push(s.sent.Value(n))
	return 1
}

func socketRecvfrom(L *lua.LState) int {
	s := check(L, "recvfrom")
	p := s.buffer(checkMax(L, 2))
	timeout := s.checkTimeout(L, 3)
	var n int
	var from netip.AddrPort
	_, err := s.wait(L, "recvfrom", unix.POLLIN, timeout, func(*int) (err error) {
		n, from, err = s.TryRecvFrom(p)
		return err
	})
	if err == errParked {
		return L.YieldAgain()
	}
	if err != nil {
		s.raise(L, "recvfrom", "", err)
	}
	L.Push(lua.LString(p[:n]))
	return 1 + pushAddr(L, from)
}

var shutdowns = map[string]int{"r": unix.SHUT_RD, "w": unix.SHUT_WR, "rw": unix.SHUT_RDWR}

func socketShutdown(L *lua.LState) int {
	s := check(L, "shutdown")
	how, ok := shutdowns[luabind.CheckString(L, 2)]
	if !ok {
		luabind.ArgError(L, 2, "use \"r\", \"w\" or \"rw\"")
	}
	if err := s.Shutdown(how); err != nil {
		s.raise(L, "shutdown", "", err)
	}
	return 0
}

func socketLocalAddr(L *lua.LState) int {
	s := check(L, "local_addr")
	ap, err := s.LocalAddr()
	if err != nil {
		s.raise(L, "local_addr", "", err)
	}
	return pushAddr(L, ap)
}

func socketPeerAddr(L *lua.LState) int {
	s := check(L, "peer_addr")
	ap, err := s.PeerAddr()
	if err != nil {
		s.raise(L, "peer_addr", "", err)
	}
	return pushAddr(L, ap)
}

func socketClose(L *lua.LState) int {
	return luabind.CheckObject[*socket](L, 1, socketType).CloseMethod(L)
}
