package inet

import (
	"fmt"
	"net"
	"net/netip"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/sock"
)

// Protocols a Socket speaks.
const (
	TCP = unix.SOCK_STREAM
	UDP = unix.SOCK_DGRAM
)

// Config says how Open makes a socket.
type Config struct {
	Type   int // TCP or UDP
	Family int // 4 or 6; 0 opens the socket at the first address used, of its family
	NetNS  *netns.NS
}

// A Socket is a TCP or UDP socket. Its calls run on one goroutine at a
// time, but for Close and the waits of Watch.
type Socket struct {
	conn   *sock.Conn // nil until opened
	ns     *netns.NS
	typ    int
	family int

	connecting bool // a connect is under way: TryConnect finishes it
	peer       struct {
		ap netip.AddrPort // the last destination of SendTo and its sockaddr
		sa unix.Sockaddr
	}
	from unix.RawSockaddrAny // RecvFrom's sender

	mu      sync.Mutex // guards watches against Close
	watches map[*watch]struct{}
	closed  bool
}

// Open makes a socket as cfg says. With no family it opens at its first
// address (Bind, Connect, SendTo), or as IPv4 when an option comes first.
func Open(cfg Config) (*Socket, error) {
	if cfg.Type != TCP && cfg.Type != UDP {
		return nil, fmt.Errorf("socket type %d: use TCP or UDP", cfg.Type)
	}
	if cfg.Family != 0 && cfg.Family != 4 && cfg.Family != 6 {
		return nil, fmt.Errorf("family %d: use 4 or 6", cfg.Family)
	}
	s := &Socket{ns: cfg.NetNS, typ: cfg.Type}
	if cfg.Family != 0 {
		if err := s.open(cfg.Family); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// open makes the descriptor, of family, in the socket's namespace.
func (s *Socket) open(family int) error {
	af := unix.AF_INET
	if family == 6 {
		af = unix.AF_INET6
	}
	return sock.InNS(s.ns, func() error {
		c, err := sock.Open(af, s.typ, 0)
		if err != nil {
			return named(err)
		}
		s.conn, s.family = c, family
		return nil
	})
}

// ensure opens the socket with family unless it is open.
func (s *Socket) ensure(family int) error {
	if s.closed {
		return net.ErrClosed
	}
	if s.conn != nil {
		return nil
	}
	return s.open(family)
}

// Family is 4 or 6, or 0 while the socket waits for its first address.
func (s *Socket) Family() int { return s.family }

// Type is TCP or UDP.
func (s *Socket) Type() int { return s.typ }

// FD is the descriptor, or -1 before the socket is open.
func (s *Socket) FD() int {
	if s.conn == nil {
		return -1
	}
	return s.conn.FD()
}

// Conn is the socket's descriptor as package sock handles it, opening an
// IPv4 socket when none is open yet.
func (s *Socket) Conn() (*sock.Conn, error) {
	if err := s.ensure(4); err != nil {
		return nil, err
	}
	return s.conn, nil
}

// String describes the socket: "TCP IPv4 socket 198.18.0.1:8080".
func (s *Socket) String() string {
	name := "TCP"
	if s.typ == UDP {
		name = "UDP"
	}
	if s.family == 0 {
		return name + " socket (not open)"
	}
	str := fmt.Sprintf("%s IPv%d socket", name, s.family)
	if ap, err := s.LocalAddr(); err == nil {
		str += " " + ap.String()
	}
	return str
}

// Close closes the socket: calls blocked in it return net.ErrClosed, and
// watches end. It is idempotent.
func (s *Socket) Close() error {
	s.mu.Lock()
	s.closed = true
	for w := range s.watches {
		w.stop()
	}
	s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	return s.conn.Close()
}

// Closed reports whether Close was called.
func (s *Socket) Closed() bool { return s.closed }

// control runs fn with the descriptor, opening it (IPv4) if needed, and
// names the errno of what fn returns.
func (s *Socket) control(fn func(fd int) error) error {
	c, err := s.Conn()
	if err != nil {
		return err
	}
	return named(c.Control(fn))
}

// sockaddr is ap as a sockaddr of the socket's family, opening the socket
// with ap's family if needed. An IPv4 address on an IPv6 socket is mapped.
func (s *Socket) sockaddr(ap netip.AddrPort) (unix.Sockaddr, error) {
	a := ap.Addr()
	fam := 4
	if a.Is6() && !a.Is4In6() {
		fam = 6
	}
	if err := s.ensure(fam); err != nil {
		return nil, err
	}
	switch {
	case s.family == 4 && fam == 6:
		return nil, Errno{unix.EAFNOSUPPORT}
	case s.family == 4:
		return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: a.Unmap().As4()}, nil
	}
	return &unix.SockaddrInet6{Port: int(ap.Port()), Addr: a.As16()}, nil
}

// addrPort reads a sockaddr: IPv4-mapped addresses read as IPv4.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr).Unmap(), uint16(a.Port))
	}
	return netip.AddrPort{}
}

// LocalAddr is the address the socket is bound to (getsockname).
func (s *Socket) LocalAddr() (netip.AddrPort, error) {
	return s.name(unix.Getsockname)
}

// PeerAddr is the address the socket is connected to (getpeername).
func (s *Socket) PeerAddr() (netip.AddrPort, error) {
	return s.name(unix.Getpeername)
}

func (s *Socket) name(get func(int) (unix.Sockaddr, error)) (netip.AddrPort, error) {
	var ap netip.AddrPort
	err := s.control(func(fd int) error {
		sa, err := get(fd)
		ap = addrPort(sa)
		return err
	})
	return ap, err
}

// Bind binds the socket to ap; an unspecified address is any of the
// socket's family (IPv4 unless it is open already as IPv6).
func (s *Socket) Bind(ap netip.AddrPort) error {
	if !ap.Addr().IsValid() {
		ap = netip.AddrPortFrom(netip.IPv4Unspecified(), ap.Port())
		if s.family == 6 {
			ap = netip.AddrPortFrom(netip.IPv6Unspecified(), ap.Port())
		}
	}
	sa, err := s.sockaddr(ap)
	if err != nil {
		return err
	}
	return s.control(func(fd int) error { return unix.Bind(fd, sa) })
}

// Listen makes the socket accept connections, with backlog.
func (s *Socket) Listen(backlog int) error {
	return s.control(func(fd int) error { return unix.Listen(fd, backlog) })
}

// Shutdown shuts down reading (unix.SHUT_RD), writing or both.
func (s *Socket) Shutdown(how int) error {
	return s.control(func(fd int) error { return unix.Shutdown(fd, how) })
}
