package packet

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/nexthop"
	"github.com/netlua/netlua/luabind/internal/sock"
)

// EtherTypes that Config.Proto takes by name.
const (
	ProtoAll  = unix.ETH_P_ALL // every frame, outgoing ones too
	ProtoIPv4 = unix.ETH_P_IP
	ProtoIPv6 = unix.ETH_P_IPV6
	ProtoARP  = unix.ETH_P_ARP
)

// Config says how Open makes a socket. The zero Config receives every
// frame of the current namespace's interface.
type Config struct {
	Proto   uint16               // EtherType to receive; 0 means ProtoAll
	Promisc bool                 // receive frames for other hosts, while the socket is open
	Filter  []bpf.RawInstruction // classic BPF run by the kernel on each frame
	NetNS   *netns.NS            // namespace of the interface; nil is the current one
	// ReceiveBuffer is the socket's receive buffer in bytes; 0 means
	// sock.DefaultReceiveBuffer.
	ReceiveBuffer int
}

// bufSize holds the largest frame an interface can hand a packet socket:
// 64 KiB of GRO or GSO packet plus its link header.
const bufSize = 1 << 17

// A Socket is an AF_PACKET socket of type SOCK_RAW bound to one interface:
// it sends and receives whole frames, link header included.
type Socket struct {
	conn    *sock.Conn
	ns      *netns.NS    // where it was opened; nil for the current namespace
	routes  *nexthop.Net // its namespace's routes and neighbours, for frames sent as layers
	ifi     net.Interface
	ip      netip.Prefix // the interface's first IPv4 address, if any
	header  int          // link header length: 14 on Ethernet and loopback
	promisc bool         // it holds a promiscuous membership
	buf     []byte       // receives frames at tagRoom, leaving room for a VLAN tag before them

	statsMu sync.Mutex
	stats   Stats // running totals: the kernel resets its own on each read
}

// Open opens a packet socket on the interface ifname, which is looked up
// in cfg.NetNS. Frames queue from the moment it returns.
func Open(ifname string, cfg Config) (*Socket, error) {
	s := &Socket{buf: make([]byte, tagRoom+bufSize), ns: cfg.NetNS, routes: nexthop.NewNet(cfg.NetNS)}
	err := sock.InNS(cfg.NetNS, func() error { return s.open(ifname, cfg) })
	if err != nil {
		return nil, err
	}
	return s, nil
}

// open runs inside the interface's namespace. It makes the socket with
// x/sys/unix rather than mdlayher/packet, whose sockets join the Go
// runtime's poller: see sock.Conn for why that halves the send rate.
func (s *Socket) open(ifname string, cfg Config) error {
	ifi, err := sock.Lookup(ifname)
	if err != nil {
		return err
	}
	s.ifi, s.ip, s.header = *ifi, firstIPv4(ifi), linkHeader(ifi)
	// Protocol 0 receives nothing until bind, so no frame slips past the filter.
	if s.conn, err = sock.Open(unix.AF_PACKET, unix.SOCK_RAW, 0); err != nil {
		return err
	}
	if err := s.configure(cfg); err != nil {
		s.conn.Close()
		return err
	}
	return nil
}

// configure sets the socket options Open promises, filter first, and
// binds the socket.
func (s *Socket) configure(cfg Config) error {
	if len(cfg.Filter) > 0 {
		if err := s.attach(cfg.Filter); err != nil {
			return fmt.Errorf("filter: %w", err)
		}
	}
	size := cfg.ReceiveBuffer
	if size == 0 {
		size = sock.DefaultReceiveBuffer
	}
	if err := s.conn.SetReceiveBuffer(size); err != nil {
		return err
	}
	// The kernel takes a frame's VLAN tag out and hands it beside the
	// frame, in auxiliary data; Recv puts it back (see vlan.go).
	if err := s.conn.SetInt(unix.SOL_PACKET, unix.PACKET_AUXDATA, 1, "PACKET_AUXDATA"); err != nil {
		return err
	}
	if err := s.bind(cfg.Proto); err != nil {
		return err
	}
	if cfg.Promisc {
		if err := s.membership(unix.PACKET_MR_PROMISC); err != nil {
			return fmt.Errorf("promiscuous mode: %w", err)
		}
		s.promisc = true
	}
	return nil
}

// bind binds the socket to the interface and EtherType proto.
func (s *Socket) bind(proto uint16) error {
	if proto == 0 {
		proto = ProtoAll
	}
	sa := &unix.SockaddrLinklayer{Protocol: sock.Htons(proto), Ifindex: s.ifi.Index}
	return s.conn.Control(func(fd int) error { return sock.SyscallError("bind", unix.Bind(fd, sa)) })
}

