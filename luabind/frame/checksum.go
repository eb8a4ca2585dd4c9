package frame

import (
	"encoding/binary"

	"github.com/netlua/netlua/luabind/internal/csum"
)

// sum and fold are csum's, named short for the many places that use them.
func sum(s uint64, data []byte) uint64 { return csum.Sum(s, data) }
func fold(s uint64) uint16             { return csum.Fold(s) }

// checksum is the Internet checksum of data.
func checksum(data []byte) uint16 { return fold(sum(0, data)) }

// pseudoSum is the sum of the pseudo-header that the UDP, TCP or ICMPv6
// checksum of layer i covers, from the IP layer under it (for ICMPv6, the
// nearest IPv6 layer below), as Scapy's in4_chksum and in6_chksum make it.
// ok is false when there is no such layer: Scapy leaves the checksum 0.
func (b *Builder) pseudoSum(i int, proto uint8) (s uint64, ok bool) {
	if proto == protoICMPv6 {
		for j := i - 1; j >= 0; j-- {
			if b.layers[j].Proto == IPv6 {
				return pseudo6(b.v6Final(j, i, b.ipv6Sent(j)), proto, b.size(i)), true
			}
		}
		return 0, false
	}
	// Scapy's TCP and UDP look through IPv6 extension headers (not AH).
	j := i - 1
	for j > 0 && isV6Ext(b.layers[j].Proto) {
		j--
	}
	if j >= 0 && j < i-1 && b.layers[j].Proto == IPv6 {
		return pseudo6(b.v6Final(j, i, b.layers[j]), proto, b.size(i)), true
	}
	switch ip := b.below(i); {
	case ip == nil:
		return 0, false
	case ip.Proto == IPv4:
		return pseudo4(ip, proto, b.size(i)), true
	case ip.Proto == IPv6:
		return pseudo6(ip, proto, b.size(i)), true
	}
	return 0, false
}

// v6Final returns IPv6 layer ip (as sent) with the destination a routing
// header between it and layer upper gives the checksum (rhFinalDst).
func (b *Builder) v6Final(ip, upper int, l *Layer) *Layer {
	dst, ok := b.rhFinalDst(ip, upper)
	if !ok {
		return l
	}
	c := *l
	c.setAddr(&c.Proto.Fields[v6Dst], dst)
	return &c
}

// pseudo4 sums the IPv4 pseudo-header. Like Scapy, it takes the upper
// length from the IP length when that is given (a wrong one on purpose
// makes the checksum Scapy makes), and the destination from a lone source
// route option (RFC 791: the checksum covers the final destination).
func pseudo4(ip *Layer, proto uint8, n int) uint64 {
	src, dst := ip.Uint(ipSrc), ip.Uint(ipDst)
	if last, ok := sourceRouteDst(ip.Bytes(ipOptions)); ok {
		dst = uint64(last)
	}
	ln := uint64(n)
	if ip.Given(ipLen) {
		_, ihl := headerWords(ip, ipIHL, ipOptions)
		ln = max(ip.Uint(ipLen), 4*ihl) - 4*ihl
	}
	return src>>16 + src&0xffff + dst>>16 + dst&0xffff + uint64(proto) + ln&0xffff
}

// pseudo6 sums the IPv6 pseudo-header (RFC 8200 section 8.1).
func pseudo6(ip *Layer, proto uint8, n int) uint64 {
	src, dst := ip.Proto.Fields[v6Src].slot, ip.Proto.Fields[v6Dst].slot
	var s uint64
	for _, v := range [4]uint64{ip.num[src], ip.num[src+1], ip.num[dst], ip.num[dst+1]} {
		s += v>>32 + v&0xffffffff
	}
	return s + uint64(n)>>16 + uint64(n)&0xffff + uint64(proto)
}

// sourceRouteDst returns the last router of the options' loose or strict
// source route, when there is exactly one such option with routers.
func sourceRouteDst(opts []byte) (dst uint32, ok bool) {
	const eol, nop, lsrr, ssrr = 0, 1, 0x83, 0x89
	routes := 0
	for len(opts) > 0 {
		if opts[0] == eol || opts[0] == nop {
			opts = opts[1:]
			continue
		}
		if len(opts) < 2 || opts[1] < 2 || int(opts[1]) > len(opts) {
			break
		}
		opt := opts[:opts[1]]
		if opt[0] == lsrr || opt[0] == ssrr {
			routes++
			if n := (len(opt) - 3) / 4; n > 0 {
				dst, ok = binary.BigEndian.Uint32(opt[3+4*(n-1):]), true
			} else {
				ok = false
			}
		}
		opts = opts[len(opt):]
	}
	return dst, ok && routes == 1
}
