package filter

import (
	"encoding/binary"
	"net"
	"net/netip"
)

// Builders of the corpus frames: just enough of each header for filters
// to read (checksums stay zero; nothing checks them).

func mac(s string) []byte {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// eth is an Ethernet header and payload.
func eth(dst, src string, etype uint16, payload []byte) []byte {
	return cat(mac(dst), mac(src), be16(etype), payload)
}

// tags are VLAN tags (TPID, TCI) put before an EtherType.
func tagged(dst, src string, tags [][2]uint16, etype uint16, payload []byte) []byte {
	f := cat(mac(dst), mac(src))
	for _, t := range tags {
		f = cat(f, be16(t[0]), be16(t[1]))
	}
	return cat(f, be16(etype), payload)
}

// ip4 describes an IPv4 header.
type ip4 struct {
	src, dst string
	proto    byte
	ttl      byte
	flags    uint16 // 0x4000 DF, 0x2000 MF, plus the fragment offset in 8-byte units
	options  []byte // padded to 4 bytes by the caller
	ihl      byte   // overrides the computed IHL when not zero
}

func (h ip4) build(payload []byte) []byte {
	ihl := byte(5 + len(h.options)/4)
	if h.ihl != 0 {
		ihl = h.ihl
	}
	ttl := h.ttl
	if ttl == 0 {
		ttl = 64
	}
	total := uint16(20 + len(h.options) + len(payload))
	hdr := cat([]byte{0x40 | ihl, 0}, be16(total), be16(0x1234), be16(h.flags), []byte{ttl, h.proto, 0, 0},
		addr4(h.src), addr4(h.dst), h.options)
	return cat(hdr, payload)
}

func addr4(s string) []byte {
	a := netip.MustParseAddr(s).As4()
	return a[:]
}

func addr6(s string) []byte {
	a := netip.MustParseAddr(s).As16()
	return a[:]
}

// ip6 is an IPv6 header with next header nh.
func ip6(src, dst string, nh byte, payload []byte) []byte {
	return cat([]byte{0x60, 0, 0, 0}, be16(uint16(len(payload))), []byte{nh, 64}, addr6(src), addr6(dst), payload)
}

// ext6 is an IPv6 extension header (hop-by-hop, routing, destination
// options: 8 bytes) with next header nh.
func ext6(nh byte, payload []byte) []byte { return cat([]byte{nh, 0, 1, 4, 0, 0, 0, 0}, payload) }

// frag6 is an IPv6 fragment header: offset in 8-byte units, more fragments.
func frag6(nh byte, offset uint16, more bool, payload []byte) []byte {
	v := offset << 3
	if more {
		v |= 1
	}
	return cat([]byte{nh, 0}, be16(v), []byte{0, 0, 0, 42}, payload)
}

const (
	fFIN = 0x01
	fSYN = 0x02
	fRST = 0x04
	fPSH = 0x08
	fACK = 0x10
	fURG = 0x20
	fECE = 0x40
	fCWR = 0x80
)

func tcp(sport, dport uint16, flags byte, payload []byte) []byte {
	return cat(be16(sport), be16(dport), []byte{0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags}, be16(8192), []byte{0, 0, 0, 0}, payload)
}

func udp(sport, dport uint16, payload []byte) []byte {
	return cat(be16(sport), be16(dport), be16(uint16(8+len(payload))), []byte{0, 0}, payload)
}

func sctp(sport, dport uint16) []byte {
	return cat(be16(sport), be16(dport), []byte{0, 0, 0, 7, 0, 0, 0, 0}, []byte{1, 0, 0, 4})
}

func icmp(typ, code byte) []byte { return []byte{typ, code, 0, 0, 0, 1, 0, 1, 'p', 'i', 'n', 'g'} }

// arpBody is an Ethernet/IPv4 ARP or RARP message.
func arpBody(op uint16, sha, spa, tha, tpa string) []byte {
	return cat(be16(1), be16(0x0800), []byte{6, 4}, be16(op), mac(sha), addr4(spa), mac(tha), addr4(tpa))
}

// llc is an 802.3 frame: a length instead of an EtherType, then 802.2.
func llc(dst, src string, body []byte) []byte {
	return cat(mac(dst), mac(src), be16(uint16(len(body))), body)
}

// pad fills a frame to the Ethernet minimum of 60 bytes.
func pad(f []byte) []byte {
	for len(f) < 60 {
		f = append(f, 0)
	}
	return f
}

func repeat(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}
