package nexthop

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/rtnl"
)

// usable are the states of an entry whose address the kernel sends to:
// STALE and DELAY ones too, which it uses while it confirms them.
const usable = unix.NUD_REACHABLE | unix.NUD_STALE | unix.NUD_DELAY | unix.NUD_PROBE |
	unix.NUD_PERMANENT | unix.NUD_NOARP

// Neighbour is the link address of ip on interface ifindex from the
// neighbour table, if its entry holds a usable one (else nil), and the
// entry's NUD_* state (NUD_NONE when there is no entry).
func Neighbour(c rtnl.Conn, ifindex int, ip netip.Addr) (net.HardwareAddr, uint16, error) {
	entries, err := rtnl.List(c, unix.RTM_GETNEIGH, &rtnetlink.NeighMessage{Family: uint16(family(ip))})
	if err != nil {
		return nil, 0, fmt.Errorf("list neighbours: %w", err)
	}
	for _, e := range entries {
		if int(e.Index) != ifindex || e.Attributes == nil || addrOf(e.Attributes.Address) != ip {
			continue
		}
		if e.State&usable != 0 && len(e.Attributes.LLAddress) > 0 {
			return e.Attributes.LLAddress, e.State, nil
		}
		return nil, e.State, nil
	}
	return nil, unix.NUD_NONE, nil
}

// Use asks the kernel to use the neighbour entry of ip on ifindex,
// creating it if need be, as a packet sent to ip through the stack
// would: an entry without a valid address starts the kernel's own
// resolution (ARP requests or neighbour solicitations), a stale one its
// confirmation. This is RTM_NEWNEIGH with the NTF_USE flag, which
// `ip neigh` has no command for.
func Use(c rtnl.Conn, ifindex int, ip netip.Addr) error {
	hdr := make([]byte, unix.SizeofNdMsg)
	hdr[0] = family(ip)
	binary.NativeEndian.PutUint32(hdr[4:8], uint32(ifindex))
	hdr[10] = unix.NTF_USE
	ae := netlink.NewAttributeEncoder()
	ae.Bytes(unix.NDA_DST, ip.AsSlice())
	attrs, err := ae.Encode()
	if err != nil {
		return err
	}
	_, err = c.Execute(netlink.Message{
		Header: netlink.Header{Type: unix.RTM_NEWNEIGH, Flags: rtnl.Change | netlink.Create},
		Data:   append(hdr, attrs...),
	})
	if err != nil {
		return fmt.Errorf("resolve %s: %w", ip, err)
	}
	return nil
}

// poll is how often Resolve reads the table while it waits: a probe's
// round trip in a lab takes well under it, and a read costs microseconds.
const poll = 2 * time.Millisecond

// Resolve returns the link address of ip on ifindex: from the table when
// it has a usable entry, else after asking the kernel to resolve it and
// waiting until the entry holds an address, fails, or timeout passes.
// The error of a timeout or a failure is a *NoReplyError. A stale entry's
// address is used at once, and the kernel told of the use, so that it
// confirms the entry as it would for a packet of its own.
func Resolve(c rtnl.Conn, ifindex int, ifname string, ip netip.Addr, timeout time.Duration) (net.HardwareAddr, error) {
	mac, state, err := Neighbour(c, ifindex, ip)
	if err != nil {
		return nil, err
	}
	if mac != nil {
		if state&unix.NUD_STALE != 0 {
			err = Use(c, ifindex, ip)
		}
		return mac, err
	}
	if err := Use(c, ifindex, ip); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		mac, state, err := Neighbour(c, ifindex, ip)
		if mac != nil || err != nil {
			return mac, err
		}
		if state&unix.NUD_FAILED != 0 || time.Now().After(deadline) {
			return nil, &NoReplyError{Addr: ip, Ifname: ifname, Timeout: timeout}
		}
		time.Sleep(poll)
	}
}

// A NoReplyError says that a neighbour did not answer resolution in time.
type NoReplyError struct {
	Addr    netip.Addr
	Ifname  string
	Timeout time.Duration
}

// Error implements error: "no ARP reply from 198.18.0.2 on veth0 within 1 s",
// or for IPv6 "no neighbour advertisement from 2001:2::2 on veth0 within 1 s".
func (e *NoReplyError) Error() string {
	what := "ARP reply"
	if e.Addr.Is6() {
		what = "neighbour advertisement"
	}
	return fmt.Sprintf("no %s from %s on %s within %g s", what, e.Addr, e.Ifname, e.Timeout.Seconds())
}

// Is makes errors.Is(err, os.ErrDeadlineExceeded) true.
func (e *NoReplyError) Is(target error) bool { return target == os.ErrDeadlineExceeded }
