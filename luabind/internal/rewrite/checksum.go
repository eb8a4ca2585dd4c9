package rewrite

import "encoding/binary"

// sum adds data to a one's complement sum of big-endian 16-bit words; an
// odd last byte counts as if followed by a zero (RFC 1071).
func sum(s uint64, data []byte) uint64 {
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

// fold turns a running sum into the Internet checksum.
func fold(s uint64) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// adjust is checksum ck after a 16-bit word of the data it covers changed
// from old to new (RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m')).
func adjust(ck, old, new uint16) uint16 {
	s := uint64(^ck) + uint64(^old) + uint64(new)
	return fold(s)
}

// adjustBytes updates the checksum at ck (two bytes) for a change of the
// data it covers from old to new, both of the same even length.
func adjustBytes(ck, old, new []byte) {
	c := binary.BigEndian.Uint16(ck)
	for i := 0; i+1 < len(old); i += 2 {
		c = adjust(c, binary.BigEndian.Uint16(old[i:]), binary.BigEndian.Uint16(new[i:]))
	}
	binary.BigEndian.PutUint16(ck, c)
}
