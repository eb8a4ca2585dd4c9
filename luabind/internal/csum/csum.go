// Package csum computes the Internet checksum (RFC 1071) of IP, TCP, UDP
// and ICMP: the frame builder and the replay rewriter share it.
package csum

import "encoding/binary"

// Sum adds data to a one's complement sum of big-endian 16-bit words; an
// odd last byte counts as if followed by a zero (RFC 1071). It adds 32-bit
// words, which is the same sum once folded since 2^16 = 1 mod 2^16-1.
func Sum(s uint64, data []byte) uint64 {
	for len(data) >= 4 {
		s += uint64(binary.BigEndian.Uint32(data))
		data = data[4:]
	}
	if len(data) >= 2 {
		s += uint64(binary.BigEndian.Uint16(data))
		data = data[2:]
	}
	if len(data) == 1 {
		s += uint64(data[0]) << 8
	}
	return s
}

// Fold turns a running sum into the Internet checksum.
func Fold(s uint64) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}
