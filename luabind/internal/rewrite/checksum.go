package rewrite

import (
	"encoding/binary"

	"github.com/netlua/netlua/luabind/internal/csum"
)

// sum and fold are csum's.
func sum(s uint64, data []byte) uint64 { return csum.Sum(s, data) }
func fold(s uint64) uint16             { return csum.Fold(s) }

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
