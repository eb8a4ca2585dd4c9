package lab

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// A Ping is one pair of a ping matrix: From pinged To's address Addr.
type Ping struct {
	From, To *Host
	Addr     netip.Addr
	OK       bool // an echo reply came back in time
}

// PingOptions say how PingAll pings.
type PingOptions struct {
	Timeout time.Duration // how long to wait for every reply; 0 means 2 s
	Resend  time.Duration // how often to resend an unanswered ping; 0 means 250 ms
}

// PingAll pings, from every host that has an address, the first IPv4
// address (and the first IPv6 one, where ends have one) of every other
// such host, all hosts at once, each with raw ICMP sockets opened in its
// own namespace: no program runs, so it works under setcap. Switches,
// whose ports have no address, neither ping nor are pinged. Unanswered
// pings are resent every Resend until Timeout. The pairs come in host
// order, IPv4 before IPv6.
func (l *Lab) PingAll(ctx context.Context, o PingOptions) ([]Ping, error) {
	if l.closed {
		return nil, errors.New("the lab is closed")
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Resend <= 0 {
		o.Resend = 250 * time.Millisecond
	}
	pings := pingPairs(l.hosts)
	var wg sync.WaitGroup
	errs := make([]error, len(l.hosts))
	for i, h := range l.hosts {
		mine := pingsFrom(pings, h)
		if len(mine) == 0 {
			continue
		}
		wg.Go(func() { errs[i] = h.pingEach(ctx, mine, o) })
	}
	wg.Wait()
	out := make([]Ping, len(pings))
	for i, p := range pings {
		out[i] = *p
	}
	return out, errors.Join(errs...)
}

// pingPairs lists every ordered pair of addressed hosts, per family.
func pingPairs(hosts []*Host) []*Ping {
	var pings []*Ping
	for _, family := range []func(netip.Addr) bool{netip.Addr.Is4, netip.Addr.Is6} {
		for _, from := range hosts {
			if !hostAddr1(from, family).IsValid() {
				continue
			}
			for _, to := range hosts {
				addr := hostAddr1(to, family)
				if to != from && addr.IsValid() {
					pings = append(pings, &Ping{From: from, To: to, Addr: addr})
				}
			}
		}
	}
	return pings
}

// pingsFrom are the pings whose source is h.
func pingsFrom(pings []*Ping, h *Host) []*Ping {
	var mine []*Ping
	for _, p := range pings {
		if p.From == h {
			mine = append(mine, p)
		}
	}
	return mine
}

// hostAddr1 is the first address of the host's ends in the family, or
// the zero Addr.
func hostAddr1(h *Host, family func(netip.Addr) bool) netip.Addr {
	for _, e := range h.ends {
		for _, p := range endAddrs(e) {
			if family(p.Addr()) {
				return p.Addr()
			}
		}
	}
	return netip.Addr{}
}

// endAddrs are the addresses of an end, IPv4 first: none on a switch's
// port.
func endAddrs(e *End) []netip.Prefix {
	var ps []netip.Prefix
	for _, p := range []netip.Prefix{e.Addr, e.Addr6} {
		if p.IsValid() {
			ps = append(ps, p)
		}
	}
	return ps
}

// An echoSocket is a raw ICMP or ICMPv6 socket of one host.
type echoSocket struct {
	conn    net.PacketConn
	request byte // the echo request's type: 8, or 128 for ICMPv6
	reply   byte // the echo reply's type: 0, or 129
}

// openEcho opens a raw echo socket of the family inside the host's
// namespace; it stays there once open.
func (h *Host) openEcho(v6 bool) (*echoSocket, error) {
	s := &echoSocket{request: 8, reply: 0}
	network, laddr := "ip4:icmp", "0.0.0.0"
	if v6 {
		s.request, s.reply = 128, 129
		network, laddr = "ip6:ipv6-icmp", "::"
	}
	err := h.ns.Do(func() (err error) {
		s.conn, err = net.ListenPacket(network, laddr)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: open an %s socket: %w", h.name, network, err)
	}
	return s, nil
}

// pingEach pings the host's pings until each is answered, the timeout
// passes or ctx ends.
func (h *Host) pingEach(ctx context.Context, pings []*Ping, o PingOptions) error {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	var wg sync.WaitGroup
	var errs [2]error
	for i, v6 := range []bool{false, true} {
		var mine []*Ping
		for _, p := range pings {
			if p.Addr.Is6() == v6 {
				mine = append(mine, p)
			}
		}
		if len(mine) > 0 {
			wg.Go(func() { errs[i] = h.pingFamily(ctx, mine, v6, o.Resend) })
		}
	}
	wg.Wait()
	return errors.Join(errs[:]...)
}

// pingFamily pings one family's pings on one socket: the echo's sequence
// number is the ping's index, its identifier the host's own, so replies
// to other hosts' pings (a raw socket sees every ICMP message) are passed
// over.
func (h *Host) pingFamily(ctx context.Context, pings []*Ping, v6 bool, resend time.Duration) error {
	s, err := h.openEcho(v6)
	if err != nil {
		return err
	}
	defer s.conn.Close()
	id := uint16(h.ns.FD()) ^ 0x6e6c // netlua's mark, distinct per host of this process
	go func() {
		<-ctx.Done()
		s.conn.SetReadDeadline(time.Now())
	}()
	for {
		if err := s.sendUnanswered(pings, id); err != nil {
			return fmt.Errorf("%s: %w", h.name, err)
		}
		if s.readReplies(pings, id, time.Now().Add(resend)) || ctx.Err() != nil {
			return nil
		}
	}
}

// sendUnanswered sends an echo request for each ping without a reply.
// A destination the kernel cannot route to (no route, no address of the
// family, no room in its neighbour table) is simply not reached.
func (s *echoSocket) sendUnanswered(pings []*Ping, id uint16) error {
	for i, p := range pings {
		if p.OK {
			continue
		}
		msg := echoRequest(s.request, id, uint16(i))
		_, err := s.conn.WriteTo(msg, &net.IPAddr{IP: p.Addr.AsSlice(), Zone: p.Addr.Zone()})
		if err != nil && !noRoute(err) {
			return fmt.Errorf("ping %s: %w", p.Addr, err)
		}
	}
	return nil
}

// noRoute reports whether a send failed only because the kernel has
// no way to the destination: no route, no source address, or (EINVAL
// and ENOBUFS from IPv6's output) no neighbour entry it could make, the
// table being full (see PingHint).
func noRoute(err error) bool {
	for _, errno := range []error{unix.ENETUNREACH, unix.EHOSTUNREACH, unix.EADDRNOTAVAIL, unix.EINVAL, unix.ENOBUFS} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

// readReplies marks the pings whose replies come until the deadline,
// and reports whether every ping is answered.
func (s *echoSocket) readReplies(pings []*Ping, id uint16, deadline time.Time) bool {
	s.conn.SetReadDeadline(deadline)
	buf := make([]byte, 1500)
	for {
		if allAnswered(pings) {
			return true
		}
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return false // the deadline, or ctx's end
		}
		b := buf[:n]
		if n < 8 || b[0] != s.reply || binary.BigEndian.Uint16(b[4:]) != id {
			continue
		}
		seq := int(binary.BigEndian.Uint16(b[6:]))
		if ip, ok := from.(*net.IPAddr); ok && seq < len(pings) {
			addr, _ := netip.AddrFromSlice(ip.IP)
			if addr.Unmap() == pings[seq].Addr.WithZone("") {
				pings[seq].OK = true
			}
		}
	}
}

// allAnswered reports whether every ping has its reply.
func allAnswered(pings []*Ping) bool {
	for _, p := range pings {
		if !p.OK {
			return false
		}
	}
	return true
}

// echoRequest is an ICMP (or ICMPv6) echo request of the type typ. For
// ICMPv6 the kernel fills the checksum, which covers a pseudo-header.
func echoRequest(typ byte, id, seq uint16) []byte {
	b := make([]byte, 8, 8+16)
	b[0] = typ
	binary.BigEndian.PutUint16(b[4:], id)
	binary.BigEndian.PutUint16(b[6:], seq)
	b = append(b, "netlua pingall.."...)
	if typ == 8 {
		binary.BigEndian.PutUint16(b[2:], checksum(b))
	}
	return b
}

// checksum is the Internet checksum (RFC 1071) of b.
func checksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}
