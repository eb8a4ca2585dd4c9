package rawip

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/sock"
)

// protocols are the IP protocols scripts name, read-only; "icmp" on an
// IPv6 socket is ICMPv6.
var protocols = map[string]int{
	"icmp": unix.IPPROTO_ICMP, "igmp": unix.IPPROTO_IGMP, "tcp": unix.IPPROTO_TCP,
	"udp": unix.IPPROTO_UDP, "gre": unix.IPPROTO_GRE, "esp": unix.IPPROTO_ESP,
	"ah": unix.IPPROTO_AH, "icmp6": unix.IPPROTO_ICMPV6, "sctp": unix.IPPROTO_SCTP,
	"raw": unix.IPPROTO_RAW,
}

// Config says how Open makes a socket.
type Config struct {
	Family int // 4 or 6; 0 means 4
	Proto  int // IP protocol number; IPPROTO_RAW (255) sends only, with its own headers
	// HdrIncl makes the packets given to SendTo start with their IPv4
	// header (IP_HDRINCL); the kernel fills in the length, the checksum
	// and, when 0, the id and source. IPPROTO_RAW implies it.
	HdrIncl bool
	Device  string // send and receive only through this interface (SO_BINDTODEVICE)
	TTL     int    // TTL or hop limit of what the socket sends; 0 is the kernel's default
	// Broadcast lets an IPv4 socket send to broadcast addresses
	// (SO_BROADCAST); without it the kernel refuses them (EACCES).
	Broadcast bool
	NetNS     *netns.NS // namespace of the socket; nil is the current one
}

// bufSize holds the largest IP packet, 64 KiB.
const bufSize = 1 << 16

// ipv4Header is the length of an IPv4 header without options.
const ipv4Header = 20

// A Socket is a raw IP socket.
type Socket struct {
	conn   *sock.Conn
	family int
	proto  int
	hdr    bool // IP_HDRINCL is on
	device string
	ns     *netns.NS // where it was opened; nil for the current namespace
	buf    []byte
	last   struct { // the last destination, so that SendTo in a loop does not allocate
		addr netip.Addr
		sa   unix.Sockaddr
	}
}

// Open opens a raw IP socket as cfg says.
func Open(cfg Config) (*Socket, error) {
	if cfg.Family == 0 {
		cfg.Family = 4
	}
	if err := validate(cfg); err != nil {
		return nil, err
	}
	s := &Socket{family: cfg.Family, proto: cfg.Proto, device: cfg.Device, ns: cfg.NetNS, buf: make([]byte, bufSize),
		hdr: cfg.HdrIncl || cfg.Proto == unix.IPPROTO_RAW}
	if err := sock.InNS(cfg.NetNS, func() error { return s.open(cfg) }); err != nil {
		return nil, err
	}
	return s, nil
}

// validate refuses configurations the kernel would take in a surprising way.
func validate(cfg Config) error {
	switch {
	case cfg.Family != 4 && cfg.Family != 6:
		return fmt.Errorf("family %d: use 4 or 6", cfg.Family)
	case cfg.Proto < 0 || cfg.Proto > 255:
		return fmt.Errorf("protocol %d: an IP protocol is 0 to 255", cfg.Proto)
	case cfg.Family == 6 && cfg.HdrIncl:
		return errors.New("hdrincl is for IPv4 sockets: IPv6 raw sockets send no IP header")
	case cfg.TTL < 0 || cfg.TTL > 255:
		return fmt.Errorf("ttl %d: use 1 to 255", cfg.TTL)
	}
	return nil
}

// open runs inside the socket's namespace.
func (s *Socket) open(cfg Config) error {
	if cfg.Device != "" {
		if _, err := sock.Lookup(cfg.Device); err != nil {
			return err
		}
	}
	af := unix.AF_INET
	if s.family == 6 {
		af = unix.AF_INET6
	}
	var err error
	if s.conn, err = sock.Open(af, unix.SOCK_RAW, cfg.Proto); err != nil {
		return err
	}
	if err := s.configure(cfg); err != nil {
		s.conn.Close()
		return err
	}
	return nil
}

