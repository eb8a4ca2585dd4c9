package labtest

import (
	"bytes"
	"net"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/netlua/netlua/luabind/internal/netns"
	"github.com/netlua/netlua/luabind/lab"
)

// NFT runs nft with args inside ns and returns its standard output.
func NFT(t testing.TB, ns *netns.NS, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command("nft", args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := ns.Do(cmd.Run); err != nil {
		t.Fatalf("nft %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// Sender returns an unconnected UDP socket of e, closed after the test,
// and the address of port on e's peer. Being unconnected, it carries on
// past the peer's port unreachable errors.
func Sender(t testing.TB, e *lab.End, port int) (net.PacketConn, net.Addr) {
	t.Helper()
	var c net.PacketConn
	err := e.NetNS().Do(func() (err error) {
		c, err = net.ListenPacket("udp4", e.Addr.Addr().String()+":0")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, net.UDPAddrFromAddrPort(netip.AddrPortFrom(e.Peer.Addr.Addr(), uint16(port)))
}

// SendUDP sends each payload from e to port of its peer.
func SendUDP(t testing.TB, e *lab.End, port int, payloads ...string) {
	t.Helper()
	c, to := Sender(t, e, port)
	for _, p := range payloads {
		if _, err := c.WriteTo([]byte(p), to); err != nil {
			t.Fatal(err)
		}
	}
}

// Listen returns a UDP socket bound to port on e, closed after the test.
func Listen(t testing.TB, e *lab.End, port int) *net.UDPConn {
	t.Helper()
	var c *net.UDPConn
	err := e.NetNS().Do(func() (err error) {
		c, err = net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(e.Addr.Addr(), uint16(port))))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Received reads what arrives on c until nothing has for quiet, and
// returns the payloads in order.
func Received(c *net.UDPConn, quiet time.Duration) []string {
	var got []string
	buf := make([]byte, 1<<16)
	for {
		c.SetReadDeadline(time.Now().Add(quiet))
		n, err := c.Read(buf)
		if err != nil {
			return got
		}
		got = append(got, string(buf[:n]))
	}
}