// membership adds a PACKET_ADD_MEMBERSHIP of type typ, which the kernel
// drops with the socket: promiscuous mode per socket, not per interface.
func (s *Socket) membership(typ uint16) error {
	return s.conn.Control(func(fd int) error { return s.setMembership(fd, unix.PACKET_ADD_MEMBERSHIP, typ) })
}

// setMembership adds or drops (op) a membership of type typ on fd.
func (s *Socket) setMembership(fd, op int, typ uint16) error {
	mreq := &unix.PacketMreq{Ifindex: int32(s.ifi.Index), Type: typ}
	return sock.SyscallError("setsockopt", unix.SetsockoptPacketMreq(fd, unix.SOL_PACKET, op, mreq))
}

// attach attaches a classic BPF program (SO_ATTACH_FILTER).
func (s *Socket) attach(prog []bpf.RawInstruction) error { return attachFilter(s.conn, prog) }

// attachFilter attaches a classic BPF program to conn.
func attachFilter(conn *sock.Conn, prog []bpf.RawInstruction) error {
	fprog := &unix.SockFprog{Len: uint16(len(prog)), Filter: (*unix.SockFilter)(unsafe.Pointer(&prog[0]))}
	return conn.Control(func(fd int) error {
		err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, fprog)
		if err == unix.EINVAL {
			return fmt.Errorf("the kernel rejected the BPF program: %w", err)
		}
		return sock.SyscallError("setsockopt", err)
	})
}

// firstIPv4 is the interface's first IPv4 address, or the zero prefix.
func firstIPv4(ifi *net.Interface) netip.Prefix {
	addrs, err := ifi.Addrs()
	if err != nil {
		return netip.Prefix{}
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
			ones, _ := n.Mask.Size()
			ip, _ := netip.AddrFromSlice(n.IP.To4())
			return netip.PrefixFrom(ip, ones)
		}
	}
	return netip.Prefix{}
}

// linkHeader is the length of the interface's link header: Ethernet's
// 14 bytes on Ethernet devices and loopback, nothing on tun and the like.
func linkHeader(ifi *net.Interface) int {
	if len(ifi.HardwareAddr) == 6 || ifi.Flags&net.FlagLoopback != 0 {
		return 14
	}
	return 0
}

// Name is the interface's name.
func (s *Socket) Name() string { return s.ifi.Name }

// Index is the interface's index in its namespace.
func (s *Socket) Index() int { return s.ifi.Index }

// MAC is the interface's hardware address; nil on loopback.
func (s *Socket) MAC() net.HardwareAddr { return s.ifi.HardwareAddr }

// MTU is the interface's MTU when the socket was opened.
func (s *Socket) MTU() int { return s.ifi.MTU }

// Addr is the interface's first IPv4 address and prefix when the socket
// was opened; the zero Prefix if it had none.
func (s *Socket) Addr() netip.Prefix { return s.ip }

// String describes the socket: "packet socket on veth0".
func (s *Socket) String() string {
	if s.conn.Closed() {
		return "packet socket on " + s.ifi.Name + " (closed)"
	}
	return "packet socket on " + s.ifi.Name
}

// Close closes the socket, which also ends its promiscuous membership. It
// is idempotent, and prompt.
//
// The kernel's release of a packet socket ends in an RCU grace period
// (synchronize_net in packet_release), which made close(2) take 6 to 23
// ms here, after the socket is off the interface; only freeing waits for
// it. So Close leaves the last close(2) to a goroutine, on a duplicate of
// the descriptor: the Conn is closed when Close returns (its calls end,
// on() stops), and promiscuous mode is dropped first, as the kernel would.
// Frames the socket still takes until then are freed with it.
func (s *Socket) Close() error {
	if s.conn.Closed() {
		return nil
	}
	dup := -1
	s.conn.Control(func(fd int) error {
		if s.promisc {
			s.setMembership(fd, unix.PACKET_DROP_MEMBERSHIP, unix.PACKET_MR_PROMISC)
		}
		dup, _ = unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		return nil
	})
	err := s.conn.Close()
	s.routes.Close()
	if dup >= 0 {
		go unix.Close(dup)
	}
	return err
}

// Stats are a socket's counts since it was opened, from PACKET_STATISTICS.
type Stats struct {
	Received uint64 // frames that passed the filter, dropped ones included (tcpdump's "received by filter")
	Dropped  uint64 // frames dropped for want of room in the receive buffer
}

// Stats returns the counts since the socket was opened.
func (s *Socket) Stats() (Stats, error) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	var st *unix.TpacketStats
	err := s.conn.Control(func(fd int) (err error) {
		st, err = unix.GetsockoptTpacketStats(fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
		return sock.SyscallError("getsockopt", err)
	})
	if err != nil {
		return s.stats, err
	}
	s.stats.Received += uint64(st.Packets)
	s.stats.Dropped += uint64(st.Drops)
	return s.stats, nil
}