// configure sets the socket options cfg asks for, and timestamps.
func (s *Socket) configure(cfg Config) error {
	var opts []option
	if s.family == 4 {
		opts = append(opts, option{unix.IPPROTO_IP, unix.IP_HDRINCL, boolInt(cfg.HdrIncl), "IP_HDRINCL", cfg.HdrIncl})
		opts = append(opts, option{unix.IPPROTO_IP, unix.IP_TTL, cfg.TTL, "IP_TTL", cfg.TTL > 0})
		opts = append(opts, option{unix.SOL_SOCKET, unix.SO_BROADCAST, 1, "SO_BROADCAST", cfg.Broadcast})
	} else {
		opts = append(opts, option{unix.IPPROTO_IPV6, unix.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT", true})
		opts = append(opts, option{unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS, cfg.TTL, "IPV6_UNICAST_HOPS", cfg.TTL > 0})
	}
	for _, o := range opts {
		if err := o.set(s.conn); err != nil {
			return err
		}
	}
	if cfg.Device != "" {
		err := s.conn.Control(func(fd int) error { return unix.BindToDevice(fd, cfg.Device) })
		if err != nil {
			return sock.SyscallError("setsockopt SO_BINDTODEVICE", err)
		}
	}
	if err := s.conn.SetReceiveBuffer(sock.DefaultReceiveBuffer); err != nil {
		return err
	}
	return s.conn.EnableTimestamps()
}

// An option is an integer socket option, set when wanted.
type option struct {
	level, opt, value int
	name              string
	wanted            bool
}

func (o option) set(c *sock.Conn) error {
	if !o.wanted {
		return nil
	}
	return c.SetInt(o.level, o.opt, o.value, o.name)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Family is 4 or 6.
func (s *Socket) Family() int { return s.family }

// Proto is the socket's IP protocol number.
func (s *Socket) Proto() int { return s.proto }

// HdrIncl reports whether packets sent start with their IPv4 header.
func (s *Socket) HdrIncl() bool { return s.hdr }

// Device is the interface the socket is bound to, or "".
func (s *Socket) Device() string { return s.device }

// String describes the socket: "raw IPv4 socket, protocol 1".
func (s *Socket) String() string {
	str := fmt.Sprintf("raw IPv%d socket, protocol %d", s.family, s.proto)
	if s.device != "" {
		str += " on " + s.device
	}
	if s.conn.Closed() {
		str += " (closed)"
	}
	return str
}

// Close closes the socket. It is idempotent.
func (s *Socket) Close() error { return s.conn.Close() }

// A FamilyError is an address of the other family than the socket's.
type FamilyError struct {
	Addr   netip.Addr
	Family int // the socket's
}

// Error implements error: "IPv6 address for an IPv4 socket (family 4)";
// callers name the address.
func (e *FamilyError) Error() string {
	kind := "IPv4"
	if e.Addr.Is6() {
		kind = "IPv6"
	}
	return fmt.Sprintf("%s address for an IPv%d socket (family %d)", kind, e.Family, e.Family)
}

// SendTo sends one packet to dst: the IP payload, or the whole IPv4
// packet when the socket has hdrincl. It returns the bytes sent. A full
// socket buffer makes it wait for room, until the end of ctx.
func (s *Socket) SendTo(ctx context.Context, b []byte, dst netip.Addr) (int, error) {
	sa, err := s.sockaddr(dst)
	if err != nil {
		return 0, err
	}
	if s.hdr && len(b) < ipv4Header {
		return 0, &sock.SizeError{What: "packet", Len: len(b), Limit: ipv4Header, Short: true,
			Why: "an IPv4 header: with hdrincl the packet starts with one"}
	}
	n, err := s.conn.SendTo(ctx, b, sa)
	if errors.Is(err, unix.EMSGSIZE) {
		return 0, fmt.Errorf("packet of %d bytes is too long for the route to %s: %w", len(b), dst, err)
	}
	if errors.Is(err, unix.EACCES) && s.family == 4 {
		// Not wrapped: this EACCES is no missing privilege (the socket
		// exists), and the capability hint would mislead.
		return 0, fmt.Errorf("a broadcast address needs the socket opened with broadcast = true (the kernel said: %v)", err)
	}
	return n, err
}

// sockaddr is dst as a socket address, checked against the family and
// kept for the next call.
func (s *Socket) sockaddr(dst netip.Addr) (unix.Sockaddr, error) {
	if s.family == 4 {
		dst = dst.Unmap()
	}
	if dst == s.last.addr && s.last.sa != nil {
		return s.last.sa, nil
	}
	if !dst.IsValid() || (s.family == 4) != dst.Is4() {
		return nil, &FamilyError{Addr: dst, Family: s.family}
	}
	s.last.addr, s.last.sa = dst, sock.Sockaddr(dst, 0)
	return s.last.sa, nil
}

// Info is what the kernel says of a received packet.
type Info struct {
	Src netip.Addr // the sender
	TS  time.Time  // the kernel's receive time
	TTL int        // IPv4: the header's TTL; IPv6: the hop limit; -1 if unknown
	Len int        // the full length, more than the bytes returned when truncated
}

// Recv waits at most timeout (forever when negative; 0 only takes what is
// queued) for a packet. IPv4 packets start at their IP header; IPv6 ones
// at the protocol's header. The bytes are the socket's own buffer, valid
// until the next Recv. A timeout is os.ErrDeadlineExceeded; the end of
// ctx returns its cause. Only one goroutine may receive at a time.
func (s *Socket) Recv(ctx context.Context, timeout time.Duration) ([]byte, Info, error) {
	m, err := s.conn.Recv(ctx, s.buf, timeout)
	if err != nil {
		return nil, Info{}, err
	}
	data := s.buf[:m.N]
	info := Info{Src: sock.RawAddr(m.From), TS: m.TS, TTL: m.Hops, Len: m.Len}
	if s.family == 4 && len(data) >= ipv4Header && data[0]>>4 == 4 {
		info.TTL = int(data[8])
	}
	return data, info, nil
}
