package rawip

import (
	"context"
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/internal/sock"
)

// An ipv6Tap receives every IPv6 packet that comes into a namespace,
// header included, on any interface: a packet socket of type SOCK_DGRAM
// (the kernel strips the link header) bound to no interface. IPv6 raw
// sockets deliver no IP header, which matching replies needs, so
// rawip.sr of IPv6 packets receives with one, as Scapy's L3PacketSocket.
type ipv6Tap struct {
	conn *sock.Conn
	buf  []byte
}

// openIPv6Tap opens an ipv6Tap in ns.
func openIPv6Tap(ns *netns.NS) (*ipv6Tap, error) {
	t := &ipv6Tap{buf: make([]byte, bufSize)}
	err := sock.InNS(ns, func() (err error) {
		t.conn, err = sock.Open(unix.AF_PACKET, unix.SOCK_DGRAM, int(sock.Htons(unix.ETH_P_IPV6)))
		if err != nil {
			return err
		}
		if err := t.conn.SetReceiveBuffer(sock.DefaultReceiveBuffer); err != nil {
			return err
		}
		return t.conn.EnableTimestamps()
	})
	if err != nil {
		if t.conn != nil {
			t.conn.Close()
		}
		return nil, fmt.Errorf("IPv6 packet socket: %w", err)
	}
	return t, nil
}

// recv returns the next IPv6 packet that came in; nil for one this host
// sent.
func (t *ipv6Tap) recv(ctx context.Context) ([]byte, time.Time, error) {
	m, err := t.conn.Recv(ctx, t.buf, sock.Forever)
	if err != nil {
		return nil, time.Time{}, err
	}
	if (*unix.RawSockaddrLinklayer)(unsafe.Pointer(m.From)).Pkttype == unix.PACKET_OUTGOING {
		return nil, time.Time{}, nil
	}
	if m.TS.IsZero() {
		m.TS = time.Now()
	}
	return t.buf[:m.N], m.TS, nil
}

// Close closes the socket.
func (t *ipv6Tap) Close() error { return t.conn.Close() }
