package lab

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
)

// subnetCount is how many /24s 198.18.0.0/15 holds.
const subnetCount = 512

// Subnets hands out the /24s of 198.18.0.0/15, one per link, the lowest
// free one first: 198.18.0.0/24, 198.18.1.0/24, ... 198.19.255.0/24.
// Labs of one runtime share one Subnets, so the links of labs alive
// together never collide; a closed lab gives its subnets back.
type Subnets struct {
	mu   sync.Mutex
	used [subnetCount]bool
}

// Next returns the lowest free /24, or an error when all 512 are in use.
func (s *Subnets) Next() (netip.Prefix, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, used := range s.used {
		if !used {
			s.used[k] = true
			addr := netip.AddrFrom4([4]byte{198, byte(18 + k/256), byte(k % 256), 0})
			return netip.PrefixFrom(addr, 24), nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("all %d lab subnets of 198.18.0.0/15 are in use", subnetCount)
}

// Release gives back p, a subnet Next returned, for Next to hand out
// again. Anything else is ignored.
func (s *Subnets) Release(p netip.Prefix) {
	b := p.Addr().As4()
	k := int(b[1]-18)*256 + int(b[2])
	if p.Bits() != 24 || b[0] != 198 || b[1] < 18 || k >= subnetCount {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used[k] = false
}

// hostAddr is address n of subnet, with the subnet's prefix length:
// hostAddr(198.18.3.0/24, 2) is 198.18.3.2/24.
func hostAddr(subnet netip.Prefix, n byte) netip.Prefix {
	b := subnet.Addr().As4()
	b[3] = n
	return netip.PrefixFrom(netip.AddrFrom4(b), subnet.Bits())
}

// macFor is the lab MAC of an IPv4 address: 02:00 then the address bytes,
// locally administered and unicast, so 198.18.0.1 is 02:00:c6:12:00:01
// and a capture shows which end sent a frame.
func macFor(ip netip.Addr) net.HardwareAddr {
	b := ip.As4()
	return net.HardwareAddr{0x02, 0x00, b[0], b[1], b[2], b[3]}
}
