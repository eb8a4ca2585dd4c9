package rewrite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sort"
)

// Options say what a Rewriter changes; the zero value changes nothing.
type Options struct {
	SrcMAC, DstMAC net.HardwareAddr // --enet-smac, --enet-dmac; nil leaves it
	IPMap          []Mapping        // --pnat, for sources and destinations
	PortMap        []PortMapping    // --portmap, for source and destination ports
	TTL            int              // --ttl: the IPv4 TTL and IPv6 hop limit, 1 to 255; 0 leaves it
	FixChecksums   bool             // --fixcsum: IPv6's TCP, UDP and ICMPv6 checksums (IPv4's are always made afresh)
}

// A Mapping moves addresses of From to To, keeping the host part under
// To's prefix: 198.18.0.7 under 198.18.0.0/24 → 198.19.0.0/24 becomes
// 198.19.0.7, and any address under a /32 mapping becomes To's address.
type Mapping struct{ From, To netip.Prefix }

// A PortMapping changes port From to To.
type PortMapping struct{ From, To uint16 }

// A Rewriter edits frames by its Options. Frame changes nothing in the
// Rewriter, so goroutines may share one.
type Rewriter struct {
	opt   Options
	smac  [6]byte
	dmac  [6]byte
	maps4 []mapping
	maps6 []mapping
	ports []PortMapping
}

// mapping is a Mapping as 16-byte addresses, IPv4 in the last four.
type mapping struct {
	from, to [16]byte
	fromBits int // prefix length, in the address's own bits
	toBits   int
}

// New checks opt and makes its Rewriter. Mappings are tried most
// specific first (the longest From prefix), since a Lua table of them has
// no order.
func New(opt Options) (*Rewriter, error) {
	r := &Rewriter{opt: opt, ports: opt.PortMap}
	if err := macOpt(&r.smac, opt.SrcMAC, "source"); err != nil {
		return nil, err
	}
	if err := macOpt(&r.dmac, opt.DstMAC, "destination"); err != nil {
		return nil, err
	}
	if opt.TTL < 0 || opt.TTL > 255 {
		return nil, fmt.Errorf("ttl %d is not 1 to 255", opt.TTL)
	}
	maps := append([]Mapping(nil), opt.IPMap...)
	sort.SliceStable(maps, func(i, j int) bool { return maps[i].From.Bits() > maps[j].From.Bits() })
	for _, m := range maps {
		if !m.From.IsValid() || !m.To.IsValid() || m.From.Addr().Is4() != m.To.Addr().Is4() {
			return nil, fmt.Errorf("ip mapping %v → %v: both must be IPv4 or both IPv6 prefixes", m.From, m.To)
		}
		c := mapping{from: m.From.Masked().Addr().As16(), to: m.To.Masked().Addr().As16(), fromBits: m.From.Bits(), toBits: m.To.Bits()}
		if m.From.Addr().Is4() {
			r.maps4 = append(r.maps4, c)
		} else {
			r.maps6 = append(r.maps6, c)
		}
	}
	return r, nil
}

func macOpt(dst *[6]byte, mac net.HardwareAddr, which string) error {
	if mac == nil {
		return nil
	}
	if len(mac) != 6 {
		return fmt.Errorf("%s MAC %v is not an Ethernet address", which, mac)
	}
	copy(dst[:], mac)
	return nil
}

// ErrShort is a frame too short for its Ethernet header.
var ErrShort = errors.New("frame shorter than an Ethernet header")

// EtherTypes of what Frame looks into.
const (
	typeIPv4   = 0x0800
	typeIPv6   = 0x86dd
	type8021Q  = 0x8100
	type8021AD = 0x88a8
	typeQinQ   = 0x9100
)

// Frame rewrites the Ethernet frame b in place. What it cannot look into
// (other EtherTypes, a header cut short) it leaves as it is, past the
// MAC addresses.
func (r *Rewriter) Frame(b []byte) error {
	if len(b) < 14 {
		return ErrShort
	}
	if r.opt.DstMAC != nil {
		copy(b[0:6], r.dmac[:])
	}
	if r.opt.SrcMAC != nil {
		copy(b[6:12], r.smac[:])
	}
	off := 12
	typ := binary.BigEndian.Uint16(b[off:])
	for (typ == type8021Q || typ == type8021AD || typ == typeQinQ) && off+6 <= len(b) {
		off += 4
		typ = binary.BigEndian.Uint16(b[off:])
	}
	switch typ {
	case typeIPv4:
		r.ipv4(b[off+2:])
	case typeIPv6:
		r.ipv6(b[off+2:])
	}
	return nil
}
